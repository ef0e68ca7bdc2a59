import * as assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { CLUSTER_ADMINS_GROUP, clusterCa } from "../../components/catalog/kubernetes";
import { frontProxyCa, frontProxyClient } from "../../components/catalog/frontProxy";
import { FakeAggregatedApiServer } from "./fakes/aggregatedApiServer";
import { readText } from "./harness/cluster";
import { httpsRequest } from "./harness/https";
import { readKubeconfig } from "./harness/kubeconfigFile";
import { selfSignedServer } from "./harness/openssl";
import { waitFor } from "./harness/wait";
import { e2eCluster } from "./hooks";

const GROUP = "e2e.kubernetes-pki.example.com";
const VERSION = "v1alpha1";
const APISERVICE = `${VERSION}.${GROUP}`;
const SERVICE = { namespace: "default", name: "e2e-aggregated" };
/** The aggregated server's own loopback address (not a node's). */
const ADDRESS = "127.0.22.1";
const PORT = 8443;

/** `kube-system/extension-apiserver-authentication`, what aggregated servers configure themselves from. */
interface AuthenticationConfigMap {
  readonly data: Record<string, string>;
}

const list = (json: string): string[] => JSON.parse(json) as string[];
const fingerprint = (pem: string): string => new X509Certificate(pem).fingerprint256;

/**
 * The aggregation layer (docs/kubeadm-spec.md §6.1 `--proxy-client-*`, `--requestheader-*`): each API server
 * proxies to an extension API server with its front-proxy-client certificate and passes the caller
 * in X-Remote-* headers; the extension trusts front-proxy-ca.crt and the allowed name only.
 *
 * Routing on loopback: the APIService names a Service of type ExternalName whose externalName is
 * the server's IP. With `--enable-aggregator-routing=false` (the default) the aggregator resolves an
 * ExternalName service to `https://<externalName>:<port>` (`ResolveCluster`); a selector-less
 * ClusterIP Service would route to its virtual IP (no kube-proxy here), and Endpoints or
 * EndpointSlices may not hold 127.0.0.0/8 addresses. TLS to the extension is verified: the
 * APIService carries the extension's CA bundle, checked for `<service>.<namespace>.svc`.
 */
describe("front proxy: API servers reach an aggregated API with front-proxy-client, verified against front-proxy-ca", () => {
  let server: FakeAggregatedApiServer | undefined;
  let config: AuthenticationConfigMap;

  before(async () => {
    const cluster = e2eCluster();
    await cluster.ensureClusterAdmins();
    config = await cluster.kubectlJson<AuthenticationConfigMap>(cluster.adminConf, "get", "configmap", "-n", "kube-system", "extension-apiserver-authentication");
    const serving = selfSignedServer(cluster.scratch("aggregated"), "serving", `${SERVICE.name}.${SERVICE.namespace}.svc`);
    server = await FakeAggregatedApiServer.start({
      address: ADDRESS,
      port: PORT,
      cert: readText(serving.cert),
      key: readText(serving.key),
      requestHeaderCa: config.data["requestheader-client-ca-file"],
      allowedNames: list(config.data["requestheader-allowed-names"]),
      usernameHeaders: list(config.data["requestheader-username-headers"]),
      groupHeaders: list(config.data["requestheader-group-headers"]),
      group: GROUP,
      version: VERSION,
    });
    const service = { apiVersion: "v1", kind: "Service", metadata: SERVICE, spec: { type: "ExternalName", externalName: ADDRESS } };
    const apiService = {
      apiVersion: "apiregistration.k8s.io/v1",
      kind: "APIService",
      metadata: { name: APISERVICE },
      spec: {
        group: GROUP, version: VERSION, groupPriorityMinimum: 1000, versionPriority: 15,
        service: { ...SERVICE, port: PORT },
        caBundle: Buffer.from(readText(serving.cert)).toString("base64"),
      },
    };
    for (const object of [service, apiService]) {
      const r = await cluster.create(cluster.adminConf, object);
      assert.equal(r.code, 0, r.stderr);
    }
  });

  after(async () => {
    const cluster = e2eCluster();
    await cluster.kubectl(cluster.superAdminConf, "delete", "apiservice", APISERVICE, "--ignore-not-found");
    await cluster.kubectl(cluster.superAdminConf, "delete", "service", "-n", SERVICE.namespace, SERVICE.name, "--ignore-not-found");
    await server?.close();
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
    const cluster = e2eCluster();
    const status = await waitFor(`APIService ${APISERVICE} Available`, 120_000, async () => {
      const s = await cluster.kubectlJson<{ status: { conditions?: { type: string; status: string; message?: string }[] } }>(
        cluster.adminConf, "get", "apiservice", APISERVICE);
      const available = s.status.conditions?.find((c) => c.type === "Available");
      if (available?.status !== "True") throw new Error(`Available=${available?.status}: ${available?.message}`);
      return available;
    });
    assert.equal(status.status, "True");
    const probe = server!.requests.find((r) => r.path === `/apis/${GROUP}/${VERSION}` && r.user === "system:kube-aggregator");
    assert.ok(probe, "the discovery probe reached the server as system:kube-aggregator");
    assert.equal(probe.client.commonName, "front-proxy-client");
  });

  it("a request through each API server arrives as the caller (X-Remote-User/X-Remote-Group) over that node's front-proxy-client.crt", async () => {
    const cluster = e2eCluster();
    for (const node of cluster.controlPlane) {
      const before = server!.requests.length;
      const body = await waitFor(`whoami through ${node.name}`, 60_000, async () =>
        JSON.parse(await cluster.kubectlOk(cluster.adminConf, `--server=${cluster.apiServerUrl(node)}`, "get", "--raw", `/apis/${GROUP}/${VERSION}/whoamis/${node.name}`)) as {
          user: string; groups: string[]; proxiedBy: string;
        });
      assert.equal(body.user, "kubernetes-admin");
      assert.deepEqual([...body.groups].sort(), [CLUSTER_ADMINS_GROUP, "system:authenticated"].sort());
      assert.equal(body.proxiedBy, "front-proxy-client");
      const seen = server!.requests.slice(before).find((r) => r.path.endsWith(`/whoamis/${node.name}`));
      assert.ok(seen);
      assert.equal(seen.client.fingerprint256, fingerprint(readText(node.crt(frontProxyClient))), `${node.name}'s own front-proxy-client.crt`);
    }
  });

  it("the aggregated server refuses a client certificate from the cluster CA (admin.conf's), so only the front proxy can assert users", async () => {
    const admin = readKubeconfig(e2eCluster().adminConf);
    await assert.rejects(httpsRequest(`https://${ADDRESS}:${PORT}/apis/${GROUP}/${VERSION}/whoamis/direct`, {
      cert: admin.cert, key: admin.key, rejectUnauthorized: false,
    }, { headers: { "X-Remote-User": "system:admin", "X-Remote-Group": "system:masters" } }));
    assert.ok(!server!.requests.some((r) => r.user === "system:admin"));
  });
});
