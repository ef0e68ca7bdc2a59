import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BenchCluster, writeCluster } from "./clusters";
import { operationCost, OperationCost } from "./lowerBound";
import { measure, median, RunCost } from "./measure";
import { CaseResult, formatResults, MachineInfo } from "./results";
import { KubernetesPkiArgs } from "../components";
import { readStackConfig } from "../offline/stackConfig";
import { benchEngine } from "./engine";

/**
 * `npm run bench`: renders the sample stack's shape and 3 control-plane nodes with growing numbers of
 * workers, RSA-2048 and ECDSA-P256, and in the same run makes the same keys, certificates and
 * kubeconfigs with `bench/openssl-tree.sh` (openssl, one job per core); writes `bench/RESULTS.md`
 * with medians, ratios, the lower bound of the work and the cost per added worker. Small cases run
 * `--runs` times (RSA-2048 `--rsa-runs` times, default `--runs`), clusters of 1,000 workers and more
 * once, last. `--rsa-max-workers` and `--openssl-max-workers` leave out what a shared machine cannot
 * finish in the time at hand; RESULTS.md says what was left out. `--skip-engine` leaves out the
 * Pulumi engine rows printed after it.
 */

const ROOT = join(__dirname, "..", "..");
const RENDER = join(ROOT, "bin", "offline", "render.js");
const OPENSSL_TREE = join(ROOT, "bench", "openssl-tree.sh");
const BIG = 1_000;

function opts() {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "3" },
      "rsa-runs": { type: "string" },
      workers: { type: "string", default: "10,100,1000,5000" },
      "rsa-max-workers": { type: "string", default: "1000" },
      "openssl-max-workers": { type: "string", default: "5000" },
      "skip-sample": { type: "boolean", default: false },
      "skip-engine": { type: "boolean", default: false },
      out: { type: "string", default: join(ROOT, "bench", "RESULTS.md") },
    },
  });
  return {
    runs: Number(values.runs),
    rsaRuns: Number(values["rsa-runs"] ?? values.runs),
    workers: (values.workers ?? "").split(",").map(Number),
    rsaMaxWorkers: Number(values["rsa-max-workers"]),
    opensslMaxWorkers: Number(values["openssl-max-workers"]),
    skipSample: values["skip-sample"] ?? false,
    skipEngine: values["skip-engine"] ?? false,
    out: values.out ?? "",
  };
}

function load(): string {
  return loadavg().map((l) => l.toFixed(1)).join(" ");
}

/** `resources registered: 51 tls:…:PrivateKey, …; secret outputs: 150` from the render's last line. */
function registrations(stdout: string): { byType: Map<string, number>; secretOutputs: number } {
  const match = /resources registered: (.*); secret outputs: (\d+)/.exec(stdout);
  if (match === null) throw new Error(`the render did not report its registrations:\n${stdout.slice(-500)}`);
  const byType = new Map(match[1].split(", ").map((entry) => {
    const [n, type] = entry.split(" ");
    return [type.split(":").pop() ?? type, Number(n)] as const;
  }));
  return { byType, secretOutputs: Number(match[2]) };
}

