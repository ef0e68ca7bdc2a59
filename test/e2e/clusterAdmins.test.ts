import * as assert from "node:assert/strict";
import { CLUSTER_ADMINS_GROUP } from "../../components/catalog/kubernetes";
import { e2eCluster } from "./hooks";

/**
 * docs/kubeadm-spec.md §5.4: admin.conf (O=kubeadm:cluster-admins) has no rights until `kubeadm init`
 * creates the ClusterRoleBinding `kubeadm:cluster-admins` → cluster-admin, which kubeadm does with
 * super-admin.conf (system:masters) when admin.conf is forbidden. The tests walk that sequence.
 */
describe("kubeadm:cluster-admins: admin.conf is powerless until the binding exists, super-admin.conf is not", () => {
  before(async () => {
    // Other scenarios may have created the binding already (each calls ensureClusterAdmins); start from none.
    const cluster = e2eCluster();
    await cluster.kubectlOk(cluster.superAdminConf, "delete", "clusterrolebinding", CLUSTER_ADMINS_GROUP, "--ignore-not-found");
    await cluster.waitAdminAllowed(false);
  });

  it("admin.conf is forbidden to list nodes without the binding", async () => {
    const cluster = e2eCluster();
    const r = await cluster.kubectl(cluster.adminConf, "get", "nodes");
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Forbidden|forbidden/);
    assert.match(r.stderr, /User "kubernetes-admin" cannot list resource "nodes"/);
  });

  it("super-admin.conf (system:masters) can do everything without any binding", async () => {
    const cluster = e2eCluster();
    assert.equal((await cluster.kubectlOk(cluster.superAdminConf, "auth", "can-i", "*", "*")).trim(), "yes");
    await cluster.kubectlOk(cluster.superAdminConf, "get", "nodes");
  });

  it("super-admin.conf creates kubeadm:cluster-admins → cluster-admin, after which admin.conf is cluster-admin on every API server", async () => {
    const cluster = e2eCluster();
    await cluster.ensureClusterAdmins(); // create as super-admin.conf, then wait for every API server
    const binding = await cluster.kubectlJson<{ roleRef: { name: string }; subjects: { kind: string; name: string }[] }>(
      cluster.adminConf, "get", "clusterrolebinding", CLUSTER_ADMINS_GROUP);
    assert.equal(binding.roleRef.name, "cluster-admin");
    assert.deepEqual(binding.subjects.map((s) => `${s.kind}/${s.name}`), [`Group/${CLUSTER_ADMINS_GROUP}`]);
    for (const node of cluster.controlPlane) {
      const r = await cluster.kubectl(cluster.adminConf, `--server=${cluster.apiServerUrl(node)}`, "auth", "can-i", "*", "*");
      assert.equal(r.stdout.trim(), "yes", `admin.conf on ${node.name}: ${r.stderr}`);
    }
    await cluster.kubectlOk(cluster.adminConf, "get", "nodes");
  });
});
