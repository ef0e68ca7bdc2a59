import * as assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { apiServerKubeletClient, CLUSTER_ADMINS_GROUP, clusterCa, kubeletServing } from "../../components/catalog/kubernetes";
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
 * kube-apiserver → kubelet (`--kubelet-client-certificate`, kubeadm-spec §6.1, §6.5) against a
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
    // The kubelet authorises the API server's client (O=kubeadm:cluster-admins) through this binding, as on a kubeadm cluster.
    await cluster.ensureClusterAdmins();
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

  it("kubectl logs through each API server reaches the kubelet with that node's apiserver-kubelet-client.crt (CN kube-apiserver-kubelet-client, O kubeadm:cluster-admins)", async () => {
    const cluster = e2eCluster();
    for (const node of cluster.controlPlane) {
      const before = kubelet!.requests.length;
      const out = await cluster.kubectlOk(cluster.adminConf, `--server=${cluster.apiServerUrl(node)}`, "logs", POD);
      assert.equal(out, `fake kubelet ${worker().name}: default/${POD}/app requested by kube-apiserver-kubelet-client\n`);
      const request = kubelet!.requests.slice(before).find((r) => r.path === `/containerLogs/default/${POD}/app`);
      assert.ok(request, `the kubelet saw the request through ${node.name}`);
      assert.equal(request.client.commonName, "kube-apiserver-kubelet-client");
      assert.deepEqual(request.client.organizations, [CLUSTER_ADMINS_GROUP]);
      assert.equal(request.client.fingerprint256, fingerprint(node.crt(apiServerKubeletClient)), `${node.name}'s own certificate`);
    }
  });

  it("the kubelet authorised each of those requests with a SubjectAccessReview (nodes/proxy, allowed through kubeadm:cluster-admins)", () => {
    const requests = kubelet!.requests.filter((r) => r.path.startsWith("/containerLogs/"));
    assert.ok(requests.length >= e2eCluster().controlPlane.length);
    for (const r of requests) {
      assert.deepEqual(r.attributes, { verb: "get", resource: "nodes", subresource: "proxy", name: worker().name });
      assert.equal(r.allowed, true);
    }
  });

  it("without kubeadm:cluster-admins the kubelet would refuse the API server (the SubjectAccessReview denies a bare kube-apiserver-kubelet-client)", async () => {
    const deny = await subjectAccessReviewAs(worker())("kube-apiserver-kubelet-client", [], {
      verb: "get", resource: "nodes", subresource: "proxy", name: worker().name,
    });
    assert.equal(deny, false);
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