function runCase(cluster: BenchCluster, runs: number, withOpenssl: boolean, cost: OperationCost, cores: number): CaseResult {
  const dir = mkdtempSync(join(tmpdir(), "kubernetes-pki-bench-"));
  const loadBefore = load();
  try {
    const { stackFile, nodesFile } = writeCluster(cluster, dir);
    const render: RunCost[] = [];
    const openssl: RunCost[] = [];
    for (let i = 0; i < runs; i++) {
      const tree = join(dir, `render-${i}`);
      render.push(measure(process.execPath, [RENDER, "--config", stackFile, "--out", tree]));
      rmSync(tree, { recursive: true, force: true });
      if (withOpenssl) {
        const opensslTree = join(dir, `openssl-${i}`);
        openssl.push(measure("sh", [OPENSSL_TREE, cluster.algorithm, nodesFile, opensslTree]));
        rmSync(opensslTree, { recursive: true, force: true });
      }
      process.stderr.write(`  ${cluster.title} ${cluster.algorithm} run ${i + 1}/${runs}: render ${render[i].wallSeconds} s, openssl ${openssl[i]?.wallSeconds ?? "-"} s\n`);
    }
    const { byType, secretOutputs } = registrations(render[0].stdout);
    const keys = byType.get("PrivateKey") ?? 0;
    const signatures = (byType.get("CertRequest") ?? 0) + (byType.get("LocallySignedCert") ?? 0) + (byType.get("SelfSignedCert") ?? 0);
    const resources = [...byType.values()].reduce((a, b) => a + b, 0);
    return {
      cluster,
      runs,
      keys,
      signatures,
      resources,
      secretOutputs,
      renderWall: median(render.map((r) => r.wallSeconds)),
      renderCpu: median(render.map((r) => r.cpuSeconds)),
      renderPeakMiB: median(render.map((r) => r.peakMiB)),
      opensslWall: withOpenssl ? median(openssl.map((r) => r.wallSeconds)) : undefined,
      opensslCpu: withOpenssl ? median(openssl.map((r) => r.cpuSeconds)) : undefined,
      lowerBound: (keys * cost.keygenSeconds + signatures * cost.signSeconds) / cores,
      load: `${loadBefore} → ${load()}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Seconds to start node and load every module a render loads (the tools, the component, the SDKs)
 * through the compile cache as a render does, rendering nothing; the first run fills the cache and
 * is not counted, as a user's first render after an install or upgrade is not.
 */
function startUp(runs: number): number {
  const modules = [
    ...["offline/compileCache", "offline/runProgram", "offline/manifest", "offline/tree", "offline/progress", "components"].map((m) => join(ROOT, "bin", m)),
    join(ROOT, "node_modules", "@pulumi", "tls"),
  ];
  const script = modules.map((m) => `require(${JSON.stringify(m)});`).join("");
  measure(process.execPath, ["-e", script]);
  return median(Array.from({ length: runs }, () => measure(process.execPath, ["-e", script]).wallSeconds));
}

/** Keys a cluster of 3 control-plane nodes and `workers` workers makes: 3 CAs, sa, 13 per control-plane node, 2 for the operator, 3 per worker. */
function keysOf(workers: number): number {
  return 3 + 1 + 3 * 13 + 2 + 3 * workers;
}

async function main(): Promise<void> {
  const { runs, rsaRuns, workers, rsaMaxWorkers, opensslMaxWorkers, skipSample, skipEngine, out } = opts();
  const cores = cpus().length;
  const machine: MachineInfo = {
    cpu: `${cpus()[0]?.model ?? "unknown"}, ${cores} cores`,
    memoryGiB: totalmem() / 2 ** 30,
    node: process.version,
    openssl: execFileSync("openssl", ["version"], { encoding: "utf8" }).trim(),
    pulumi: (require(join(ROOT, "node_modules", "@pulumi", "pulumi", "package.json")) as { version: string }).version,
    loadAtStart: load(),
    startedAt: new Date().toISOString(),
  };
  const costs = {
    "RSA-2048": await operationCost("RSA-2048"),
    "ECDSA-P256": await operationCost("ECDSA-P256"),
  } as const;
  const startUpSeconds = startUp(runs);
  const clusters: BenchCluster[] = [];
  const skipped: (BenchCluster & { keys: number })[] = [];
  for (const algorithm of skipSample ? [] : (["ECDSA-P256", "RSA-2048"] as const)) {
    clusters.push({ title: "sample", workers: 2, algorithm });
  }
  for (const count of [...workers].sort((a, b) => a - b)) {
    for (const algorithm of ["ECDSA-P256", "RSA-2048"] as const) {
      if (algorithm === "RSA-2048" && count > rsaMaxWorkers) {
        skipped.push({ title: `${count} workers`, workers: count, algorithm, keys: keysOf(count) });
        continue;
      }
      clusters.push({ title: `${count} workers`, workers: count, algorithm });
    }
  }
  const results: CaseResult[] = [];
  const settings = { runs, rsaRuns, opensslMaxWorkers, rsaMaxWorkers };
  const write = (): void => writeFileSync(out, formatResults({ machine, costs, startUpSeconds, results, skipped, cores, loadAtEnd: load(), settings }));
  for (const cluster of clusters) {
    const caseRuns = cluster.workers >= BIG ? 1 : cluster.algorithm === "RSA-2048" ? rsaRuns : runs;
    process.stderr.write(`${cluster.title}, ${cluster.algorithm}: ${caseRuns} run(s), load ${load()}\n`);
    results.push(runCase(cluster, caseRuns, cluster.workers <= opensslMaxWorkers, costs[cluster.algorithm], cores));
    write();
  }
  process.stderr.write(`wrote ${out}\n`);
  if (skipEngine) return;
  const sample = JSON.parse(readStackConfig(join(ROOT, "Pulumi.dev.yaml")).config["kubernetes-pki:cluster"]) as KubernetesPkiArgs;
  await benchEngine(sample);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
