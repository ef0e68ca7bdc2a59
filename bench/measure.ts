import { spawnSync } from "node:child_process";

/** What one run of a command cost, as GNU time reports it for the command and every process it waited for. */
export interface RunCost {
  readonly wallSeconds: number;
  /** User plus system CPU seconds. */
  readonly cpuSeconds: number;
  /** Largest resident set of any one process, in MiB. */
  readonly peakMiB: number;
  readonly stdout: string;
}

const TIME = "/usr/bin/time";

/** Runs `command` under GNU time; throws with its stderr when it fails. */
export function measure(command: string, args: readonly string[]): RunCost {
  const run = spawnSync(TIME, ["-f", "\n@@ %e %U %S %M", command, ...args], { encoding: "utf8", maxBuffer: 1 << 30 });
  if (run.error !== undefined) {
    throw new Error(`${TIME} could not run (${run.error.message}); the benchmark needs GNU time (Debian package "time")`);
  }
  const match = /@@ ([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(run.stderr);
  if (run.status !== 0 || match === null) {
    throw new Error(`${command} ${args.join(" ")} failed (${run.status}):\n${run.stderr.slice(-2000)}`);
  }
  const [, wall, user, system, maxKb] = match;
  return {
    wallSeconds: Number(wall),
    cpuSeconds: Number(user) + Number(system),
    peakMiB: Number(maxKb) / 1024,
    stdout: run.stdout,
  };
}

/** The median of some numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
