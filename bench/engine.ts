import { KubernetesPkiArgs } from "../components";
import { DEFAULT_ENCRYPTION_ALGORITHM } from "../components/algorithms";
import { formatColumns } from "../components/expiryFormat";
import { pulumiCli } from "../test/engine/harness/cli";
import { EngineStack, Operation } from "../test/engine/harness/engineStack";

/** Worker counts of the large stacks: `BENCH_ENGINE_WORKERS` (comma-separated), default 50. */
const LARGE_WORKERS = (process.env.BENCH_ENGINE_WORKERS ?? "50").split(",").map(Number);

/** Seconds an operation takes, and what it returned. */
async function timed(run: () => Promise<Operation>): Promise<{ seconds: number; operation: Operation }> {
  const start = process.hrtime.bigint();
  const operation = await run();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, operation };
}

/** `pulumi up`, a no-op `pulumi preview` and the `pulumi up` that adds one worker, for one stack: one table row. */
async function measureStack(title: string, cluster: KubernetesPkiArgs): Promise<string[]> {
  const engine = await EngineStack.create("bench", cluster);
  try {
    const up = await timed(() => engine.up());
    const preview = await timed(() => engine.preview());
    const index = cluster.workers?.length ?? 0;
    await engine.setCluster(`workers[${index}].name`, "added-worker");
    await engine.setCluster(`workers[${index}].address`, "10.0.9.1");
    const add = await timed(() => engine.up());
    const changed = Object.keys(preview.operation.summary).filter((op) => op !== "same");
    if (changed.length > 0) throw new Error(`${title}: the no-op preview plans ${changed.join(", ")}`);
    return [
      title, String(up.operation.summary.create ?? 0), up.seconds.toFixed(1), preview.seconds.toFixed(1),
      `${add.seconds.toFixed(1)} (+${add.operation.summary.create ?? 0})`,
    ];
  } finally {
    engine.dispose();
  }
}

/**
 * What a user waits for on a real Pulumi engine (the CLI built by test/engine/build/pulumi.sh, the
 * tls emulator as its provider plugin): `up` of a new stack, a `preview` with nothing to do, and
 * the `up` that adds one worker, for the sample stack and for 3 control-plane nodes with many workers.
 */
export async function benchEngine(sample: KubernetesPkiArgs): Promise<void> {
  console.log("\n## Pulumi engine (file backend, tls emulator plugin)");
  try {
    await pulumiCli();
  } catch (error) {
    console.log(`not measured: the Pulumi CLI is unavailable (${(error as Error).message})`);
    return;
  }
  const rows = [await measureStack(`sample stack, ${sample.encryptionAlgorithm ?? DEFAULT_ENCRYPTION_ALGORITHM}`, sample)];
  for (const workers of LARGE_WORKERS) {
    rows.push(await measureStack(`3 control-plane + ${workers} workers, ECDSA-P256`, {
      ...sample,
      encryptionAlgorithm: "ECDSA-P256",
      workers: Array.from({ length: workers }, (_, i) => ({ name: `worker-${i + 1}`, address: `10.1.${(i + 1) >> 8}.${(i + 1) & 255}` })),
    }));
  }
  console.log(formatColumns(["STACK", "RESOURCES", "UP (s)", "NO-OP PREVIEW (s)", "ADD A WORKER: UP (s)"], rows));
}
