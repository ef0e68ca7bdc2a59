import * as assert from "node:assert/strict";
import { createPublicKey } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { NodeContext } from "../../components";
import { CA_ROWS } from "../../components/catalog";
import { serviceAccountKey } from "../../components/catalog/kubernetes";
import { KUBERNETES_DIR, PKI_DIR } from "../../components/layout";
import { RenderedStack, runProgram } from "../../offline/runProgram";
import { readStackConfig } from "../../offline/stackConfig";
import { PRIVATE_KEY } from "../../offline/tls/tokens";
import { TlsEmulator } from "../../offline/tlsEmulator";
import { NODES_DIR, OPERATOR_DIR, treeFiles } from "../../offline/tree";
import { writeTree } from "../../offline/writeTree";
import { runKubeadm, SharedKeyPair, withRoutableAddresses } from "./harness/kubeadmOracle";
import { certificateFields, differences, FieldDifference, Fields, kubeconfigFields } from "./harness/pkiFields";
import { E2E_STACK_FILE } from "./harness/topology";
import { e2eCluster } from "./hooks";
import { rowPath } from "../../components/placement";

/**
 * Where the rendered tree differs from what kubeadm makes, on purpose. Every other field of every
 * certificate and kubeconfig kubeadm makes must be equal, and every row here must still be a real
 * difference (a row that no longer differs is stale and fails the suite).
 */
const DELIBERATE: readonly { files: readonly string[]; field: string; nodes: "control-plane" | "worker"; reason: string }[] = [
  {
    files: [
      ...["ca.crt", "etcd/ca.crt", "front-proxy-ca.crt"],
      ...["apiserver.crt", "apiserver-kubelet-client.crt", "apiserver-etcd-client.crt", "front-proxy-client.crt", "etcd/server.crt", "etcd/peer.crt", "etcd/healthcheck-client.crt"],
    ],
    field: "notBefore",
    nodes: "control-plane",
    reason: "kubeadm backdates its CAs and leaves 5 min (CertificateBackdate) against clock skew; the tls provider's certificates have no notBefore input, so ours start when issued",
  },
  {
    files: ["super-admin.conf"],
    field: "location",
    nodes: "control-plane",
    reason: "the break-glass system:masters identity is the operator's alone; kubeadm leaves it on the first control-plane node",
  },
  {
    files: ["kubelet.conf"],
    field: "server",
    nodes: "worker",
    reason: "a worker runs no API server: its kubelet reaches the control-plane endpoint, as a kubeadm worker's bootstrapped kubelet.conf does",
  },
];

/** kubeadm's phases per node: everything for a control-plane node, the kubelet's kubeconfig for a worker. */
const PHASES = {
  "control-plane": [["certs", "all"], ["kubeconfig", "all"]],
  worker: [["kubeconfig", "kubelet"]],
} as const;

const routable = withRoutableAddresses(readStackConfig(E2E_STACK_FILE));
const roleOf = (node: NodeContext): "control-plane" | "worker" => (node.roles.has("control-plane") ? "control-plane" : "worker");
const controlPlane = routable.plan.nodes.filter((n) => roleOf(n) === "control-plane");
const nodes: readonly NodeContext[] = [...controlPlane, ...routable.plan.nodes.filter((n) => roleOf(n) === "worker").slice(0, 1)];
const spkiDer = (pem: string): Buffer => createPublicKey(pem).export({ type: "spki", format: "der" });

/** Files under `dir` (recursively) whose names end with `suffix`, relative to `dir`. */
function filesEnding(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(suffix)).sort();
}

/** Our CAs and service-account key pair, as kubeadm expects them in its certificates dir. */
function sharedKeyPairs(rendered: RenderedStack, emulator: TlsEmulator, controlPlaneNode: string): SharedKeyPair[] {
  const keys = emulator.resources.filter((r) => r.type === PRIVATE_KEY);
  const cas = CA_ROWS.map((row): SharedKeyPair => {
    const certPem = rendered.caCertificates[row.id];
    const key = keys.find((k) => spkiDer(String(k.state.publicKeyPem)).equals(spkiDer(certPem)));
    if (key === undefined) throw new Error(`no private key of the rendered CA ${row.id}`);
    return { publicFile: relative(PKI_DIR, rowPath(row, "certificate")), privateFile: relative(PKI_DIR, rowPath(row, "private-key")), publicPem: certPem, privatePem: String(key.state.privateKeyPem) };
  });
  const files = rendered.files[controlPlaneNode];
  const [publicPath, privatePath] = [rowPath(serviceAccountKey, "public-key"), rowPath(serviceAccountKey, "private-key")];
  const sa = { publicFile: relative(PKI_DIR, publicPath), privateFile: relative(PKI_DIR, privatePath), publicPem: files[publicPath].content, privatePem: files[privatePath].content };
  return [...cas, sa];
}

/** One difference, named by file and field, on one node. */
interface Found extends FieldDifference {
  readonly node: NodeContext;
  readonly file: string;
}

const isDeliberate = (d: Found): boolean => DELIBERATE.some((row) => row.files.includes(d.file) && row.field === d.field && row.nodes === roleOf(d.node));

