import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { EncryptionAlgorithm, KubernetesPki, KubernetesPkiArgs, renderNodeBundle, SECRET_STORE_LIMITS, USER_DATA_LIMITS, renderCloudInit } from "../components";
import { formatColumns } from "../components/expiryFormat";
import { readStackConfig } from "../offline/stackConfig";
import { TlsEmulator } from "../offline/tlsEmulator";

/**
 * Measures what our users feel: how long rendering a stack takes against openssl doing the same
 * key and certificate work, how many resources a stack registers, and how big each node's
 * user-data and bundle are against cloud limits.
 */

const resolve = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((done) => output.apply(done));

const OPENSSL_KEY: Record<EncryptionAlgorithm, string[]> = {
  "RSA-2048": ["-newkey", "rsa:2048"],
  "RSA-3072": ["-newkey", "rsa:3072"],
  "RSA-4096": ["-newkey", "rsa:4096"],
  "ECDSA-P256": ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
  "ECDSA-P384": ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"],
};

/** Seconds openssl takes to make `count` keys with self-signed certificates, one process at a time. */
function opensslBaseline(algorithm: EncryptionAlgorithm, count: number): number {
  const dir = mkdtempSync(join(tmpdir(), "k8s-pki-bench-"));
  const start = process.hrtime.bigint();
  try {
    for (let i = 0; i < count; i++) {
      const args = ["req", "-x509", ...OPENSSL_KEY[algorithm], "-nodes", "-subj", "/CN=bench", "-days", "365", "-keyout", join(dir, "k.pem"), "-out", join(dir, "c.pem")];
      const run = spawnSync("openssl", args, { stdio: "ignore" });
      if (run.status !== 0) throw new Error(`openssl ${args.join(" ")} failed`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function measure(title: string, args: KubernetesPkiArgs): Promise<void> {
  const emulator = new TlsEmulator();
  await pulumi.runtime.setMocks(emulator, "kubernetes-pki", "bench", false);
  const start = process.hrtime.bigint();
  const pki = new KubernetesPki("bench", args);
  const files = await resolve(pki.files);
  await resolve(pki.kubeconfigs.superAdmin);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;

  const counts = new Map<string, number>();
  for (const r of emulator.resources) counts.set(r.type.split(":").pop() ?? r.type, (counts.get(r.type.split(":").pop() ?? r.type) ?? 0) + 1);
  const keys = counts.get("PrivateKey") ?? 0;
  const algorithm = args.encryptionAlgorithm ?? "RSA-2048";
  const baseline = opensslBaseline(algorithm, keys);

  console.log(`\n## ${title}: ${Object.keys(files).length} nodes, ${algorithm}`);
  console.log(`render ${seconds.toFixed(2)} s; openssl, one key and certificate at a time for the same ${keys} keys: ${baseline.toFixed(2)} s (ratio ${(seconds / baseline).toFixed(2)})`);
  console.log(`resources: ${[...counts].map(([type, n]) => `${type} ${n}`).join(", ")}`);
  // One row per kind of node (same file count): its largest member.
  const largest = new Map<number, [string, (typeof files)[string]]>();
  for (const [node, nodeFiles] of Object.entries(files)) {
    const n = Object.keys(nodeFiles).length;
    const size = (f: (typeof files)[string]): number => renderNodeBundle(Object.values(f)).bytes;
    const current = largest.get(n);
    if (current === undefined || size(nodeFiles) > size(current[1])) largest.set(n, [node, nodeFiles]);
  }
  const rows = [...largest.values()].map(([node, nodeFiles]) => {
    const list = Object.values(nodeFiles);
    const plain = renderCloudInit(list).bytes;
    const gz = renderCloudInit(list, { compression: "document" }).bytes;
    const bundle = renderNodeBundle(list).bytes;
    const fits = (bytes: number, limit: number): string => (bytes <= limit ? "yes" : "no");
    return [node, String(list.length), String(plain), String(gz), fits(gz, USER_DATA_LIMITS.ec2), fits(plain, USER_DATA_LIMITS.azure), String(bundle), fits(bundle, SECRET_STORE_LIMITS.awsSecretsManager), fits(bundle, SECRET_STORE_LIMITS.azureKeyVault)];
  });
  console.log("largest node of each kind, bytes:");
  console.log(formatColumns(["NODE", "FILES", "USER-DATA", "GZIPPED", "EC2 (gz)", "AZURE", "BUNDLE", "AWS SM", "AZURE KV"], rows));
}

async function main(): Promise<void> {
  const sample = JSON.parse(readStackConfig(join(__dirname, "..", "Pulumi.dev.yaml")).config["kubernetes-pki:cluster"]) as KubernetesPkiArgs;
  await measure("sample stack (Pulumi.dev.yaml)", sample);
  await measure("sample stack with ECDSA keys", { ...sample, encryptionAlgorithm: "ECDSA-P256" });
  const large = {
    ...sample,
    encryptionAlgorithm: "ECDSA-P256" as const,
    workers: Array.from({ length: 50 }, (_, i) => ({ name: `worker-${i + 1}`, address: `10.0.2.${i + 1}` })),
  };
  await measure("3 control-plane nodes and 50 workers", large);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
