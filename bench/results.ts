import { BenchCluster } from "./clusters";
import { OperationCost } from "./lowerBound";

/** The machine and versions a benchmark ran on. */
export interface MachineInfo {
  readonly cpu: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly openssl: string;
  readonly pulumi: string;
  readonly loadAtStart: string;
  readonly startedAt: string;
}

/** Medians of one cluster's runs, the render's and the openssl script's. */
export interface CaseResult {
  readonly cluster: BenchCluster;
  readonly runs: number;
  readonly keys: number;
  /** CSR and certificate signatures. */
  readonly signatures: number;
  readonly resources: number;
  readonly secretOutputs: number;
  readonly renderWall: number;
  readonly renderCpu: number;
  readonly renderPeakMiB: number;
  /** Absent when the script was not run for this cluster (`--openssl-max-workers`). */
  readonly opensslWall?: number;
  readonly opensslCpu?: number;
  /** (keys × one key generation + signatures × one signature) / cores. */
  readonly lowerBound: number;
  /** 1, 5 and 15 minute load averages before → after. */
  readonly load: string;
}

/** Everything RESULTS.md reports. */
export interface BenchReport {
  readonly machine: MachineInfo;
  readonly costs: Readonly<Record<BenchCluster["algorithm"], OperationCost>>;
  readonly startUpSeconds: number;
  readonly results: readonly CaseResult[];
  /** Clusters left out, with the keys they would make. */
  readonly skipped: readonly (BenchCluster & { readonly keys: number })[];
  readonly cores: number;
  readonly loadAtEnd: string;
  /** How the run was asked for: repeats, and the sizes past which RSA-2048 and the openssl script were left out. */
  readonly settings: { readonly runs: number; readonly rsaRuns: number; readonly rsaMaxWorkers: number; readonly opensslMaxWorkers: number };
}

const s = (seconds: number): string => seconds.toFixed(seconds < 10 ? 2 : 1);
const x = (ratio: number): string => `${ratio.toFixed(2)}×`;
const opt = (value: number | undefined, format: (v: number) => string): string => (value === undefined ? "—" : format(value));

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

/** Time and memory per added worker between consecutive sizes from 100 workers up, per algorithm. */
function slopes(results: readonly CaseResult[]): string[][] {
  const rows: string[][] = [];
  for (const algorithm of ["ECDSA-P256", "RSA-2048"] as const) {
    const sized = results.filter((r) => r.cluster.algorithm === algorithm && r.cluster.title !== "sample" && r.cluster.workers >= 100);
    for (let i = 1; i < sized.length; i++) {
      const [a, b] = [sized[i - 1], sized[i]];
      const added = b.cluster.workers - a.cluster.workers;
      rows.push([
        algorithm,
        `${a.cluster.workers} → ${b.cluster.workers}`,
        `${((1000 * (b.renderWall - a.renderWall)) / added).toFixed(1)} ms`,
        `${((1000 * (b.renderCpu - a.renderCpu)) / added).toFixed(1)} ms`,
        `${((1024 * (b.renderPeakMiB - a.renderPeakMiB)) / added).toFixed(0)} KiB`,
        a.opensslWall !== undefined && b.opensslWall !== undefined ? `${((1000 * (b.opensslWall - a.opensslWall)) / added).toFixed(1)} ms` : "—",
      ]);
    }
  }
  return rows;
}

/**
 * Per algorithm, the cost per added worker from 100 to 1,000 against 1,000 to 5,000 workers: flat when
 * the two agree within 20 %, falling when a worker costs less in the larger cluster (linear or better).
 */
function flatness(results: readonly CaseResult[]): string[] {
  const lines: string[] = [];
  for (const algorithm of ["ECDSA-P256", "RSA-2048"] as const) {
    const at = (workers: number): CaseResult | undefined =>
      results.find((r) => r.cluster.algorithm === algorithm && r.cluster.title !== "sample" && r.cluster.workers === workers);
    const [a, b, c] = [at(100), at(1000), at(5000)];
    if (a === undefined || b === undefined || c === undefined) continue;
    const slope = (pick: (r: CaseResult) => number, from: CaseResult, to: CaseResult): number =>
      (pick(to) - pick(from)) / (to.cluster.workers - from.cluster.workers);
    const compare = (what: string, pick: (r: CaseResult) => number, unit: (v: number) => string): string => {
      const [low, high] = [slope(pick, a, b), slope(pick, b, c)];
      const change = high / low - 1;
      const verdict = Math.abs(change) <= 0.2 ? "flat (within 20 %)" : change < 0 ? "falling (cheaper per worker at scale)" : "growing (over 20 %)";
      return `${what} ${unit(low)} (100 → 1,000) and ${unit(high)} (1,000 → 5,000) per worker: ` +
        `${change >= 0 ? "+" : ""}${(100 * change).toFixed(0)} %, ${verdict}`;
    };
    lines.push(`- ${algorithm}: ${compare("CPU", (r) => r.renderCpu, (v) => `${(1000 * v).toFixed(1)} ms`)}; ` +
      `${compare("peak memory", (r) => r.renderPeakMiB, (v) => `${(1024 * v).toFixed(0)} KiB`)}; ` +
      `${compare("wall", (r) => r.renderWall, (v) => `${(1000 * v).toFixed(1)} ms`)}.`);
  }
  return lines;
}

