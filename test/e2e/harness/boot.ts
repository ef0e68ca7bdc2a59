import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { provideBinaries } from "./binaries";
import { Cluster, Component } from "./cluster";
import { corruptLeaves } from "./corrupt";
import { deployPki } from "./pkiSource";
import { E2E_STACK_FILE, PORTS, readTopology, Topology } from "./topology";
import { waitFor } from "./wait";

/** Minutes to wait for `binaries.sh` (a cold build took about 21 min on 2 cores). `E2E_BUILD_TIMEOUT_MIN`. */
export const BUILD_TIMEOUT_MS = Number(process.env.E2E_BUILD_TIMEOUT_MIN ?? 45) * 60_000;
/** Seconds to wait for each process to become ready. `E2E_READY_TIMEOUT_S`. */
export const READY_TIMEOUT_MS = Number(process.env.E2E_READY_TIMEOUT_S ?? 240) * 1000;

/** Progress to stderr, with seconds since `since`. */
export function progress(message: string, since?: number): void {
  const took = since === undefined ? "" : ` (${((Date.now() - since) / 1000).toFixed(1)}s)`;
  process.stderr.write(`[e2e] ${message}${took}\n`);
}

/** Fails before anything starts if a port the cluster needs is taken on its node address. */
async function preflight(topology: Topology): Promise<void> {
  const wanted = [
    ...topology.controlPlane.flatMap((n) =>
      [PORTS.etcdClient, PORTS.etcdPeer, PORTS.etcdMetrics, topology.plan.bindPort, PORTS.controllerManager, PORTS.scheduler].map((port) => ({ host: n.address, port })),
    ),
    ...topology.workers.map((n) => ({ host: n.address, port: PORTS.kubelet })),
  ];
  const taken: string[] = [];
  for (const { host, port } of wanted) {
    await new Promise<void>((done) => {
      const server = createServer();
      server.once("error", (error: NodeJS.ErrnoException) => {
        taken.push(`${host}:${port} (${error.code})`);
        done();
      });
      server.listen({ host, port, exclusive: true }, () => server.close(() => done()));
    });
  }
  if (taken.length > 0) throw new Error(`ports the e2e cluster needs are not free: ${taken.join(", ")}`);
}

/** Starts one component on every control-plane node at once, then waits until each is ready. */
async function startEverywhere(cluster: Cluster, components: readonly Component[]): Promise<void> {
  const t = Date.now();
  for (const component of components) for (const n of cluster.controlPlane) cluster.launch(n.name, component);
  await Promise.all(components.flatMap((c) => cluster.controlPlane.map((n) => cluster.waitReady(n.name, c))));
  progress(`${components.join(" + ")}: ready on ${cluster.controlPlane.map((n) => n.name).join(", ")}`, t);
}

/** Waits until a leader-elected component holds its Lease. */
async function waitLeader(cluster: Cluster, lease: string): Promise<void> {
  const t = Date.now();
  const path = `/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/${lease}`;
  const holder = await waitFor(`${lease} leader`, cluster.readyTimeoutMs, async () => {
    const r = await cluster.apiGet(cluster.controlPlane[0], path);
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status}`);
    return (JSON.parse(r.body) as { spec?: { holderIdentity?: string } }).spec?.holderIdentity || undefined;
  });
  progress(`${lease}: leader ${holder}`, t);
}

/**
 * Boots the control plane of `Pulumi.e2e.yaml` from nothing but its rendered PKI: binaries,
 * render, (optional `E2E_CORRUPT` fault), etcd ×3, kube-apiserver ×3, kube-controller-manager ×3
 * and kube-scheduler ×3, leaders elected. On failure prints diagnostics, stops what it started and
 * keeps the work dir.
 */
export async function bootCluster(): Promise<Cluster> {
  const t0 = Date.now();
  const topology = readTopology();
  await preflight(topology);
  const bin = await provideBinaries(BUILD_TIMEOUT_MS);
  progress(`binaries: ${bin}`, t0);
  const workDir = mkdtempSync(join(tmpdir(), "kubernetes-pki-e2e-"));
  const cluster = new Cluster(topology, bin, workDir, READY_TIMEOUT_MS);
  try {
    let t = Date.now();
    cluster.pki = await deployPki(E2E_STACK_FILE, cluster.treeDir);
    progress(`PKI of ${E2E_STACK_FILE} in ${cluster.treeDir}, from the ${cluster.pki.description}`, t);
    const corrupt = (process.env.E2E_CORRUPT ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
    if (corrupt.length > 0) {
      for (const line of corruptLeaves(corrupt, cluster.nodes, workDir)) progress(`E2E_CORRUPT: ${line}`);
    }
    await startEverywhere(cluster, ["etcd"]);
    await startEverywhere(cluster, ["kube-apiserver"]);
    await startEverywhere(cluster, ["kube-controller-manager", "kube-scheduler"]);
    t = Date.now();
    await waitLeader(cluster, "kube-controller-manager");
    await waitLeader(cluster, "kube-scheduler");
    progress(`control plane up in ${workDir}`, t0);
    return cluster;
  } catch (error) {
    process.stderr.write(`${cluster.diagnostics()}\n`);
    await cluster.shutdown();
    progress(`boot failed; work dir kept: ${workDir}`);
    throw error;
  }
}
