import * as assert from "node:assert/strict";
import {
  adminConf,
  CLUSTER_ADMINS_GROUP,
  controllerManagerConf,
  kubeletConf,
  kubeProxyConf,
  schedulerConf,
} from "../../components/catalog/kubernetes";
import { readKubeconfig } from "./harness/kubeconfigFile";
import { readTopology } from "./harness/topology";
import { e2eCluster } from "./hooks";

/** The user an API server sees (`kubectl auth whoami`, a SelfSubjectReview). */
interface UserInfo {
  readonly username: string;
  readonly groups?: readonly string[];
}

/** Authenticates with the kubeconfig as it is rendered (its own server, CA and client certificate). */
async function whoami(kubeconfig: string): Promise<UserInfo> {
  const review = await e2eCluster().kubectlJson<{ status: { userInfo: UserInfo } }>(kubeconfig, "auth", "whoami");
  return review.status.userInfo;
}

async function assertIdentity(kubeconfig: string, username: string, groups: readonly string[], server: string): Promise<void> {
  assert.equal(readKubeconfig(kubeconfig).server, server, `${kubeconfig} points at ${server}`);
  const user = await whoami(kubeconfig);
  assert.equal(user.username, username);
  assert.deepEqual([...(user.groups ?? [])].sort(), [...groups, "system:authenticated"].sort());
}

// Node names come from the stack file, so each kubeconfig gets its own named test.
const topology = readTopology();
const endpoint = `https://${topology.plan.endpointHost}:${topology.plan.endpointPort}`;
const localApiServer = (address: string): string => `https://${address}:${topology.plan.bindPort}`;

describe("identities: every rendered kubeconfig authenticates as kubeadm's identity (kubectl auth whoami)", () => {
  it(`operator admin.conf is kubernetes-admin in ${CLUSTER_ADMINS_GROUP}, through the endpoint`, async () => {
    await assertIdentity(e2eCluster().adminConf, "kubernetes-admin", [CLUSTER_ADMINS_GROUP], endpoint);
  });

  it("operator super-admin.conf is kubernetes-super-admin in system:masters, through the endpoint", async () => {
    await assertIdentity(e2eCluster().superAdminConf, "kubernetes-super-admin", ["system:masters"], endpoint);
  });

  for (const n of topology.controlPlane) {
    it(`${n.name}: admin.conf is kubernetes-admin in ${CLUSTER_ADMINS_GROUP}, through the endpoint`, async () => {
      await assertIdentity(e2eCluster().node(n.name).file(adminConf.path), "kubernetes-admin", [CLUSTER_ADMINS_GROUP], endpoint);
    });
    it(`${n.name}: controller-manager.conf is system:kube-controller-manager, through its own API server`, async () => {
      const file = e2eCluster().node(n.name).file(controllerManagerConf.path);
      await assertIdentity(file, "system:kube-controller-manager", [], localApiServer(n.address));
    });
    it(`${n.name}: scheduler.conf is system:kube-scheduler, through its own API server`, async () => {
      await assertIdentity(e2eCluster().node(n.name).file(schedulerConf.path), "system:kube-scheduler", [], localApiServer(n.address));
    });
  }

  for (const n of [...topology.controlPlane, ...topology.workers]) {
    const server = n.controlPlane ? localApiServer(n.address) : endpoint;
    it(`${n.name}: kubelet.conf is system:node:${n.name} in system:nodes, through ${n.controlPlane ? "its own API server" : "the endpoint"}`, async () => {
      await assertIdentity(e2eCluster().node(n.name).file(kubeletConf.path), `system:node:${n.name}`, ["system:nodes"], server);
    });
    it(`${n.name}: kube-proxy's kubeconfig is system:kube-proxy, through the endpoint`, async () => {
      await assertIdentity(e2eCluster().node(n.name).file(kubeProxyConf.path), "system:kube-proxy", [], endpoint);
    });
  }
});
