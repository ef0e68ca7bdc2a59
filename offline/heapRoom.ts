import { spawn } from "node:child_process";
import { totalmem } from "node:os";
import { getHeapStatistics } from "node:v8";
import { StackConfig } from "./stackConfig";

/**
 * Heap a render needs per node, in MiB, with room. Past the first `WORKERS_PER_BATCH` workers the
 * component registers workers in batches (`components/issueBatches.ts`), so what stays live is
 * every answered resource's outputs: about 0.3 MiB per worker, 450 MB in all at 1,000 ECDSA workers
 * and 770 MB at 2,000 (after full collections, `--trace-gc`).
 */
const HEAP_PER_NODE_MIB = 0.5;
/** Heap for the modules, the CAs and control plane and the tree's files, whatever the size. */
const HEAP_BASE_MIB = 360;
/**
 * From this many nodes a render runs in a child whose old generation is capped at what the cluster
 * needs ({@link heapFor}), so the collector reclaims before the heap grows to twice the live data, and
 * whose young generation is larger, so fewer short-lived objects reach the old generation. Measured
 * at 1,000 ECDSA workers: 20.5 s and 908 MiB, against 19.3 s and 1,477 MiB with Node's defaults.
 */
const LARGE_CLUSTER_NODES = 500;
/** The semi-space size of a large render's young generation, in MiB. */
const LARGE_SEMI_SPACE_MIB = 32;
/** Set in a relaunched render (to the flags it got), so it never relaunches again. */
const RELAUNCHED = "KUBERNETES_PKI_RENDER_RELAUNCHED_WITH";
/** Signals a relaunched render receives from whoever stops its parent. */
const FORWARDED: readonly NodeJS.Signals[] = ["SIGHUP", "SIGINT", "SIGTERM"];

/** The number of nodes of the stack's `kubernetes-pki:cluster` (0 when it cannot tell: the component then reports the error). */
export function clusterNodeCount(stackConfig: StackConfig): number {
  try {
    const cluster = JSON.parse(stackConfig.config["kubernetes-pki:cluster"] ?? "{}") as Record<string, unknown>;
    const count = (list: unknown): number => (Array.isArray(list) ? list.length : 0);
    const etcd = cluster.etcd as { members?: unknown } | undefined;
    return count(cluster.controlPlane) + count(cluster.workers) + count(etcd?.members);
  } catch {
    return 0;
  }
}

/** The heap a render of `nodes` nodes asks for, in MiB: what it needs, at most three quarters of the memory. */
export function heapFor(nodes: number): number {
  return Math.min(Math.ceil(HEAP_BASE_MIB + HEAP_PER_NODE_MIB * nodes), Math.floor((0.75 * totalmem()) / 2 ** 20));
}

/**
 * When Node's heap limit is too small for a render of `nodes` nodes (a small machine, or a process
 * started with a small `--max-old-space-size`), or the cluster is large ({@link LARGE_CLUSTER_NODES}),
 * runs the same command again in a child with `--max-old-space-size` (and for a large cluster
 * `--max-semi-space-size`) set as needed,
 * passes it the stop signals, and resolves `true` once it has exited with its status (or died of the
 * same signal); says so first through `say`. Resolves `false` when this process should render itself.
 */
export function relaunchWithRoomFor(nodes: number, say: (line: string) => void): Promise<boolean> {
  if (process.env[RELAUNCHED] !== undefined) return Promise.resolve(false);
  const wanted = heapFor(nodes);
  const limit = getHeapStatistics().heap_size_limit / 2 ** 20;
  const large = nodes >= LARGE_CLUSTER_NODES;
  const flags = [
    ...(large || limit < wanted ? [`--max-old-space-size=${wanted}`] : []),
    ...(large ? [`--max-semi-space-size=${LARGE_SEMI_SPACE_MIB}`] : []),
  ];
  if (flags.length === 0) return Promise.resolve(false);
  const why = limit < wanted ? `${nodes} nodes need about ${wanted} MiB of heap, over this process's ${Math.round(limit)} MiB` : `${nodes} nodes`;
  say(`${why}: rendering in a child process with ${flags.join(" ")}`);
  const child = spawn(process.execPath, [...process.execArgv, ...flags, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, [RELAUNCHED]: flags.join(" ") },
  });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  for (const signal of FORWARDED) process.on(signal, forward);
  return new Promise((done, fail) => {
    child.on("error", fail);
    child.on("exit", (code, signal) => {
      for (const forwarded of FORWARDED) process.removeListener(forwarded, forward);
      if (signal !== null) process.kill(process.pid, signal);
      else process.exitCode = code ?? 1;
      done(true);
    });
  });
}
