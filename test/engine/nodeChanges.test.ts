import * as assert from "node:assert/strict";
import { smallCluster } from "./harness/clusters";
import { EngineStack, StateResource } from "./harness/engineStack";
import { changes, DYNAMIC, label, TLS, withOp } from "./harness/steps";

const NODES = ["cp-1", "worker-1", "worker-2"];

describe("adding and removing a worker through the Pulumi engine", () => {
  let engine: EngineStack;
  let added: string[] = [];

  before(async () => {
    engine = await EngineStack.create("nodes", smallCluster());
    await engine.up();
    await engine.setCluster("workers[1].name", "worker-2");
    await engine.setCluster("workers[1].address", "10.0.1.22");
  });
  after(() => engine?.dispose());

  it("preview of an added worker plans only that node's keys, CSRs, certificates and their renewal checks", async () => {
    const preview = await engine.preview();
    added = withOp(preview.steps, "create");
    assert.ok(added.length > 0, "the new worker gets resources");
    for (const step of preview.steps.filter((s) => s.op === "create")) {
      assert.match(step.name, /^nodes-.+-worker-2$/, `${label(step)} belongs to worker-2`);
    }
    assert.deepEqual(changes(preview.steps), added.map((l) => `create ${l}`));
    assert.deepEqual(
      [...new Set(preview.steps.filter((s) => s.op === "create").map((s) => s.type))].sort(),
      [DYNAMIC.renewalCheck, TLS.certRequest, TLS.locallySignedCert, TLS.privateKey].sort(),
    );
    const leaves = withOp(preview.steps.filter((s) => s.type === TLS.locallySignedCert), "create").map((l) => l.split(" ")[1]);
    const checks = withOp(preview.steps.filter((s) => s.type === DYNAMIC.renewalCheck), "create").map((l) => l.split(" ")[1]);
    assert.deepEqual(checks, leaves, "one renewal check per leaf certificate");
  });

  it("up creates exactly what the preview planned and leaves every other resource as it was", async () => {
    const before = await engine.exportedState();
    const up = await engine.up();
    assert.deepEqual(changes(up.steps), added.map((l) => `create ${l}`));
    const after = await engine.exportedState();
    // Ids (a key's public key hash, a certificate's serial) and public outputs; secrets are re-encrypted on every save.
    const publicPart = (r: StateResource) => JSON.stringify({ id: r.id, outputs: r.outputs }, (_k, v) => (isSecret(v) ? "[secret]" : v));
    const unchanged = new Map(before.resources.map((r) => [r.urn, publicPart(r)]));
    for (const r of after.resources.filter((x) => x.type.startsWith("tls:") && unchanged.has(x.urn))) {
      assert.ok(publicPart(r) === unchanged.get(r.urn), `${r.urn} is untouched`);
    }
    const files = (await engine.outputs()).files.value as Record<string, unknown>;
    assert.deepEqual(Object.keys(files).sort(), NODES);
  });

  it("removing the worker deletes only its resources", async () => {
    await engine.removeCluster("workers[1]");
    const up = await engine.up();
    assert.deepEqual(changes(up.steps), added.map((l) => `delete ${l}`));
    const files = (await engine.outputs()).files.value as Record<string, unknown>;
    assert.deepEqual(Object.keys(files).sort(), ["cp-1", "worker-1"]);
  });
});

/** A secret as the exported state stores it (`{ <sig>: <secret sig>, ciphertext }`). */
function isSecret(v: unknown): boolean {
  return typeof v === "object" && v !== null && "ciphertext" in v;
}