/** RESULTS.md. */
export function formatResults(r: BenchReport): string {
  const m = r.machine;
  const rows = r.results.map((c) => [
    c.cluster.title, c.cluster.algorithm, String(c.cluster.workers + 3), String(c.runs),
    String(c.keys), String(c.resources), String(c.secretOutputs),
    s(c.renderWall), s(c.renderCpu), c.renderPeakMiB.toFixed(0),
    opt(c.opensslWall, s), opt(c.opensslCpu, s), opt(c.opensslWall, (wall) => x(c.renderWall / wall)),
    c.lowerBound.toFixed(3), x(c.renderWall / c.lowerBound), x(c.renderCpu / (c.lowerBound * r.cores)), c.load,
  ]);
  const cost = (a: BenchCluster["algorithm"]): string =>
    `${a}: key generation ${(1000 * r.costs[a].keygenSeconds).toFixed(2)} ms (mean of ${r.costs[a].keysMeasured} keys), signature ${(1000 * r.costs[a].signSeconds).toFixed(3)} ms`;
  return `# Benchmark results

Written by \`npm run bench\` (\`bench/index.ts\`); do not edit by hand.

- Machine: ${m.cpu}, ${m.memoryGiB.toFixed(0)} GiB; ${m.node}; ${m.openssl}; @pulumi/pulumi ${m.pulumi}.
- Started ${m.startedAt}; load average (1, 5, 15 min) ${m.loadAtStart} at the start, ${r.loadAtEnd} at the end.
  The machine is shared: other jobs ran during these measurements, so wall times carry their noise;
  CPU seconds are steadier.
- Render: \`node bin/offline/render.js\` (what \`npm run render\` runs), start-up included, into a new
  directory; it also writes cloud-init user-data and \`manifest.json\`, which the openssl script does not.
- openssl: \`bench/openssl-tree.sh\`, the same keys, CSRs, certificates and kubeconfigs, ${r.cores} jobs at once.
- Lower bound: (keys × one key generation + signatures × one signature) / ${r.cores} cores, in CPU time
  measured in this run, keys made on every core at once as the render makes them: ${cost("RSA-2048")}; ${cost("ECDSA-P256")}. "Work CPU" is the
  same sum before dividing by the cores: the render's CPU over it is its overhead whatever the load.
- Start-up alone (node loading every module a render loads, rendering nothing, from the compile cache a first run fills): ${s(r.startUpSeconds)} s.
- Medians of the runs shown: ${r.settings.runs} of each small ECDSA-P256 cluster, ${r.settings.rsaRuns} of each small RSA-2048
  cluster; clusters of 1,000 workers and more ran once, at the end. The openssl script ran up to
  ${r.settings.opensslMaxWorkers} workers (\`--openssl-max-workers\`), RSA-2048 up to ${r.settings.rsaMaxWorkers} (\`--rsa-max-workers\`).
${r.skipped.map((c) => `- Not run: ${c.algorithm} with ${c.title} (\`--rsa-max-workers\`), to fit the time at hand on ` +
  `this shared machine. Its key generation alone, at the lower bound, takes ` +
  `${s(c.keys * r.costs[c.algorithm].keygenSeconds / r.cores / 60)} min for the render and as long for the script.\n`).join("")}
## Render against the openssl script

Nodes include the 3 control-plane nodes. Wall and CPU in seconds, peak memory in MiB (largest process).

${table(["cluster", "algorithm", "nodes", "runs", "keys made", "resources", "secret outputs", "render wall", "render CPU", "render peak", "openssl wall", "openssl CPU", "render / openssl", "lower bound", "render / lower bound", "render CPU / work CPU", "load before → after"], rows)}

## Cost per added worker

${table(["algorithm", "workers", "render wall", "render CPU", "render peak memory", "openssl wall"], slopes(r.results))}

${flatness(r.results).join("\n")}
`;
}
