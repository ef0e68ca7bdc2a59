import { rmSync } from "node:fs";
import { Context } from "mocha";
import { BUILD_TIMEOUT_MS, bootCluster, progress, READY_TIMEOUT_MS } from "./harness/boot";
import { Cluster } from "./harness/cluster";

let current: Cluster | undefined;
let failures = 0;

/** The running cluster, booted once by the root hook below for every scenario file. */
export function e2eCluster(): Cluster {
  if (current === undefined) throw new Error("no e2e cluster: run the suite with `npm run test:e2e` (its root hook boots it)");
  return current;
}

/**
 * Root hooks (mocha root-hook plugin, loaded by test/e2e/.mocharc.json): boot the cluster once
 * before any scenario, print diagnostics after a failed test, stop every process at the end. The
 * work dir (rendered tree, logs, etcd data) is removed after a green run unless `E2E_KEEP=1`.
 */
export const mochaHooks = {
  beforeAll: async function bootControlPlaneFromRenderedPki(this: Context): Promise<void> {
    this.timeout(BUILD_TIMEOUT_MS + 10 * READY_TIMEOUT_MS);
    current = await bootCluster();
  },
  afterEach: function printDiagnosticsOnFailure(this: Context): void {
    if (this.currentTest?.state !== "failed") return;
    failures += 1;
    if (current !== undefined) process.stderr.write(`\n${current.diagnostics()}\n`);
  },
  afterAll: async function stopControlPlane(this: Context): Promise<void> {
    this.timeout(5 * 60_000);
    if (current === undefined) return;
    const cluster = current;
    current = undefined;
    await cluster.shutdown();
    if (failures === 0 && process.env.E2E_KEEP !== "1") {
      rmSync(cluster.workDir, { recursive: true, force: true });
    } else {
      progress(`work dir kept (rendered tree, logs): ${cluster.workDir}`);
    }
  },
};
