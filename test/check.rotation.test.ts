import * as assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KubernetesPkiArgs } from "../components";
import { AUTHORITY_IDS, RotationPhase } from "../components/rotation/stages";
import { PriorResource } from "../offline/continuity";
import { runProgram, stackEmulator } from "../offline/runProgram";
import { checkInProcess, copyTree, makeCaWithOpenssl, problemLines, reissueWithOpenssl, runCheck, RunResult, TempDirs, writeRenderedTree } from "./helpers/checkTree";
import { pemBlocks } from "./helpers/trustMatrix";

const PKI = "etc/kubernetes/pki";
const HOUR = 3_600_000;

const cluster = (rotation: KubernetesPkiArgs["rotation"]): KubernetesPkiArgs => ({
  controlPlaneEndpoint: "api.check.example.com:6443",
  encryptionAlgorithm: "ECDSA-P256",
  controlPlane: [{ name: "cp-1", address: "10.0.0.11" }, { name: "cp-2", address: "10.0.0.12" }],
  workers: [{ name: "worker-1", address: "10.0.1.21" }],
  rotation,
});

/** Rotation args with every listed authority at generation 1 in `phase`. */
const rotating = (phase: RotationPhase, authorities = AUTHORITY_IDS): KubernetesPkiArgs["rotation"] =>
  Object.fromEntries(authorities.map((id) => [id, { generation: 1, phase }]));

/** Asserts a failed check and returns its problem lines. */
function problemsOf(run: RunResult): string[] {
  assert.equal(run.status, 1, run.stdout + run.stderr);
  return problemLines(run.stdout);
}

/** The summary's rotation lines (`  ca: phase switch (…)`), trimmed. */
function rotationLines(stdout: string): string[] {
  const lines = stdout.split("\n");
  const start = lines.indexOf("rotation in progress:");
  if (start < 0) return [];
  const rest = lines.slice(start + 1);
  return rest.slice(0, rest.findIndex((line) => !line.startsWith("  "))).map((line) => line.trim());
}

