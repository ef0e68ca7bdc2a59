import { FakeAggregatedApiServer } from "../fakes/aggregatedApiServer";
import { Cluster, E2eNode, readText } from "./cluster";
import { selfSignedServer } from "./openssl";
import { waitFor } from "./wait";

/** The aggregated API the scenarios register: one group/version served by a fake extension server. */
export const AGGREGATED = {
  group: "e2e.kubernetes-pki.example.com",
  version: "v1alpha1",
  service: { namespace: "default", name: "e2e-aggregated" },
  /** The aggregated server's own loopback address (not a node's). */
  address: "127.0.22.1",
  port: 8443,
} as const;

/** `<version>.<group>`: the APIService's name. */
export const APISERVICE = `${AGGREGATED.version}.${AGGREGATED.group}`;

/** `kube-system/extension-apiserver-authentication`, what aggregated servers configure themselves from. */
export interface AuthenticationConfigMap {
  readonly data: Record<string, string>;
}

/** A JSON list of the ConfigMap. */
export const list = (json: string): string[] => JSON.parse(json) as string[];

/** The running extension server and the request-header settings it took from the cluster. */
export interface AggregatedApi {
  readonly server: FakeAggregatedApiServer;
  readonly config: AuthenticationConfigMap;
}

/**
 * Starts the extension server configured as an aggregated API server configures itself (request-header
 * CA, allowed names and headers from `extension-apiserver-authentication`), and registers it: a
 * Service of type ExternalName whose externalName is the server's IP, and an APIService that carries
 * the extension's own CA bundle, checked for `<service>.<namespace>.svc`.
 *
 * Routing on loopback: with `--enable-aggregator-routing=false` (the default) the aggregator resolves
 * an ExternalName service to `https://<externalName>:<port>` (`ResolveCluster`); a selector-less
 * ClusterIP Service would route to its virtual IP (no kube-proxy here), and Endpoints or
 * EndpointSlices may not hold 127.0.0.0/8 addresses.
 */
export async function startAggregatedApi(cluster: Cluster): Promise<AggregatedApi> {
  await cluster.ensureClusterAdmins();
  const config = await cluster.kubectlJson<AuthenticationConfigMap>(cluster.adminConf, "get", "configmap", "-n", "kube-system", "extension-apiserver-authentication");
  const { service: svc, group, version, address, port } = AGGREGATED;
  const serving = selfSignedServer(cluster.scratch("aggregated"), "serving", `${svc.name}.${svc.namespace}.svc`);
  const server = await FakeAggregatedApiServer.start({
    address,
    port,
    cert: readText(serving.cert),
    key: readText(serving.key),
    requestHeaderCa: config.data["requestheader-client-ca-file"],
    allowedNames: list(config.data["requestheader-allowed-names"]),
    usernameHeaders: list(config.data["requestheader-username-headers"]),
    groupHeaders: list(config.data["requestheader-group-headers"]),
    group,
    version,
  });
  const service = { apiVersion: "v1", kind: "Service", metadata: svc, spec: { type: "ExternalName", externalName: address } };
  const apiService = {
    apiVersion: "apiregistration.k8s.io/v1",
    kind: "APIService",
    metadata: { name: APISERVICE },
    spec: {
      group, version, groupPriorityMinimum: 1000, versionPriority: 15,
      service: { ...svc, port },
      caBundle: Buffer.from(readText(serving.cert)).toString("base64"),
    },
  };
  for (const object of [service, apiService]) {
    const r = await cluster.create(cluster.adminConf, object);
    if (r.code !== 0) {
      await server.close();
      throw new Error(`creating ${(object as { kind: string }).kind}: ${r.stderr.trim()}`);
    }
  }
  return { server, config };
}

/** Unregisters the aggregated API and stops its server. */
export async function stopAggregatedApi(cluster: Cluster, api: AggregatedApi | undefined): Promise<void> {
  await cluster.kubectl(cluster.superAdminConf, "delete", "apiservice", APISERVICE, "--ignore-not-found");
  await cluster.kubectl(cluster.superAdminConf, "delete", "service", "-n", AGGREGATED.service.namespace, AGGREGATED.service.name, "--ignore-not-found");
  await api?.server.close();
}

/** An APIService condition. */
export interface Condition {
  readonly type: string;
  readonly status: string;
  readonly message?: string;
}

/** Waits until the APIService is Available (the aggregator's discovery probe passed front-proxy authentication); returns the condition. */
export function waitApiServiceAvailable(cluster: Cluster, timeoutMs = 120_000): Promise<Condition> {
  return waitFor(`APIService ${APISERVICE} Available`, timeoutMs, async () => {
    const s = await cluster.kubectlJson<{ status: { conditions?: Condition[] } }>(cluster.adminConf, "get", "apiservice", APISERVICE);
    const available = s.status.conditions?.find((c) => c.type === "Available");
    if (available?.status !== "True") throw new Error(`Available=${available?.status}: ${available?.message}`);
    return available;
  });
}

/** What the extension answers for `whoamis/<name>`: the identity the front proxy asserted. */
export interface ProxiedIdentity {
  readonly user: string;
  readonly groups: string[];
  readonly proxiedBy: string;
}

/** `whoamis/<name>` through one API server with a kubeconfig, as kubectl (`get --raw`). */
export async function whoamiThrough(cluster: Cluster, kubeconfig: string, node: E2eNode, name: string): Promise<ProxiedIdentity> {
  const path = `/apis/${AGGREGATED.group}/${AGGREGATED.version}/whoamis/${name}`;
  return JSON.parse(await cluster.kubectlOk(kubeconfig, `--server=${cluster.apiServerUrl(node)}`, "get", "--raw", path)) as ProxiedIdentity;
}
