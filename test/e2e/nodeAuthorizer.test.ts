import * as assert from "node:assert/strict";
import { PORTS } from "./harness/topology";
import { createNodeAs, kubeletKubeconfig, patchNodeAs, registerNode } from "./harness/nodes";
import { e2eCluster } from "./hooks";

/**
 * `--authorization-mode=Node,RBAC` and `--enable-admission-plugins=NodeRestriction` with the
 * rendered kubelet identities (CN system:node:<name>, O system:nodes): a kubelet may create, read
 * and update its own Node object and nothing of another node's.
 */
describe("Node authorizer and NodeRestriction: a kubelet identity owns its own Node object only", () => {
  const self = () => e2eCluster().workers[0];
  const other = () => e2eCluster().workers[1];

  before(async () => {
    // Start from unregistered nodes, whatever other scenarios did before.
    const cluster = e2eCluster();
    await cluster.kubectlOk(cluster.superAdminConf, "delete", "node", self().name, other().name, "--ignore-not-found", "--wait=true");
  });

  it("worker-1's kubelet.conf creates its own Node object", async () => {
    const cluster = e2eCluster();
    const r = await createNodeAs(cluster, self(), self().name);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { metadata: { name: string } }).metadata.name, self().name);
  });

  it("worker-1 reads its Node, labels it and updates its status", async () => {
    const cluster = e2eCluster();
    const kubeconfig = kubeletKubeconfig(self());
    await cluster.kubectlOk(kubeconfig, "label", "node", self().name, "e2e.kubernetes-pki.example.com/registered=true");
    await registerNode(cluster, self(), PORTS.kubelet); // status patch: addresses, kubelet port
    const node = await cluster.kubectlJson<{
      metadata: { labels: Record<string, string> };
      status: { addresses: { type: string; address: string }[]; daemonEndpoints: { kubeletEndpoint: { Port: number } } };
    }>(kubeconfig, "get", "node", self().name);
    assert.equal(node.metadata.labels["e2e.kubernetes-pki.example.com/registered"], "true");
    assert.deepEqual(node.status.addresses.find((a) => a.type === "InternalIP")?.address, self().address);
    assert.equal(node.status.daemonEndpoints.kubeletEndpoint.Port, PORTS.kubelet);
  });

  it("worker-1 may not create worker-2's Node object (NodeRestriction)", async () => {
    const r = await createNodeAs(e2eCluster(), self(), other().name);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Forbidden/);
    assert.match(r.stderr, /node "worker-1" is not allowed to modify node "worker-2"/);
  });

  it("worker-1 may neither read nor modify worker-2's Node once worker-2 has registered", async () => {
    const cluster = e2eCluster();
    assert.equal((await createNodeAs(cluster, other(), other().name)).code, 0, "worker-2 registers itself");
    const kubeconfig = kubeletKubeconfig(self());
    const read = await cluster.kubectl(kubeconfig, "get", "node", other().name);
    assert.notEqual(read.code, 0);
    assert.match(read.stderr, /User "system:node:worker-1" cannot get resource "nodes"/);
    assert.match(read.stderr, /only its own Node object/);
    for (const subresource of [undefined, "status"] as const) {
      const write = await patchNodeAs(self(), other().name, { metadata: { labels: { "e2e.kubernetes-pki.example.com/hijacked": "true" } } }, subresource);
      assert.equal(write.status, 403, `PATCH ${subresource ?? "node"}: ${write.body}`);
      assert.match(write.body, /node \\?"worker-1\\?" is not allowed to modify node \\?"worker-2\\?"/);
    }
    const list = await cluster.kubectl(kubeconfig, "get", "nodes");
    assert.notEqual(list.code, 0, "a kubelet may not list all nodes");
  });
});
