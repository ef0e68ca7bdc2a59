import * as assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { apiServerKubeletClient, APISERVER_KUBELET_CLIENT_USER, clusterCa, kubeletServing } from "../../components/catalog/kubernetes";
import { frontProxyClient } from "../../components/catalog/frontProxy";
import { FakeKubelet, KubeletAuthorizer } from "./fakes/kubelet";
import { E2eNode, readText } from "./harness/cluster";
import { httpsRequest, verifyServerAs } from "./harness/https";
import { readKubeconfig } from "./harness/kubeconfigFile";
import { kubeletKubeconfig, registerNode } from "./harness/nodes";
import { PORTS } from "./harness/topology";
import { waitFor } from "./harness/wait";
import { e2eCluster } from "./hooks";

const POD = "e2e-kubelet-logs";
/** kubeadm v1.35.5+: the only grant of the API server's kubelet client (docs/kubeadm-spec.md §5.4). */
const BINDING = "kubeadm:apiserver-kubelet-client";
const BINDING_MANIFEST = "crb-kubeadm-apiserver-kubelet-client";

/** Waits until the SubjectAccessReview a kubelet makes for the API server's client gives `allowed` on every API server. */
async function waitKubeletClientAllowed(allowed: boolean): Promise<void> {
  const cluster = e2eCluster();
  for (const cp of cluster.controlPlane) {
    await waitFor(`${BINDING} ${allowed ? "in force" : "gone"} on ${cp.name}`, 60_000, async () => {
      const r = await cluster.kubectl(cluster.superAdminConf, `--server=${cluster.apiServerUrl(cp)}`, "auth", "can-i", "get", "nodes/proxy", `--as=${APISERVER_KUBELET_CLIENT_USER}`);
      return (r.stdout.trim() === "yes") === allowed ? true : undefined;
    }, { intervalMs: 500 });
  }
}

/**
 * Webhook authorization as a kubelet does it: a SubjectAccessReview POSTed with the node's own
 * kubelet.conf credentials (the Node authorizer grants nodes `create subjectaccessreviews`).
 */
function subjectAccessReviewAs(node: E2eNode): KubeletAuthorizer {
  const credentials = readKubeconfig(kubeletKubeconfig(node));
  return async (user, groups, attributes) => {
    const review = { apiVersion: "authorization.k8s.io/v1", kind: "SubjectAccessReview", spec: { user, groups, resourceAttributes: attributes } };
    const r = await httpsRequest(`${credentials.server}/apis/authorization.k8s.io/v1/subjectaccessreviews`, credentials, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(review),
    });
    if (r.status !== 201 && r.status !== 200) throw new Error(`SubjectAccessReview as ${node.name}: ${r.status} ${r.body}`);
    return (JSON.parse(r.body) as { status: { allowed?: boolean } }).status.allowed === true;
  };
}

const fingerprint = (file: string): string => new X509Certificate(readText(file)).fingerprint256;

/**
 * kube-apiserver → kubelet (`--kubelet-client-certificate`, docs/kubeadm-spec.md §6.1, §6.5) against a
 * kubelet that serves the rendered `/var/lib/kubelet/pki/kubelet.crt` and trusts `ca.crt`.
 *
 * `kubectl logs` is the path, not `get --raw /api/v1/nodes/<node>/proxy/...`: the nodes/proxy
 * subresource refuses kubelet addresses that are not global unicast ("address not allowed",
 * `isProxyableHostname` in pkg/registry/core/node/strategy.go), and every address here is loopback.
 * Pod logs (`LogLocation`) dial the node's InternalIP and kubelet port from its status as they are.
 */
