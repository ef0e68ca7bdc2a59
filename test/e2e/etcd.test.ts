import * as assert from "node:assert/strict";
import { apiServerEtcdClient, etcdCa, etcdHealthcheckClient } from "../../components/catalog/etcd";
import { apiServerKubeletClient, clusterCa } from "../../components/catalog/kubernetes";
import { readFileSync } from "node:fs";
import { E2eNode } from "./harness/cluster";
import { etcdClientUrl } from "./harness/flags";
import { waitFor } from "./harness/wait";
import { e2eCluster } from "./hooks";
import { CatalogRow } from "../../components/catalog";

/** etcdctl TLS files: trust `ca`, present the `client` row's certificate, all from one node's tree. */
/** How many times a member has logged refusing a client certificate it could not verify. */
function refusedClients(node: E2eNode): number {
  const log = readFileSync(e2eCluster().logFile(node, "etcd"), "utf8");
  return log.split("\n").filter((l) => l.includes("rejected connection on client endpoint") && l.includes("certificate signed by unknown authority")).length;
}

const tlsOf = (node: E2eNode, ca: CatalogRow, client: CatalogRow) => ({ cacert: node.crt(ca), cert: node.crt(client), key: node.key(client) });

/**
 * etcd's own trust domain (docs/kubeadm-spec.md §1.1, §6.4): members and clients authenticate with etcd-ca
 * certificates only, and the API servers keep working while one of three members is down.
 */
describe("etcd: its own CA, mutual TLS, and quorum with one member down", () => {
  const STOPPED = (): E2eNode => e2eCluster().controlPlane[2];
  const CONFIGMAP = "e2e-etcd-quorum";

  after(async () => {
    const cluster = e2eCluster();
    if (!cluster.isRunning(STOPPED().name, "etcd")) await cluster.start(STOPPED().name, "etcd");
    await cluster.kubectl(cluster.superAdminConf, "delete", "configmap", CONFIGMAP, "--ignore-not-found");
  });

  it("the health-check client certificate sees three healthy members, each named after its node", async () => {
    const cluster = e2eCluster();
    const cp = cluster.controlPlane[0];
    const health = await cluster.etcdctl(tlsOf(cp, etcdCa, etcdHealthcheckClient), undefined, "endpoint", "health", "--cluster", "-w", "json");
    assert.equal(health.code, 0, health.stderr);
    const endpoints = (JSON.parse(health.stdout) as { endpoint: string; health: boolean }[]).filter((e) => e.health).map((e) => e.endpoint).sort();
    assert.deepEqual(endpoints, cluster.controlPlane.map((n) => etcdClientUrl(n.node)).sort());
    const members = JSON.parse((await cluster.etcdctl(tlsOf(cp, etcdCa, etcdHealthcheckClient), undefined, "member", "list", "-w", "json")).stdout) as {
      members: { name: string; peerURLs: string[] }[];
    };
    assert.deepEqual(members.members.map((m) => m.name).sort(), cluster.controlPlane.map((n) => n.name).sort());
  });

  it("every member refuses a client certificate from the cluster CA (apiserver-kubelet-client)", async () => {
    const cluster = e2eCluster();
    for (const node of cluster.controlPlane) {
      const before = refusedClients(node);
      const r = await cluster.etcdctl(tlsOf(node, etcdCa, apiServerKubeletClient), [etcdClientUrl(node.node)], "endpoint", "health", "--command-timeout=4s");
      assert.notEqual(r.code, 0, `${node.name} accepted a cluster-CA client`);
      assert.match(r.stderr, /is unhealthy/, r.stderr);
      assert.ok(refusedClients(node) > before, `${node.name}'s log shows the client certificate refused (x509: certificate signed by unknown authority)`);
    }
  });

  it("a client that trusts ca.crt instead of etcd/ca.crt refuses etcd's serving certificate", async () => {
    const cluster = e2eCluster();
    const node = cluster.controlPlane[0];
    const r = await cluster.etcdctl({ ...tlsOf(node, etcdCa, apiServerEtcdClient), cacert: node.crt(clusterCa) }, [etcdClientUrl(node.node)], "endpoint", "health", "--command-timeout=4s");
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /is unhealthy/, r.stderr);
    assert.match(r.stderr, /certificate signed by unknown authority/, r.stderr);
  });

  it("with one member stopped, every API server still writes and reads through the other two", async () => {
    const cluster = e2eCluster();
    await cluster.stop(STOPPED().name, "etcd");
    assert.equal(cluster.isRunning(STOPPED().name, "etcd"), false);
    await cluster.kubectl(cluster.superAdminConf, "delete", "configmap", CONFIGMAP, "--ignore-not-found");
    await cluster.kubectlOk(cluster.superAdminConf, "create", "configmap", CONFIGMAP, "--from-literal=written-while=cp-3-etcd-down");
    for (const node of cluster.controlPlane) {
      const server = `--server=${cluster.apiServerUrl(node)}`;
      await cluster.kubectlOk(cluster.superAdminConf, server, "label", "configmap", CONFIGMAP, `seen-by-${node.name}=true`);
      const cm = await cluster.kubectlJson<{ data: Record<string, string>; metadata: { labels: Record<string, string> } }>(
        cluster.superAdminConf, server, "get", "configmap", CONFIGMAP);
      assert.equal(cm.data["written-while"], "cp-3-etcd-down");
      assert.equal(cm.metadata.labels[`seen-by-${node.name}`], "true");
    }
  });

  it("the restarted member rejoins with its own certificates and holds what was written while it was down", async () => {
    const cluster = e2eCluster();
    await cluster.start(STOPPED().name, "etcd"); // waits for /health on that member
    const node = STOPPED();
    const key = `/registry/configmaps/default/${CONFIGMAP}`;
    await waitFor(`${key} on ${node.name}`, 60_000, async () => {
      const r = await cluster.etcdctl(tlsOf(node, etcdCa, etcdHealthcheckClient), [etcdClientUrl(node.node)], "get", key, "--keys-only", "--consistency=s");
      return r.code === 0 && r.stdout.includes(key) ? true : undefined;
    });
    for (const n of cluster.controlPlane) await cluster.waitReady(n.name, "kube-apiserver", 60_000);
  });
});
