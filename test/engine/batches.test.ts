import * as assert from "node:assert/strict";
import { WORKERS_PER_BATCH } from "../../components/issueBatches";
import { smallCluster } from "./harness/clusters";
import { EngineStack } from "./harness/engineStack";
import { changes, TLS, withOp } from "./harness/steps";

/** One worker past the first batch: the last worker is registered only after the others are answered. */
const WORKERS = WORKERS_PER_BATCH + 1;

function batchCluster(): object {
  return {
    ...smallCluster(),
    workers: Array.from({ length: WORKERS }, (_, i) => ({ name: `worker-${i + 1}`, address: `10.0.${1 + Math.floor(i / 200)}.${(i % 200) + 21}` })),
  };
}

describe("a cluster past the first batch of workers, through the Pulumi engine", function () {
  this.timeout(900_000);
  let engine: EngineStack;
  let planned: string[] = [];

  before(async () => {
    engine = await EngineStack.create("batches", batchCluster());
  });
  after(() => engine?.dispose());

  it("preview plans every worker's certificates, the batched one's included", async () => {
    const preview = await engine.preview();
    planned = withOp(preview.steps, "create");
    const certificates = preview.steps.filter((s) => s.op === "create" && s.type === TLS.locallySignedCert).map((s) => s.name);
    for (const worker of ["worker-1", `worker-${WORKERS_PER_BATCH}`, `worker-${WORKERS}`]) {
      assert.equal(certificates.filter((name) => name.endsWith(`-${worker}`)).length, 3, `${worker}'s three certificates are planned`);
    }
  });

  it("up creates exactly what the preview planned and gives every node its files; the next preview plans nothing", async () => {
    const up = await engine.up();
    assert.deepEqual(changes(up.steps).sort(), planned.map((l) => `create ${l}`).sort());
    const files = (await engine.outputs()).files.value as Record<string, Record<string, { content: string }>>;
    assert.equal(Object.keys(files).length, 1 + WORKERS);
    assert.match(files[`worker-${WORKERS}`]["/etc/kubernetes/kubelet.conf"].content, /client-key-data: /);
    assert.deepEqual(changes((await engine.preview()).steps), []);
  });
});
