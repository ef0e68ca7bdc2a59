import * as assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { CLUSTER_ADMINS_GROUP, clusterCa } from "../../components/catalog/kubernetes";
import { frontProxyCa, frontProxyClient } from "../../components/catalog/frontProxy";
import { AGGREGATED, AggregatedApi, list, startAggregatedApi, stopAggregatedApi, waitApiServiceAvailable, whoamiThrough } from "./harness/aggregatedApi";
import { readText } from "./harness/cluster";
import { httpsRequest } from "./harness/https";
import { readKubeconfig } from "./harness/kubeconfigFile";
import { waitFor } from "./harness/wait";
import { e2eCluster } from "./hooks";

const { group: GROUP, version: VERSION, address: ADDRESS, port: PORT } = AGGREGATED;
const fingerprint = (pem: string): string => new X509Certificate(pem).fingerprint256;

/**
 * The aggregation layer (docs/kubeadm-spec.md §6.1 `--proxy-client-*`, `--requestheader-*`): each API server
 * proxies to an extension API server with its front-proxy-client certificate and passes the caller
 * in X-Remote-* headers; the extension trusts front-proxy-ca.crt and the allowed name only.
 *
 * The APIService names a Service of type ExternalName (see `startAggregatedApi` for why, on loopback).
 */
describe("front proxy: API servers reach an aggregated API with front-proxy-client, verified against front-proxy-ca", () => {
  let api: AggregatedApi | undefined;
  let config: AggregatedApi["config"];
  const server = (): AggregatedApi["server"] => api!.server;

  before(async () => {
    api = await startAggregatedApi(e2eCluster());
    config = api.config;
  });

  after(async () => {
    await stopAggregatedApi(e2eCluster(), api);
  });

  it("kube-system/extension-apiserver-authentication publishes the rendered ca.crt, front-proxy-ca.crt and kubeadm's request-header settings", () => {
    const cp = e2eCluster().controlPlane[0];
    assert.equal(fingerprint(config.data["client-ca-file"]), fingerprint(readText(cp.crt(clusterCa))));
    assert.equal(fingerprint(config.data["requestheader-client-ca-file"]), fingerprint(readText(cp.crt(frontProxyCa))));
    assert.deepEqual(list(config.data["requestheader-allowed-names"]), ["front-proxy-client"]);
    assert.deepEqual(list(config.data["requestheader-username-headers"]), ["X-Remote-User"]);
    assert.deepEqual(list(config.data["requestheader-group-headers"]), ["X-Remote-Group"]);
    assert.deepEqual(list(config.data["requestheader-extra-headers-prefix"]), ["X-Remote-Extra-"]);
  });

  it("the APIService becomes Available: the aggregator's discovery probe passed front-proxy authentication", async () => {
    const status = await waitApiServiceAvailable(e2eCluster());
    assert.equal(status.status, "True");
    const probe = server().requests.find((r) => r.path === `/apis/${GROUP}/${VERSION}` && r.user === "system:kube-aggregator");
    assert.ok(probe, "the discovery probe reached the server as system:kube-aggregator");
    assert.equal(probe.client.commonName, "front-proxy-client");
  });

  it("a request through each API server arrives as the caller (X-Remote-User/X-Remote-Group) over that node's front-proxy-client.crt", async () => {
    const cluster = e2eCluster();
    for (const node of cluster.controlPlane) {
      const before = server().requests.length;
      const body = await waitFor(`whoami through ${node.name}`, 60_000, () => whoamiThrough(cluster, cluster.adminConf, node, node.name));
      assert.equal(body.user, "kubernetes-admin");
      assert.deepEqual([...body.groups].sort(), [CLUSTER_ADMINS_GROUP, "system:authenticated"].sort());
      assert.equal(body.proxiedBy, "front-proxy-client");
      const seen = server().requests.slice(before).find((r) => r.path.endsWith(`/whoamis/${node.name}`));
      assert.ok(seen);
      assert.equal(seen.client.fingerprint256, fingerprint(readText(node.crt(frontProxyClient))), `${node.name}'s own front-proxy-client.crt`);
    }
  });

  it("the aggregated server refuses a client certificate from the cluster CA (admin.conf's), so only the front proxy can assert users", async () => {
    const admin = readKubeconfig(e2eCluster().adminConf);
    await assert.rejects(httpsRequest(`https://${ADDRESS}:${PORT}/apis/${GROUP}/${VERSION}/whoamis/direct`, {
      cert: admin.cert, key: admin.key, rejectUnauthorized: false,
    }, { headers: { "X-Remote-User": "system:admin", "X-Remote-Group": "system:masters" } }));
    assert.ok(!server().requests.some((r) => r.user === "system:admin"));
  });
});
