import { spawnSync } from "node:child_process";
import { createHash, createPublicKey, createSign, createVerify, X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { parse } from "yaml";
import { NodeFiles } from "../../components";
import { kubeconfigClientCertificate } from "../../offline/inspect/inventory";

/** The PEM blocks of a bundle. */
export const pemBlocks = (bundle: string): string[] => bundle.match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----\n?/g) ?? [];

/** The `certificate-authority-data` of a kubeconfig, decoded. */
export function kubeconfigCaData(kubeconfig: string): string {
  const doc = parse(kubeconfig) as { clusters: { cluster: { "certificate-authority-data": string } }[] };
  return Buffer.from(doc.clusters[0].cluster["certificate-authority-data"], "base64").toString("utf8");
}

/**
 * The files a node's cloud-init user-data writes (`write_files`, text or `gz+b64`), by path, in the
 * shape of a node's files, so the same helpers read the bundles and leaves it carries.
 */
export function userDataFiles(userData: string): NodeFiles {
  const doc = parse(userData) as { write_files?: { path: string; content: string; encoding?: string; permissions?: string }[] };
  const files: NodeFiles = {};
  for (const entry of doc.write_files ?? []) {
    const content = entry.encoding === "gz+b64" ? gunzipSync(Buffer.from(entry.content, "base64")).toString("utf8") : entry.content;
    files[entry.path] = { path: entry.path, content, mode: entry.permissions === "0600" ? "0600" : "0644" };
  }
  return files;
}

/** Leaf certificates from every node's files (and, with `kubeconfigs`, every kubeconfig's client certificate), deduplicated. */
export function leavesOf(files: Record<string, NodeFiles>, leafFiles: readonly string[], kubeconfigs: boolean, operator: string[] = []): string[] {
  const leaves = new Set<string>();
  for (const nodeFiles of Object.values(files)) {
    for (const path of leafFiles) if (nodeFiles[path] !== undefined) leaves.add(nodeFiles[path].content);
    if (kubeconfigs) {
      for (const file of Object.values(nodeFiles)) if (file.path.endsWith(".conf")) leaves.add(kubeconfigClientCertificate(file.content));
    }
  }
  for (const kubeconfig of operator) leaves.add(kubeconfigClientCertificate(kubeconfig));
  return [...leaves];
}

/** Every trust bundle consumers hold for a CA file, deduplicated: the node files and, for the cluster CA, each kubeconfig's CA data. */
export function bundlesOf(files: Record<string, NodeFiles>, caFile: string, kubeconfigs: boolean, operator: string[] = []): string[] {
  const bundles = new Set<string>();
  for (const nodeFiles of Object.values(files)) {
    if (nodeFiles[caFile] !== undefined) bundles.add(nodeFiles[caFile].content);
    if (kubeconfigs) for (const file of Object.values(nodeFiles)) if (file.path.endsWith(".conf")) bundles.add(kubeconfigCaData(file.content));
  }
  for (const kubeconfig of operator) bundles.add(kubeconfigCaData(kubeconfig));
  return [...bundles];
}

/**
 * `openssl verify -x509_strict -CAfile <bundle> <leaf>…` for many leaves at once, at `at` (default
 * now): the leaves that do not verify, with openssl's words.
 */
export function unverified(bundle: string, leaves: readonly string[], at?: Date): string[] {
  const dir = mkdtempSync(join(tmpdir(), "k8s-pki-rotation-"));
  try {
    writeFileSync(join(dir, "bundle.pem"), bundle);
    const paths = leaves.map((leaf, i) => {
      const path = join(dir, `leaf-${i}.pem`);
      writeFileSync(path, leaf);
      return path;
    });
    const time = at === undefined ? [] : ["-attime", String(Math.floor(at.getTime() / 1000))];
    const run = spawnSync("openssl", ["verify", "-x509_strict", ...time, "-CAfile", join(dir, "bundle.pem"), ...paths], { encoding: "utf8" });
    if (run.error) throw run.error;
    return paths
      .map((path, i) => ({ path, i }))
      .filter(({ path }) => !run.stdout.split("\n").includes(`${path}: OK`))
      .map(({ i }) => `${new X509Certificate(leaves[i]).subject.replace(/\n/g, ",")}: ${run.stderr.trim() || run.stdout.trim()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A service-account token signed with `sa.key` (a JWS over a fixed claim set). */
export function signToken(privateKeyPem: string, claims: object): string {
  const key = createPublicKey(privateKeyPem);
  const alg = key.asymmetricKeyType === "ec" ? "ES256" : "RS256";
  const body = `${Buffer.from(JSON.stringify({ alg, kid: createHash("sha256").update(key.export({ type: "spki", format: "der" })).digest("base64url") })).toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  const signature = createSign("SHA256").update(body).sign({ key: privateKeyPem, dsaEncoding: "ieee-p1363" });
  return `${body}.${signature.toString("base64url")}`;
}

/** Whether any public key of `sa.pub` verifies the token, as kube-apiserver's `--service-account-key-file` does. */
export function tokenVerifies(publicKeysPem: string, token: string): boolean {
  const [header, payload, signature] = token.split(".");
  return pemBlocks(publicKeysPem).some((pem) =>
    createVerify("SHA256").update(`${header}.${payload}`).verify({ key: pem, dsaEncoding: "ieee-p1363" }, Buffer.from(signature, "base64url")),
  );
}
