import * as assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { KubernetesPkiArgs } from "../components";
import { render as runRender, writeStack } from "./helpers/renderCli";

const render = (...args: string[]) => runRender(args);

function listTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), (statSync(path).mode & 0o777).toString(8).padStart(4, "0"));
    }
  };
  walk(dir);
  return files;
}

const SMALL: KubernetesPkiArgs = {
  encryptionAlgorithm: "ECDSA-P256",
  controlPlane: [{ name: "cp-1", address: "127.0.0.11" }],
  workers: [{ name: "worker-1", address: "127.0.0.21" }],
};

describe("offline render", function () {
  this.timeout(300_000);
  let scratch: string;
  let first: ReturnType<typeof render>;

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), "k8s-pki-render-"));
    first = render("--config", writeStack(scratch, "small", SMALL), "--out", join(scratch, "out"));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("writes every node's files under nodes/<node>/<absolute path>, with their modes", () => {
    assert.equal(first.status, 0, first.stderr);
    const tree = listTree(join(scratch, "out"));
    assert.equal(tree.get("nodes/cp-1/etc/kubernetes/pki/apiserver.crt"), "0644");
    assert.equal(tree.get("nodes/cp-1/etc/kubernetes/pki/apiserver.key"), "0600");
    assert.equal(tree.get("nodes/cp-1/etc/kubernetes/pki/etcd/server.key"), "0600");
    assert.equal(tree.get("nodes/cp-1/etc/kubernetes/admin.conf"), "0600");
    assert.equal(tree.get("nodes/worker-1/etc/kubernetes/kubelet.conf"), "0600");
    assert.equal(tree.get("nodes/worker-1/var/lib/kubelet/pki/kubelet.crt"), "0644");
    assert.equal(tree.get("nodes/worker-1/etc/kubernetes/pki/apiserver.crt"), undefined);
    for (const [path, mode] of tree) {
      if (path.endsWith(".key") || path.endsWith(".conf")) assert.equal(mode, "0600", path);
    }
  });

  it("writes the operator's admin.conf and super-admin.conf under admin/", () => {
    const tree = listTree(join(scratch, "out"));
    assert.equal(tree.get("admin/admin.conf"), "0600");
    assert.equal(tree.get("admin/super-admin.conf"), "0600");
    assert.match(readFileSync(join(scratch, "out/admin/super-admin.conf"), "utf8"), /user: kubernetes-super-admin/);
  });

  it("writes each node's cloud-init user-data under cloud-init/, laying down that node's files", () => {
    const tree = listTree(join(scratch, "out"));
    assert.equal(tree.get("cloud-init/cp-1.yaml"), "0600");
    assert.equal(tree.get("cloud-init/worker-1.yaml"), "0600");
    const doc = parse(readFileSync(join(scratch, "out/cloud-init/worker-1.yaml"), "utf8"));
    for (const entry of doc.write_files as { path: string; content: string }[]) {
      assert.equal(entry.content, readFileSync(join(scratch, "out/nodes/worker-1", entry.path), "utf8"), entry.path);
    }
    assert.equal(doc.write_files.length, [...tree.keys()].filter((p) => p.startsWith("nodes/worker-1/")).length);
  });

  it("writes manifest.json describing every other file of the tree", () => {
    const tree = listTree(join(scratch, "out"));
    const manifest = JSON.parse(readFileSync(join(scratch, "out/manifest.json"), "utf8"));
    assert.deepEqual(
      manifest.files.map((f: { treePath: string }) => f.treePath).sort(),
      [...tree.keys()].filter((p) => p !== "manifest.json").sort(),
    );
    assert.doesNotMatch(JSON.stringify(manifest), /PRIVATE KEY/);
  });

  it("prints the component's expiry report: a row per certificate and node with renewal time and generations, and the CAs", () => {
    const lines = first.stdout.split("\n");
    const date = String.raw`\w{3} \d\d, \d{4} \d\d:\d\d UTC`;
    assert.match(lines[0], /^CERTIFICATE\s+NODE\s+EXPIRES\s+RESIDUAL TIME\s+CERTIFICATE AUTHORITY\s+RENEW AT\s+GENERATION$/);
    assert.ok(lines.some((l) => new RegExp(String.raw`^apiserver\s+cp-1\s+${date}\s+364d\s+ca\s+${date}\s+0\.0\.0$`).test(l)), first.stdout);
    assert.ok(lines.some((l) => /^kubelet\.conf\s+worker-1\s.*\sca\s.*\s0\.0\.0$/.test(l)));
    assert.ok(lines.some((l) => /^super-admin\.conf\s+\(operator\)\s.*\sca\s/.test(l)));
    assert.ok(lines.some((l) => /^etcd-server\s+cp-1\s.*\setcd-ca\s/.test(l)));
    assert.ok(lines.some((l) => /^CERTIFICATE AUTHORITY\s+EXPIRES\s+RESIDUAL TIME\s+WARN FROM\s+GENERATION$/.test(l)), first.stdout);
    assert.ok(lines.some((l) => new RegExp(String.raw`^front-proxy-ca\s+${date}\s+9y\s+${date}\s+0$`).test(l)), first.stdout);
  });

  it("prints nothing secret", () => {
    const output = first.stdout + first.stderr;
    assert.doesNotMatch(output, /PRIVATE KEY|client-key-data|LS0tLS1CRUdJTi/);
  });

  it("refuses to overwrite a non-empty directory without --force, leaving it untouched", () => {
    const out = join(scratch, "occupied");
    mkdirSync(out);
    writeFileSync(join(out, "keep.txt"), "mine");
    const run = render("--config", writeStack(scratch, "small", SMALL), "--out", out);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /occupied" is not empty; pass --force to replace a tree this command rendered there/);
    assert.deepEqual([...listTree(out).keys()], ["keep.txt"]);
  });

  it("replaces a rendered tree with --force", () => {
    const out = join(scratch, "out");
    const before = readFileSync(join(out, "admin/admin.conf"), "utf8");
    const run = render("--config", writeStack(scratch, "small", SMALL), "--out", out, "--force");
    assert.equal(run.status, 0, run.stderr);
    assert.notEqual(readFileSync(join(out, "admin/admin.conf"), "utf8"), before);
    assert.deepEqual(readdirSync(scratch).filter((name) => name.startsWith(".out.")), [], "a staging directory was left behind");
  });

  it("fails on invalid input with the component's message and writes nothing", () => {
    const bad = writeStack(scratch, "bad", { controlPlane: [{ name: "cp-1", address: "10.0.0.300" }] });
    const run = render("--config", bad, "--out", join(scratch, "never"));
    assert.equal(run.status, 1);
    assert.match(run.stderr, /Pulumi\.bad\.yaml: KubernetesPki "bad" has 1 invalid input\(s\):\n {2}- controlPlane\[0\] \("cp-1"\)\.address: "10\.0\.0\.300" is not an IPv4 or IPv6 address/);
    assert.ok(!readdirSync(scratch).some((name) => name.startsWith("never") || name.startsWith(".never")), readdirSync(scratch).join(" "));
  });

  it("explains its usage when an argument is missing", () => {
    const run = render("--config", "Pulumi.dev.yaml");
    assert.equal(run.status, 1);
    assert.match(run.stderr, /usage: npm run render -- --config Pulumi\.<stack>\.yaml --out <dir> \[--force\] \[--state <file>\]/);
  });

  describe("--state: consecutive renders continue like consecutive pulumi ups", () => {
    let state: string;
    let again: ReturnType<typeof render>;
    before(() => {
      state = join(scratch, "small.state.json");
      const created = render("--config", writeStack(scratch, "small", SMALL), "--out", join(scratch, "s1"), "--state", state);
      assert.equal(created.status, 0, created.stderr);
      again = render("--config", writeStack(scratch, "small", SMALL), "--out", join(scratch, "s2"), "--state", state);
    });

    it("keeps every resource of an unchanged stack and writes the same files", () => {
      assert.equal(again.status, 0, again.stderr);
      assert.match(again.stdout, /^created 0, replaced 0, updated 0, kept \d+, deleted 0$/m);
      const admin = (dir: string): string => readFileSync(join(scratch, dir, "admin/admin.conf"), "utf8");
      assert.equal(admin("s2"), admin("s1"));
    });

    it("keeps the state file 0600: it holds every private key", () => {
      assert.equal((statSync(state).mode & 0o777).toString(8), "600");
    });

    it("replaces exactly the etcd-peer set when its generation is bumped, and says so", () => {
      const bumped = writeStack(scratch, "small", { ...SMALL, rotation: { reissue: { certificates: { "etcd-peer": 1 } } } });
      const run = render("--config", bumped, "--out", join(scratch, "s3"), "--state", state);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /^created 0, replaced 4, updated 0, kept \d+, deleted 0$/m);
      const replaced = run.stdout.split("replaced:\n")[1].split("\n").filter((l) => l.startsWith("  ")).map((l) => l.trim());
      assert.deepEqual(replaced, ["CertRequest small-etcd-peer-cp-1", "LocallySignedCert small-etcd-peer-cp-1", "PrivateKey small-etcd-peer-cp-1", "RenewalCheck small-etcd-peer-cp-1"].sort());
    });

    it("fails an illegal rotation step with the reason, writing nothing and keeping the state", () => {
      const before = readFileSync(state, "utf8");
      const skip = writeStack(scratch, "small", { ...SMALL, rotation: { "front-proxy-ca": { generation: 1, phase: "switch" } } });
      const run = render("--config", skip, "--out", join(scratch, "s4"), "--state", state);
      assert.equal(run.status, 1);
      assert.match(run.stderr, /rotation\.front-proxy-ca: cannot go from generation 0 to generation 1 phase "switch"/);
      assert.equal(readFileSync(state, "utf8"), before);
      assert.ok(!readdirSync(scratch).includes("s4"));
    });

    it("renders a cluster-CA rotation's prepare, listing ca-signing.crt in manifest.json as the issuing CA alone", () => {
      const prepare = writeStack(scratch, "small", { ...SMALL, rotation: { reissue: { certificates: { "etcd-peer": 1 } }, ca: { generation: 1, phase: "prepare" } } });
      const run = render("--config", prepare, "--out", join(scratch, "s7"), "--state", state);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /^created: *\n(?:.*\n)*? {2}SelfSignedCert small-ca-g1$/m);
      const manifest = JSON.parse(readFileSync(join(scratch, "s7", "manifest.json"), "utf8")) as { files: { treePath: string; kind: string; row?: string; certificate?: { subject: string } }[] };
      const signing = manifest.files.find((f) => f.treePath === "nodes/cp-1/etc/kubernetes/pki/ca-signing.crt");
      assert.deepEqual({ kind: signing?.kind, row: signing?.row, subject: signing?.certificate?.subject }, { kind: "certificate", row: "ca", subject: "CN=kubernetes" });
      const caCrt = readFileSync(join(scratch, "s7", "nodes/cp-1/etc/kubernetes/pki/ca.crt"), "utf8");
      assert.equal(readFileSync(join(scratch, "s7", "nodes/cp-1/etc/kubernetes/pki/ca-signing.crt"), "utf8").trim(), caCrt.split("-----END CERTIFICATE-----")[0].trim() + "\n-----END CERTIFICATE-----");
    });

    it("refuses a state file it did not write, and one others can read, leaving both untouched", () => {
      const foreign = join(scratch, "foreign.json");
      writeFileSync(foreign, "{}", { mode: 0o600 });
      const run = render("--config", writeStack(scratch, "small", SMALL), "--out", join(scratch, "s5"), "--state", foreign);
      assert.equal(run.status, 1);
      assert.match(run.stderr, /foreign\.json is not a render state file/);
      assert.equal(readFileSync(foreign, "utf8"), "{}");
      const open = join(scratch, "open.json");
      writeFileSync(open, readFileSync(state), { mode: 0o644 });
      const loose = render("--config", writeStack(scratch, "small", SMALL), "--out", join(scratch, "s6"), "--state", open);
      assert.equal(loose.status, 1);
      assert.match(loose.stderr, /mode 0644 lets others read private keys; chmod 600 it/);
    });
  });
});

