import * as assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { join } from "node:path";
import { KubernetesPkiArgs } from "../../../components";
import { etcdCa } from "../../../components/catalog/etcd";
import { clusterCa, serviceAccountKey } from "../../../components/catalog/kubernetes";
import { rowPath } from "../../../components/placement";
import { RotationPhase, ROTATION_PHASES } from "../../../components/rotation/stages";
import { CLUSTER_KEY } from "../../engine/harness/engineStack";
import { pemBlocks } from "../../helpers/trustMatrix";
import { FakeKubelet } from "../fakes/kubelet";
import { AggregatedApi, startAggregatedApi, stopAggregatedApi, waitApiServiceAvailable } from "../harness/aggregatedApi";
import { progress } from "../harness/boot";
import { E2eNode, readText } from "../harness/cluster";
import { assertClusterWorks, Expectations } from "../harness/clusterWorks";
import { TreeChange } from "../harness/pkiSource";
import { approveAndWaitSigned, createKubeletClientCsr } from "../harness/csr";
import { deletePod, prepareKubeletLogs, startKubelet } from "../harness/kubeletLogs";
import { MANIFESTS_DIR } from "../../../offline/tree";
import { waitFor } from "../harness/wait";
import { e2eCluster } from "../hooks";

const POD = "e2e-rotation-logs";
const SERVICE_ACCOUNT = { namespace: "default", name: "e2e-rotation" };
const SA_USER = `system:serviceaccount:${SERVICE_ACCOUNT.namespace}:${SERVICE_ACCOUNT.name}`;
const CSR = "e2e-rotation-kubelet-client";

/** The authorities this scenario rotates, in order, on one cluster. */
type Rotated = "ca" | "etcd-ca" | "sa";

/** A restart an operator makes, one node at a time. */
type Restart = "etcd" | "kube-apiserver" | "kubelet";

/**
 * What an operator restarts after each phase of a rotation is delivered, in this order, one node at
 * a time (the README's rotation section). `kube-apiserver` restarts the node's controller-manager
 * and scheduler with it (they use their node's own API server). Every phase of one authority
 * restarts the same components: each phase changes files all of them read at start.
 */
const RESTARTS: Readonly<Record<Rotated, readonly Restart[]>> = {
  // ca.crt (client CA of every component, CA data of every kubeconfig), the leaves and kubeconfigs it signs, ca.key.
  ca: ["kube-apiserver", "kubelet"],
  // etcd/ca.crt and the etcd leaves: the members first, then their clients, the API servers.
  "etcd-ca": ["etcd", "kube-apiserver"],
  // sa.pub (every API server's verifying keys), sa.key (the API servers' and controller-managers' signing key).
  sa: ["kube-apiserver"],
};

/** Whether two PEM texts hold the same blocks in the same order. */
const sameBlocks = (a: string, b: string): boolean => pemBlocks(a).map((p) => p.trim()).join("\n") === pemBlocks(b).map((p) => p.trim()).join("\n");

/** Every phase of every rotation, in the order applied: each authority from prepare to finish, one after the other. */
const STEPS: readonly { authority: Rotated; phase: RotationPhase }[] = (Object.keys(RESTARTS) as Rotated[]).flatMap((authority) =>
  ROTATION_PHASES.map((phase) => ({ authority, phase })));

/** The trust bundle of an authority on a control-plane node: the file whose PEM blocks are the trusted CAs (or keys). */
const bundleOf = (authority: Rotated, node: E2eNode): string =>
  ({ ca: node.crt(clusterCa), "etcd-ca": node.crt(etcdCa), sa: node.file(rowPath(serviceAccountKey, "public-key")) })[authority];

/**
 * The live cluster through staged rotations: on the booted cluster, the cluster CA, then the etcd CA,
 * then the service-account key go through prepare, switch and finish. Each phase is the next update
 * of the same stack (a `pulumi up`, or an offline render continuing from the last), its changed files
 * are delivered to every node, then the affected components are restarted one node at a time, and
 * after the delivery and after every single restart the cluster must work: etcd healthy with every
 * member, every kubeconfig of the tree authenticating on every API server, `kubectl logs` reaching the
 * kubelet, the aggregated API Available, and the service-account token issued before any rotation
 * accepted until the service-account key's *finish* (and rejected after it).
 *
 * Runs after every other scenario: it changes the PKI they read.
 */
