import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { CATALOG } from "../../../components";
import { etcdCa, etcdHealthcheckClient } from "../../../components/catalog/etcd";
import { clusterCa } from "../../../components/catalog/kubernetes";
import { BOOTSTRAP_DIR } from "../../../offline/tree";
import { FakeKubelet } from "../fakes/kubelet";
import { AGGREGATED, APISERVICE, Condition } from "./aggregatedApi";
import { Cluster, E2eNode, readText } from "./cluster";
import { etcdClientUrl } from "./flags";
import { httpsRequest, TlsClient } from "./https";
import { KubeconfigCredentials, readKubeconfig } from "./kubeconfigFile";
import { progress } from "./boot";
import { waitFor } from "./wait";

/** How long a check may take to pass after a step: caches of a freshly restarted API server fill within seconds. */
const SETTLE_MS = 60_000;

/** A kubeconfig of the tree: a node's copy, the operator's, or a bootstrap token's. */
export interface TreeKubeconfig {
  /** `<node>:<path>`, `operator:<file>` or `bootstrap:<token>`. */
  readonly label: string;
  readonly file: string;
}

/** Every kubeconfig the tree holds now: each node's catalog kubeconfigs, the operator's, each bootstrap token's. */
export function treeKubeconfigs(cluster: Cluster): TreeKubeconfig[] {
  const rows = CATALOG.filter((row) => row.kind === "kubeconfig");
  const onNodes = cluster.nodes.flatMap((node) =>
    rows.filter((row) => existsSync(node.file(row.path))).map((row) => ({ label: `${node.name}:${row.path}`, file: node.file(row.path) })));
  const operator = [cluster.adminConf, cluster.superAdminConf].map((file) => ({ label: `operator:${file.split("/").pop()}`, file }));
  const bootstrapDir = join(cluster.treeDir, BOOTSTRAP_DIR);
  const tokens = existsSync(bootstrapDir)
    ? readdirSync(bootstrapDir).filter((token) => existsSync(join(bootstrapDir, token, "bootstrap-kubelet.conf")))
      .map((token) => ({ label: `bootstrap:${token}`, file: join(bootstrapDir, token, "bootstrap-kubelet.conf") }))
    : [];
  return [...onNodes, ...operator, ...tokens];
}

/** What a client of one API server presents: the kubeconfig's trust and credentials, or a bearer token. */
interface ApiClient {
  readonly tls: TlsClient;
  readonly token?: string;
}

const kubeconfigClient = (k: KubeconfigCredentials): ApiClient =>
  k.token !== undefined ? { tls: { ca: k.ca }, token: k.token } : { tls: { ca: k.ca, cert: k.cert, key: k.key } };

/** One request to one API server as `client`. */
async function apiRequest(cluster: Cluster, node: E2eNode, client: ApiClient, path: string, body?: object): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = { ...(client.token !== undefined && { Authorization: `Bearer ${client.token}` }), ...(body !== undefined && { "Content-Type": "application/json" }) };
  return httpsRequest(`${cluster.apiServerUrl(node)}${path}`, client.tls, { method: body === undefined ? "GET" : "POST", headers, body: body && JSON.stringify(body) });
}

/**
 * The user an API server authenticates `client` as (a SelfSubjectReview, what `kubectl auth whoami`
 * sends), or the HTTP status it refused it with, as `HTTP <status>`.
 */