describe("API server → kubelet: apiserver-kubelet-client against a kubelet serving the rendered kubelet certificate", () => {
  let kubelet: FakeKubelet | undefined;
  const worker = (): E2eNode => e2eCluster().workers[0];

  before(async () => {
    const cluster = e2eCluster();
    // admin.conf creates the pod; the kubelet authorises the API server's client (no O) through
    // kubeadm:apiserver-kubelet-client alone, applied from the rendered manifest.
    await cluster.ensureClusterAdmins();
    await cluster.applyManifests(cluster.manifest(BINDING_MANIFEST));
    await waitKubeletClientAllowed(true);
    await registerNode(cluster, worker(), PORTS.kubelet);
    kubelet = await FakeKubelet.start({
      nodeName: worker().name,
      address: worker().address,
      port: PORTS.kubelet,
      cert: readText(worker().crt(kubeletServing)),
      key: readText(worker().key(kubeletServing)),
      clientCa: readText(worker().crt(clusterCa)),
      authorize: subjectAccessReviewAs(worker()),
    });
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: POD, namespace: "default" },
      spec: { nodeName: worker().name, automountServiceAccountToken: false, containers: [{ name: "app", image: "registry.invalid/e2e:none" }] },
    };
    await cluster.kubectl(cluster.superAdminConf, "delete", "pod", POD, "--ignore-not-found", "--grace-period=0", "--force");
    // The ServiceAccount admission plugin needs default/default, which kube-controller-manager creates.
    await waitFor(`pod ${POD} created`, 120_000, async () => {
      const r = await cluster.create(cluster.adminConf, pod);
      if (r.code !== 0) throw new Error(r.stderr.trim());
      return true;
    });
  });

  after(async () => {
    await kubelet?.close();
    const cluster = e2eCluster();
    await cluster.kubectl(cluster.superAdminConf, "delete", "pod", POD, "--ignore-not-found", "--grace-period=0", "--force");
  });

  it("kubectl logs through each API server reaches the kubelet with that node's apiserver-kubelet-client.crt (CN kube-apiserver-kubelet-client, no O)", async () => {
    const cluster = e2eCluster();
    for (const node of cluster.controlPlane) {
      const before = kubelet!.requests.length;
      const out = await cluster.kubectlOk(cluster.adminConf, `--server=${cluster.apiServerUrl(node)}`, "logs", POD);
      assert.equal(out, `fake kubelet ${worker().name}: default/${POD}/app requested by kube-apiserver-kubelet-client\n`);
      const request = kubelet!.requests.slice(before).find((r) => r.path === `/containerLogs/default/${POD}/app`);
      assert.ok(request, `the kubelet saw the request through ${node.name}`);
      assert.equal(request.client.commonName, "kube-apiserver-kubelet-client");
      assert.deepEqual(request.client.organizations, []);
      assert.equal(request.client.fingerprint256, fingerprint(node.crt(apiServerKubeletClient)), `${node.name}'s own certificate`);
    }
  });

  it("the kubelet authorised each of those requests with a SubjectAccessReview (nodes/proxy, allowed through kubeadm:apiserver-kubelet-client)", () => {
    const requests = kubelet!.requests.filter((r) => r.path.startsWith("/containerLogs/"));
    assert.ok(requests.length >= e2eCluster().controlPlane.length);
    for (const r of requests) {
      assert.deepEqual(r.attributes, { verb: "get", resource: "nodes", subresource: "proxy", name: worker().name });
      assert.equal(r.allowed, true);
    }
  });

  it("kubeadm:apiserver-kubelet-client is the rendered binding: User kube-apiserver-kubelet-client → system:kubelet-api-admin", async () => {
    const cluster = e2eCluster();
    const binding = await cluster.kubectlJson<{ roleRef: { kind: string; name: string }; subjects: { kind: string; name: string }[] }>(
      cluster.superAdminConf, "get", "clusterrolebinding", BINDING);
    assert.deepEqual(binding.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:kubelet-api-admin" });
    assert.deepEqual(binding.subjects.map((s) => `${s.kind}/${s.name}`), [`User/${APISERVER_KUBELET_CLIENT_USER}`]);
  });

  it("without kubeadm:apiserver-kubelet-client the kubelet refuses the API server: kubectl logs fails with the kubelet's Forbidden, and works again once the manifest is re-applied", async () => {
    const cluster = e2eCluster();
    await cluster.kubectlOk(cluster.superAdminConf, "delete", "clusterrolebinding", BINDING);
    try {
      await waitKubeletClientAllowed(false);
      const before = kubelet!.requests.length;
      const r = await cluster.kubectl(cluster.adminConf, "logs", POD);
      assert.notEqual(r.code, 0, r.stdout);
      assert.match(r.stderr, /Forbidden \(user=kube-apiserver-kubelet-client, verb=get, resource=nodes, subresource=proxy\)/);
      const refused = kubelet!.requests.slice(before);
      assert.ok(refused.length > 0 && refused.every((q) => !q.allowed), "the kubelet saw and refused the request");
    } finally {
      await cluster.applyManifests(cluster.manifest(BINDING_MANIFEST));
      await waitKubeletClientAllowed(true);
    }
    const out = await cluster.kubectlOk(cluster.adminConf, "logs", POD);
    assert.match(out, /requested by kube-apiserver-kubelet-client/);
  });

  it("the kubelet serving certificate verifies against ca.crt for the node's address and name", async () => {
    const client = { cert: readText(e2eCluster().controlPlane[0].crt(apiServerKubeletClient)), key: readText(e2eCluster().controlPlane[0].key(apiServerKubeletClient)) };
    for (const name of [worker().address, worker().name]) {
      const cert = await verifyServerAs(worker().address, PORTS.kubelet, name, readText(worker().crt(clusterCa)), client);
      assert.equal(cert.subject.CN, `system:node:${worker().name}`);
      assert.equal(cert.fingerprint256, fingerprint(worker().crt(kubeletServing)));
    }
  });

  it("the kubelet refuses a client certificate that ca.crt did not sign (front-proxy-client)", async () => {
    const cp = e2eCluster().controlPlane[0];
    await assert.rejects(
      httpsRequest(`https://${worker().address}:${PORTS.kubelet}/containerLogs/default/${POD}/app`, {
        ca: readText(worker().crt(clusterCa)),
        cert: readText(cp.crt(frontProxyClient)),
        key: readText(cp.key(frontProxyClient)),
      }),
    );
  });
});