describe("offline render of the bootstrap objects, tokens and encryption configuration", function () {
  this.timeout(300_000);
  let scratch: string;
  let run: ReturnType<typeof render>;

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), "k8s-pki-render-bootstrap-"));
    const stack = { ...SMALL, bootstrap: { tokens: [{ name: "default" }, { name: "spot" }] }, encryptionAtRest: {} };
    run = render("--config", writeStack(scratch, "boot", stack), "--out", join(scratch, "out"));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("writes one YAML file per object under manifests/, in apply order, token Secrets 0600", () => {
    assert.equal(run.status, 0, run.stderr);
    const manifests = [...listTree(join(scratch, "out"))].filter(([path]) => path.startsWith("manifests/")).sort();
    assert.deepEqual(manifests.map(([path]) => path.replace(/^manifests\/\d+-/, "")), [
      "crb-kubeadm-cluster-admins.yaml",
      "crb-kubeadm-apiserver-kubelet-client.yaml",
      "crb-kubeadm-kubelet-bootstrap.yaml",
      "cr-kubeadm-get-nodes.yaml",
      "crb-kubeadm-get-nodes.yaml",
      "crb-kubeadm-node-autoapprove-bootstrap.yaml",
      "crb-kubeadm-node-autoapprove-certificate-rotation.yaml",
      "cm-cluster-info.yaml",
      "role-kubeadm-bootstrap-signer-clusterinfo.yaml",
      "rb-kubeadm-bootstrap-signer-clusterinfo.yaml",
      "token-default.yaml",
      "token-spot.yaml",
    ]);
    for (const [path, mode] of manifests) assert.equal(mode, path.includes("-token-") ? "0600" : "0644", path);
    const secret = parse(readFileSync(join(scratch, "out", manifests.find(([p]) => p.endsWith("token-spot.yaml"))![0]), "utf8")) as { metadata: { name: string } };
    assert.match(secret.metadata.name, /^bootstrap-token-[a-z0-9]{6}$/);
  });

  it("writes each token's bootstrap-kubelet.conf and join user-data (0600), and the discovery hash", () => {
    const tree = listTree(join(scratch, "out"));
    for (const token of ["default", "spot"]) {
      assert.equal(tree.get(`bootstrap/${token}/bootstrap-kubelet.conf`), "0600");
      assert.equal(tree.get(`bootstrap/${token}/user-data.yaml`), "0600");
    }
    assert.match(readFileSync(join(scratch, "out/bootstrap/discovery-token-ca-cert-hash"), "utf8"), /^sha256:[0-9a-f]{64}\n$/);
  });

  it("puts the encryption configuration on the control-plane node only, 0600, and lists it in manifest.json", () => {
    const tree = listTree(join(scratch, "out"));
    assert.equal(tree.get("nodes/cp-1/etc/kubernetes/pki/encryption-config.yaml"), "0600");
    assert.equal(tree.get("nodes/worker-1/etc/kubernetes/pki/encryption-config.yaml"), undefined);
    const manifest = JSON.parse(readFileSync(join(scratch, "out/manifest.json"), "utf8")) as { files: { treePath: string; kind: string }[] };
    const kind = (treePath: string): string | undefined => manifest.files.find((f) => f.treePath === treePath)?.kind;
    assert.equal(kind("nodes/cp-1/etc/kubernetes/pki/encryption-config.yaml"), "encryption-config");
    assert.equal(kind("bootstrap/spot/bootstrap-kubelet.conf"), "bootstrap-kubeconfig");
    assert.equal(kind("bootstrap/discovery-token-ca-cert-hash"), "discovery-hash");
    assert.ok(manifest.files.filter((f) => f.treePath.startsWith("manifests/")).every((f) => f.kind === "bootstrap-object"));
  });

  it("prints no token or key", () => {
    const tokens = readdirSync(join(scratch, "out/bootstrap")).filter((name) => name !== "discovery-token-ca-cert-hash").map((name) =>
      /token: (\S+)/.exec(readFileSync(join(scratch, "out/bootstrap", name, "bootstrap-kubelet.conf"), "utf8"))![1]);
    for (const token of tokens) assert.ok(!`${run.stdout}${run.stderr}`.includes(token.split(".")[1]), "a token secret was printed");
  });
});