export async function whoIs(cluster: Cluster, node: E2eNode, client: ApiClient): Promise<string> {
  const r = await apiRequest(cluster, node, client, "/apis/authentication.k8s.io/v1/selfsubjectreviews", { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" });
  if (r.status !== 201 && r.status !== 200) return `HTTP ${r.status}`;
  return (JSON.parse(r.body) as { status: { userInfo: { username: string } } }).status.userInfo.username;
}

/** A bearer-token client that trusts the node's own `ca.crt`, as a pod on it does. */
export const tokenClient = (node: E2eNode, token: string): ApiClient => ({ tls: { ca: readText(node.crt(clusterCa)) }, token });

/** A service-account token requested (TokenRequest API, as admin.conf) from one API server. */
export async function requestToken(cluster: Cluster, node: E2eNode, namespace: string, serviceAccount: string): Promise<string> {
  const admin = kubeconfigClient(readKubeconfig(cluster.adminConf));
  const r = await apiRequest(cluster, node, admin, `/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}/token`, {
    apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds: 600 },
  });
  if (r.status !== 201) throw new Error(`TokenRequest through ${node.name}: HTTP ${r.status} ${r.body.trim()}`);
  return (JSON.parse(r.body) as { status: { token: string } }).status.token;
}

/** What the running cluster is expected to serve at a step of a rotation. */
export interface Expectations {
  /** The pod whose logs `kubectl logs` fetches from the worker's kubelet. */
  readonly pod: string;
  readonly kubelet: FakeKubelet;
  /** The user each kubeconfig of the tree is (by label), as first seen. */
  readonly users: Map<string, string>;
  /** A service-account token issued before the rotation, the user it is, and the API servers that must accept it. */
  readonly earlyToken: { readonly token: string; readonly user: string; readonly acceptedBy: (node: E2eNode) => boolean };
  /** The service account fresh tokens are requested for: `<namespace>/<name>`. */
  readonly serviceAccount: { readonly namespace: string; readonly name: string };
}

/**
 * Checks that the cluster works at this step, each check polled for at most a minute (what a freshly
 * restarted API server needs to fill its caches):
 * - etcd: every member healthy, as each control-plane node's own health-check client (its current
 *   `etcd/ca.crt` and certificate) sees all three, and the member list holds the three nodes;
 * - every kubeconfig of the tree authenticates, with its own CA data and credentials, on every API
 *   server, as the same user as before;
 * - `kubectl logs` through every API server (the operator's admin.conf, kubectl's own TLS) reaches the
 *   worker's kubelet, which authenticates the API server's kubelet client;
 * - the aggregated API is Available and answers through every API server over the front proxy;
 * - the token issued before the rotation is accepted exactly where expected, and a token issued now
 *   by any API server is accepted by every API server.
 */
export async function assertClusterWorks(cluster: Cluster, expect: Expectations): Promise<void> {
  await settled("etcd healthy with every member", () => etcdHealthy(cluster));
  await settled("every kubeconfig authenticates on every API server", () => kubeconfigsAuthenticate(cluster, expect.users));
  await settled("kubectl logs through every API server", () => logsReachKubelet(cluster, expect));
  await settled("the aggregated API Available through every API server", () => aggregatedApiAvailable(cluster));
  await settled("service-account tokens", () => tokensAccepted(cluster, expect));
}

/** Polls one check for at most {@link SETTLE_MS}; says so when it did not pass at the first attempt, and what was wrong. */
async function settled(what: string, check: () => Promise<true>): Promise<void> {
  const t = Date.now();
  let first: string | undefined;
  await waitFor(what, SETTLE_MS, () => check().catch((error: Error) => {
    first ??= error.message;
    throw error;
  }));
  if (first !== undefined) progress(`  ${what}: passed after ${((Date.now() - t) / 1000).toFixed(1)}s (first: ${first.slice(0, 300)})`);
}

async function etcdHealthy(cluster: Cluster): Promise<true> {
  const endpoints = cluster.controlPlane.map((n) => etcdClientUrl(n.node)).sort();
  for (const node of cluster.controlPlane) {
    const tls = { cacert: node.crt(etcdCa), cert: node.crt(etcdHealthcheckClient), key: node.key(etcdHealthcheckClient) };
    const r = await cluster.etcdctl(tls, undefined, "endpoint", "health", "-w", "json");
    const healthy = r.code === 0 ? (JSON.parse(r.stdout) as { endpoint: string; health: boolean }[]).filter((e) => e.health).map((e) => e.endpoint).sort() : [];
    if (healthy.join() !== endpoints.join()) throw new Error(`as ${node.name}'s health-check client: healthy ${healthy.join(", ") || "none"} ${r.stderr.trim()}`);
  }
  const cp = cluster.controlPlane[0];
  const r = await cluster.etcdctl({ cacert: cp.crt(etcdCa), cert: cp.crt(etcdHealthcheckClient), key: cp.key(etcdHealthcheckClient) }, undefined, "member", "list", "-w", "json");
  if (r.code !== 0) throw new Error(`member list: ${r.stderr.trim()}`);
  const started = (JSON.parse(r.stdout) as { members: { name?: string; clientURLs?: string[] }[] }).members.filter((m) => (m.clientURLs ?? []).length > 0).map((m) => m.name).sort();
  const names = cluster.controlPlane.map((n) => n.name).sort();
  if (started.join() !== names.join()) throw new Error(`started members ${started.join(", ")}, expected ${names.join(", ")}`);
  return true;
}

async function kubeconfigsAuthenticate(cluster: Cluster, users: Map<string, string>): Promise<true> {
  const failures: string[] = [];
  await Promise.all(treeKubeconfigs(cluster).map(async ({ label, file }) => {
    const client = kubeconfigClient(readKubeconfig(file));
    for (const node of cluster.controlPlane) {
      const user = await whoIs(cluster, node, client).catch((error: Error) => error.message);
      const expected = users.get(label) ?? user;
      if (user !== expected || user.startsWith("HTTP ")) failures.push(`${label} on ${node.name}: ${user}${user === expected ? "" : ` (was ${expected})`}`);
      else users.set(label, user);
    }
  }));
  if (failures.length > 0) throw new Error(failures.join("; "));
  return true;
}

async function logsReachKubelet(cluster: Cluster, expect: Expectations): Promise<true> {
  for (const node of cluster.controlPlane) {
    const before = expect.kubelet.requests.length;
    const out = await cluster.kubectlOk(cluster.adminConf, `--server=${cluster.apiServerUrl(node)}`, "logs", expect.pod);
    if (!out.endsWith(`default/${expect.pod}/app requested by kube-apiserver-kubelet-client\n`)) throw new Error(`through ${node.name}: ${out}`);
    if (!expect.kubelet.requests.slice(before).some((r) => r.allowed && r.path.endsWith(`/${expect.pod}/app`))) throw new Error(`through ${node.name}: the kubelet saw no request`);
  }
  return true;
}

async function aggregatedApiAvailable(cluster: Cluster): Promise<true> {
  const admin = kubeconfigClient(readKubeconfig(cluster.adminConf));
  for (const node of cluster.controlPlane) {
    const r = await cluster.apiGet(node, `/apis/apiregistration.k8s.io/v1/apiservices/${APISERVICE}`);
    const available = r.status === 200 ? (JSON.parse(r.body) as { status: { conditions?: Condition[] } }).status.conditions?.find((c) => c.type === "Available") : undefined;
    if (available?.status !== "True") throw new Error(`${node.name}: Available=${available?.status}: ${available?.message ?? r.body.trim()}`);
    const whoami = await apiRequest(cluster, node, admin, `/apis/${AGGREGATED.group}/${AGGREGATED.version}/whoamis/${node.name}`);
    const body = whoami.status === 200 ? (JSON.parse(whoami.body) as { user?: string; proxiedBy?: string }) : {};
    if (body.user !== "kubernetes-admin" || body.proxiedBy !== "front-proxy-client") throw new Error(`through ${node.name}: HTTP ${whoami.status} ${whoami.body.trim()}`);
  }
  return true;
}

async function tokensAccepted(cluster: Cluster, expect: Expectations): Promise<true> {
  const { token, user, acceptedBy } = expect.earlyToken;
  const { namespace, name } = expect.serviceAccount;
  const fresh = await Promise.all(cluster.controlPlane.map(async (issuer) => ({ issuer, token: await requestToken(cluster, issuer, namespace, name) })));
  const wrong: string[] = [];
  for (const node of cluster.controlPlane) {
    const early = await whoIs(cluster, node, tokenClient(node, token));
    if ((early === user) !== acceptedBy(node)) wrong.push(`the token issued before the rotation on ${node.name}: ${early}, expected ${acceptedBy(node) ? "accepted" : "rejected"}`);
    for (const f of fresh) {
      const seen = await whoIs(cluster, node, tokenClient(node, f.token));
      if (seen !== user) wrong.push(`a token issued now by ${f.issuer.name}, on ${node.name}: ${seen}`);
    }
  }
  if (wrong.length > 0) throw new Error(wrong.join("; "));
  return true;
}