describe("kubeadm parity: kubeadm v1.35.8, given our CAs, makes the same certificates and kubeconfigs as the rendered e2e stack", function () {
  this.timeout(5 * 60_000);
  let rendered: RenderedStack;
  let emulator: TlsEmulator;
  let tree: string;
  let work: string;
  let issuedFrom: Date;
  const found: Found[] = [];

  before(async function renderTheStackKeepingItsCaKeys() {
    work = e2eCluster().scratch("kubeadm-parity");
    tree = join(work, "tree");
    emulator = new TlsEmulator();
    issuedFrom = new Date();
    rendered = await runProgram(routable.stack, emulator);
    await writeTree(tree, treeFiles(rendered), false);
  });

  for (const node of nodes) {
    it(`${node.name}: every certificate and kubeconfig kubeadm makes equals ours, field by field, but for the deliberate differences`, async () => {
      const ours = (path: string): string => join(tree, NODES_DIR, node.name, path);
      const shared = sharedKeyPairs(rendered, emulator, controlPlane[0].name);
      const made = await runKubeadm(join(e2eCluster().bin, "kubeadm"), routable.plan, node, shared, PHASES[roleOf(node)], join(work, node.name));
      const diffs: Found[] = [];
      const record = (file: string, kubeadm: Fields, our: Fields): void => {
        for (const d of differences(kubeadm, our)) diffs.push({ ...d, node, file });
      };

      const sharedFiles = new Set(shared.map((pair) => pair.publicFile));
      const kubeadmCerts = filesEnding(made.certificatesDir, ".crt").filter((f) => !sharedFiles.has(f));
      const ourCerts = filesEnding(ours(PKI_DIR), ".crt").filter((f) => !sharedFiles.has(f));
      for (const file of new Set([...kubeadmCerts, ...ourCerts])) {
        const where = { location: kubeadmCerts.includes(file) ? "node" : "absent" };
        if (!ourCerts.includes(file) || !kubeadmCerts.includes(file)) {
          record(file, where, { location: ourCerts.includes(file) ? "node" : "absent" });
          continue;
        }
        const kubeadmPem = readFileSync(join(made.certificatesDir, file), "utf8");
        const ourPem = readFileSync(ours(join(PKI_DIR, file)), "utf8");
        record(file, { ...where, ...certificateFields(kubeadmPem, issuedFrom) }, { ...where, ...certificateFields(ourPem, issuedFrom) });
      }

      const kubeadmConfs = filesEnding(made.kubeconfigDir, ".conf");
      const ourConfs = readdirSync(ours(KUBERNETES_DIR)).filter((f) => f.endsWith(".conf"));
      for (const file of new Set([...kubeadmConfs, ...ourConfs])) {
        const operatorCopy = join(tree, OPERATOR_DIR, file);
        const ourPath = ourConfs.includes(file) ? ours(join(KUBERNETES_DIR, file)) : existsSync(operatorCopy) ? operatorCopy : undefined;
        const ourLocation = ourConfs.includes(file) ? "node" : ourPath !== undefined ? "operator only" : "absent";
        if (!kubeadmConfs.includes(file) || ourPath === undefined) {
          record(file, { location: kubeadmConfs.includes(file) ? "node" : "absent" }, { location: ourLocation });
          continue;
        }
        const kubeadmFields = { location: "node", ...kubeconfigFields(join(made.kubeconfigDir, file), issuedFrom) };
        record(file, kubeadmFields, { location: ourLocation, ...kubeconfigFields(ourPath, issuedFrom) });
      }

      assert.ok(kubeadmCerts.length + kubeadmConfs.length > 0, `kubeadm made nothing for ${node.name}`);
      found.push(...diffs);
      const unexplained = diffs.filter((d) => !isDeliberate(d));
      assert.deepEqual(
        unexplained.map((d) => `${d.file}: ${d.field}: kubeadm ${d.kubeadm} / ours ${d.ours}`),
        [],
        `${node.name}: fields where the rendered tree differs from kubeadm (compared: ${kubeadmCerts.join(", ")} ${kubeadmConfs.join(", ")})`,
      );
    });
  }

  it("the CAs kubeadm makes itself (ca, etcd-ca, front-proxy-ca) have the fields of ours, but for the deliberate differences", async () => {
    const node = controlPlane[0];
    const phases = CA_ROWS.map((row) => ["certs", row.id]);
    const made = await runKubeadm(join(e2eCluster().bin, "kubeadm"), routable.plan, node, [], phases, join(work, "own-cas"));
    const diffs = CA_ROWS.flatMap((row): Found[] => {
      const file = relative(PKI_DIR, rowPath(row, "certificate"));
      const kubeadm = certificateFields(readFileSync(join(made.certificatesDir, file), "utf8"), issuedFrom);
      return differences(kubeadm, certificateFields(rendered.caCertificates[row.id], issuedFrom)).map((d) => ({ ...d, node, file }));
    });
    found.push(...diffs);
    const unexplained = diffs.filter((d) => !isDeliberate(d));
    assert.deepEqual(unexplained.map((d) => `${d.file}: ${d.field}: kubeadm ${d.kubeadm} / ours ${d.ours}`), [], "fields where our CAs differ from kubeadm's own");
  });

  it("every deliberate difference is still a difference on some node (no stale row)", () => {
    const stale = DELIBERATE.flatMap((row) =>
      row.files.filter((file) => !found.some((d) => d.file === file && d.field === row.field && roleOf(d.node) === row.nodes)).map((file) => `${file}: ${row.field} (${row.nodes})`),
    );
    assert.deepEqual(stale, []);
  });
});