describe("rotation on a live cluster: ca, etcd-ca and sa through prepare, switch and finish, one node at a time", function () {
  this.timeout(20 * 60_000);
  const cluster = e2eCluster;
  const worker = (): E2eNode => cluster().workers[0];
  let kubelet: FakeKubelet | undefined;
  let aggregated: AggregatedApi | undefined;
  let earlyToken = "";
  /** API servers restarted since the service-account key's finish was delivered: they no longer trust the old key. */
  const rejectingEarlyToken = new Set<string>();
  const users = new Map<string, string>();
  /** The phase that failed, if one did: the phases after it have nothing to start from. */
  let failed: string | undefined;
  const base = (): KubernetesPkiArgs => JSON.parse(cluster().topology.stack.config[CLUSTER_KEY]) as KubernetesPkiArgs;

  const expectations = (): Expectations => ({
    pod: POD,
    kubelet: kubelet!,
    users,
    earlyToken: { token: earlyToken, user: SA_USER, acceptedBy: (node) => !rejectingEarlyToken.has(node.name) },
    serviceAccount: SERVICE_ACCOUNT,
  });

  /** Checks the cluster after a step and says how long the step and the checks took. */
  async function step(label: string, action: () => Promise<void>): Promise<void> {
    const t = Date.now();
    await action();
    const took = Date.now() - t;
    await assertClusterWorks(cluster(), expectations());
    progress(`rotation ${label} (${(took / 1000).toFixed(1)}s); the cluster works`, t);
  }

  async function restart(authority: Rotated, phase: RotationPhase, what: Restart, node: E2eNode): Promise<void> {
    await step(`${authority}/${phase}: ${node.name} ${what} restarted`, async () => {
      if (what === "kubelet") {
        await kubelet?.close();
        kubelet = await startKubelet(node);
      } else if (what === "etcd") {
        await cluster().restart(node.name, "etcd");
      } else {
        await cluster().restartApiServer(node.name);
        if (authority === "sa" && phase === "finish") rejectingEarlyToken.add(node.name);
      }
    });
  }

  before(async () => {
    const c = cluster();
    assert.ok(c.pki !== undefined, "the cluster keeps the stack its PKI came from");
    await c.applyManifests(); // what kubeadm init creates, the bootstrap token's Secret included
    await prepareKubeletLogs(c, worker(), POD);
    kubelet = await startKubelet(worker());
    aggregated = await startAggregatedApi(c);
    await waitApiServiceAvailable(c);
    const created = await c.kubectl(c.adminConf, "create", "serviceaccount", "-n", SERVICE_ACCOUNT.namespace, SERVICE_ACCOUNT.name);
    assert.ok(created.code === 0 || /AlreadyExists/.test(created.stderr), created.stderr);
    earlyToken = (await c.kubectlOk(c.adminConf, "create", "token", "-n", SERVICE_ACCOUNT.namespace, SERVICE_ACCOUNT.name, "--duration=2h")).trim();
    await step("baseline", async () => {});
  });

  after(async () => {
    const c = cluster();
    await kubelet?.close();
    await stopAggregatedApi(c, aggregated);
    await deletePod(c, POD);
    await c.kubectl(c.adminConf, "delete", "csr", CSR, "--ignore-not-found");
    await c.kubectl(c.adminConf, "delete", "serviceaccount", "-n", SERVICE_ACCOUNT.namespace, SERVICE_ACCOUNT.name, "--ignore-not-found");
  });

  /**
   * Each update, started as soon as the one before is delivered: what an update makes does not
   * depend on the cluster, so the next `pulumi up` runs while the nodes restart, and its files reach
   * them only once every restart of the phase before is done.
   */
  const updates: Promise<TreeChange>[] = [];
  const updateFor = (i: number): Promise<TreeChange> => {
    if (updates[i] === undefined) {
      const rotation = Object.fromEntries(STEPS.slice(0, i + 1).map((s) => [s.authority, s.phase === "finish" ? { generation: 1 } : { generation: 1, phase: s.phase }]));
      updates[i] = cluster().updatePki({ ...base(), rotation });
      updates[i].catch(() => undefined); // awaited by its own test
    }
    return updates[i];
  };

  STEPS.forEach(({ authority, phase }, i) => {
    it(`${authority} ${phase}: delivered to every node, then ${RESTARTS[authority].join(", then ")} restarted node by node; the cluster works after every step`, async () => {
      const c = cluster();
      if (failed !== undefined) throw new Error(`not run: ${failed} failed, and every phase starts where the one before ended`);
      failed = `${authority} ${phase}`;
      const t = Date.now();
      const change = await updateFor(i);
      c.deliver(change);
      if (i + 1 < STEPS.length) updateFor(i + 1);
      progress(`rotation ${authority}/${phase}: ${change.changed.length} files changed, ${change.removed.length} removed`, t);
      assert.ok(change.changed.length > 0, "the phase changes files");
      const manifests = change.changed.filter((f) => f.path.startsWith(`${MANIFESTS_DIR}/`));
      for (const manifest of manifests) await c.applyManifests(join(c.treeDir, manifest.path));
      await step(`${authority}/${phase}: delivered`, async () => {});

      for (const what of RESTARTS[authority]) {
        const nodes = what === "kubelet" ? [worker()] : c.controlPlane;
        for (const node of nodes) await restart(authority, phase, what, node);
      }

      for (const node of c.controlPlane) {
        assert.equal(pemBlocks(readText(bundleOf(authority, node))).length, phase === "finish" ? 1 : 2, `${node.name}: ${authority} bundle at ${phase}`);
      }
      if (authority === "ca") await assertCaConsumers(phase);
      if (authority === "sa" && phase === "finish") {
        assert.deepEqual([...rejectingEarlyToken].sort(), c.controlPlane.map((n) => n.name).sort(), "every API server rejects the token signed with the old key");
      }
      failed = undefined;
    });
  });

  /**
   * After a phase of the cluster CA: kube-controller-manager signs a kubelet client CSR with the
   * issuing CA (the first of `ca.crt`; `ca-signing.crt` while both are trusted), and publishes the
   * whole bundle to pods as `kube-root-ca.crt`.
   */
  async function assertCaConsumers(phase: RotationPhase): Promise<void> {
    const c = cluster();
    const cp = c.controlPlane[0];
    const issuer = new X509Certificate(pemBlocks(readText(cp.crt(clusterCa)))[0]);
    await createKubeletClientCsr(c, CSR, `e2e-rotation-${phase}`, c.scratch(`csr-${phase}`));
    const signed = new X509Certificate(await approveAndWaitSigned(c, CSR));
    assert.ok(signed.checkIssued(issuer) && signed.verify(issuer.publicKey), `at ${phase} the controller-manager signs with the issuing CA ${issuer.fingerprint256}`);
    await waitFor("kube-root-ca.crt holds ca.crt", 60_000, async () => {
      const configMap = await c.kubectlJson<{ data: Record<string, string> }>(c.adminConf, "get", "configmap", "kube-root-ca.crt", "-n", "default");
      return sameBlocks(configMap.data["ca.crt"], readText(cp.crt(clusterCa))) ? true : undefined;
    });
  }
});