describe("npm run check on trees mid-rotation (rendered with the rotation args at each phase)", function () {
  this.timeout(120_000);
  const temp = new TempDirs();
  /** Rendered trees by step: `steady`, `prepare`, `switch`, `finish`, one hour apart (so which CA is newer shows in its not-before). */
  const trees: Record<string, string> = {};
  /** A rotation of the service-account key alone, in prepare. */
  let saOnly: string;

  /** Renders consecutive steps as `render --state` does, each at its own hour. */
  async function renderSteps(steps: readonly [string, KubernetesPkiArgs["rotation"]][], into: Record<string, string>): Promise<void> {
    let prior: ReadonlyMap<string, PriorResource> | undefined;
    for (const [i, [name, rotation]] of steps.entries()) {
      const at = new Date(Date.now() - (steps.length - i) * HOUR);
      const emulator = stackEmulator({ record: true, prior, now: () => at });
      const rendered = await runProgram({ stack: "check", config: { "kubernetes-pki:cluster": JSON.stringify(cluster(rotation)) } }, emulator);
      prior = emulator.records;
      into[name] = join(temp.make(`check-rotation-${name}`), "tree");
      await writeRenderedTree(rendered, into[name]);
    }
  }

  before(async function () {
    this.timeout(600_000);
    await renderSteps([["steady", {}], ["prepare", rotating("prepare")], ["switch", rotating("switch")], ["finish", rotating("finish")]], trees);
    const sa: Record<string, string> = {};
    await renderSteps([["steady", {}], ["prepare", rotating("prepare", ["sa"])]], sa);
    saOnly = sa.prepare;
  });
  after(() => temp.removeAll());

  /** A copy of one step's tree with one thing changed. */
  const corrupt = (step: string, change: (tree: string, work: string) => void): string => {
    const work = temp.make("check-rotation-corrupt");
    const tree = join(work, "tree");
    copyTree(trees[step], tree);
    change(tree, work);
    return tree;
  };
  const at = (tree: string, node: string, path: string): string => join(tree, "nodes", node, path);

  for (const step of ["prepare", "switch"] as const) {
    it(`${step}: two CAs in every bundle, sa.pub with two keys, ca-signing.crt alone: clean, and the summary names every rotation and the phase ${step}`, () => {
      const cp = (path: string): string => readFileSync(at(trees[step], "cp-1", path), "utf8");
      assert.deepEqual([cp(`${PKI}/ca.crt`), cp(`${PKI}/etcd/ca.crt`), cp(`${PKI}/front-proxy-ca.crt`), cp(`${PKI}/sa.pub`)].map((f) => pemBlocks(f).length), [2, 2, 2, 2]);
      assert.equal(pemBlocks(cp(`${PKI}/ca-signing.crt`)).length, 1);
      const run = checkInProcess(trees[step]);
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /^no problems: /m);
      const lines = rotationLines(run.stdout);
      assert.deepEqual(lines.map((line) => line.split(" (")[0]), ["ca", "etcd-ca", "front-proxy-ca", "sa"].map((id) => `${id}: phase ${step}`));
      const signedByNewer = step === "prepare" ? /; 0 of \d+ leaves signed by the newer/ : /; (\d+) of \1 leaves signed by the newer/;
      for (const line of lines.slice(0, 3)) assert.match(line, signedByNewer);
    });
  }

  it("steady and finish: one CA per bundle, no rotation in the summary, clean", () => {
    for (const step of ["steady", "finish"]) {
      const run = checkInProcess(trees[step]);
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.deepEqual(rotationLines(run.stdout), []);
      assert.doesNotMatch(run.stdout, /rotation in progress/);
    }
  });

  it("the check command's JSON report lists the rotations in progress with their phase", () => {
    const report = JSON.parse(runCheck([trees.switch, "--json"]).stdout) as { rotations: { authority: string; phase: string }[] };
    assert.deepEqual(report.rotations.map((r) => `${r.authority} ${r.phase}`), ["ca switch", "etcd-ca switch", "front-proxy-ca switch", "sa switch"]);
  });

  it("a service-account key rotating alone: clean, its phase not told by keys that carry no date", () => {
    const run = checkInProcess(saOnly);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.deepEqual(rotationLines(run.stdout), ["sa: phase prepare or switch (sa.pub holds 2 keys; keys carry no date)"]);
  });

  it("switch: a leaf re-signed by a CA no bundle holds is named, with every CA of the bundles tried", () => {
    const tree = corrupt("switch", (dir, work) => {
      const other = makeCaWithOpenssl(work, "etcd-ca");
      reissueWithOpenssl(
        { cert: at(dir, "cp-2", `${PKI}/apiserver-etcd-client.crt`), key: at(dir, "cp-2", `${PKI}/apiserver-etcd-client.key`), caCert: other.cert, caKey: other.key, days: 365, extendedKeyUsage: "clientAuth" },
        work,
      );
    });
    assert.deepEqual(
      problemsOf(checkInProcess(tree)).map((line) => line.replace(/identifier [0-9a-f:]+/g, "identifier <id>")),
      [
        "cp-2: /etc/kubernetes/pki/apiserver-etcd-client.crt: apiserver-etcd-client is not issued by etcd-ca (/etc/kubernetes/pki/etcd/ca.crt): its signature does not verify with the CA's key; " +
          "its authority key identifier <id> is not the CA's subject key identifier <id>; nor by any other of the 2 etcd-ca certificates the tree's CA files hold",
      ],
    );
  });

  it("switch: an operator's kubeconfig kept from before the rotation lacks the new CA that signs the leaves in use, naming the file", () => {
    const tree = corrupt("switch", (dir) => writeFileSync(join(dir, "admin", "admin.conf"), readFileSync(join(trees.steady, "admin", "admin.conf"))));
    const lines = problemsOf(checkInProcess(tree));
    assert.ok(
      lines.some((line) => /^\(operator\): admin\/admin\.conf: certificate-authority-data lacks the ca certificate "CN=kubernetes" \(SHA-256 [0-9A-F:]+…, not before [^)]+\) that signed \d+ leaf certificate\(s\) in use \(.+ and \d+ more\): whoever trusts this file rejects them$/.test(line)),
      lines.join("\n"),
    );
    assert.ok(lines.every((line) => line.startsWith("(operator): admin/admin.conf: ")), lines.join("\n"));
  });

  it("prepare: a node's kubeconfig kept from before the rotation, without the new CA, is named before switch would break it", () => {
    const kubelet = "etc/kubernetes/kubelet.conf";
    const tree = corrupt("prepare", (dir) => writeFileSync(at(dir, "worker-1", kubelet), readFileSync(at(trees.steady, "worker-1", kubelet))));
    assert.deepEqual(problemsOf(checkInProcess(tree)), [
      "worker-1: /etc/kubernetes/kubelet.conf: certificate-authority-data holds 1 CA(s), not the 2 of /etc/kubernetes/pki/ca.crt: a staged rotation spreads the new CA to both before any leaf is signed by it",
    ]);
  });

  it("prepare: a node's bundle that lost the old CA, which still signs every leaf, is named", () => {
    const tree = corrupt("prepare", (dir) => {
      const bundle = at(dir, "worker-1", `${PKI}/ca.crt`);
      writeFileSync(bundle, pemBlocks(readFileSync(bundle, "utf8"))[1]);
    });
    const lines = problemsOf(checkInProcess(tree));
    assert.ok(lines.some((line) => /^worker-1: \/etc\/kubernetes\/pki\/ca\.crt: its ca bundle lacks the ca certificate .* that signed \d+ leaf certificate\(s\) in use \(apiserver of cp-1, /.test(line)), lines.join("\n"));
    assert.ok(lines.some((line) => /^worker-1: \/etc\/kubernetes\/kubelet\.conf: certificate-authority-data lacks/.test(line)) === false, "the kubeconfig still holds both");
  });

  it("prepare: ca-signing.crt that is not the certificate of ca.key is named", () => {
    const tree = corrupt("prepare", (dir) => {
      const newer = pemBlocks(readFileSync(at(dir, "cp-1", `${PKI}/ca.crt`), "utf8"))[1];
      writeFileSync(at(dir, "cp-1", `${PKI}/ca-signing.crt`), newer);
    });
    assert.deepEqual(problemsOf(checkInProcess(tree)), [
      "cp-1: /etc/kubernetes/pki/ca-signing.crt: is not the certificate of /etc/kubernetes/pki/ca.key, the key kube-controller-manager signs with: the certificates it issues would not name their signer",
    ]);
  });

  it("prepare: ca-signing.crt holding the bundle, or missing, is named", () => {
    const bundled = corrupt("prepare", (dir) => writeFileSync(at(dir, "cp-2", `${PKI}/ca-signing.crt`), readFileSync(at(dir, "cp-2", `${PKI}/ca.crt`))));
    assert.deepEqual(problemsOf(checkInProcess(bundled)), [
      "cp-2: /etc/kubernetes/pki/ca-signing.crt: holds 2 certificates; kube-controller-manager's --cluster-signing-cert-file takes exactly one, the issuing CA",
    ]);
    const missing = corrupt("prepare", (dir) => rmSync(at(dir, "cp-1", `${PKI}/ca-signing.crt`)));
    assert.deepEqual(problemsOf(checkInProcess(missing)), [
      "cp-1: /etc/kubernetes/pki/ca.crt: holds 2 CAs, but /etc/kubernetes/pki/ca-signing.crt, the issuing CA alone for kube-controller-manager's --cluster-signing-cert-file (which takes one certificate), is missing",
    ]);
  });

  it("switch: sa.key that is none of sa.pub's keys is named", () => {
    const tree = corrupt("switch", (dir) => {
      const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
      writeFileSync(at(dir, "cp-2", `${PKI}/sa.key`), privateKey.export({ type: "sec1", format: "pem" }), { mode: 0o600 });
    });
    assert.deepEqual(problemsOf(checkInProcess(tree)), [
      "cp-2: /etc/kubernetes/pki/sa.key: does not match /etc/kubernetes/pki/sa.pub: none of its 2 public keys is this key's public half (a rotation's bundle holds the signing one)",
    ]);
  });
});
