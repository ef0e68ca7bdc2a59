import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { CLOCK_ENV } from "../components/rotation/clock";
import { RenewalCheck, RenewalCheckState } from "../components/rotation/renewalCheck";
import { RotationStage } from "../components/rotation/rotationStage";
import { loadDynamicProvider } from "../offline/dynamicResource";
import { TlsEmulator } from "../offline/tlsEmulator";
import { unwrap } from "./helpers/unwrap";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const inputs = { generation: "0.0.0@0", validityHours: 8760, renewBeforeHours: 720 };

/** Registers one resource under the emulator and returns its serialized provider rebuilt as the CLI's host does. */
async function served(make: () => pulumi.CustomResource): Promise<pulumi.dynamic.ResourceProvider> {
  const emulator = new TlsEmulator();
  await pulumi.runtime.setMocks(emulator, "kubernetes-pki", "test", false);
  await unwrap(make().urn);
  const text = emulator.resources[0].inputs.__provider;
  assert.equal(typeof text, "string");
  assert.match(text as string, /^exports\.handler = /);
  return loadDynamicProvider(text as string);
}

describe("the RenewalCheck dynamic provider (serialized and rebuilt as the CLI's dynamic-provider host does)", function () {
  this.timeout(120_000);
  let provider: pulumi.dynamic.ResourceProvider;
  let state: RenewalCheckState;
  const at = async <T>(now: string, fn: () => Promise<T>): Promise<T> => {
    process.env[CLOCK_ENV] = now;
    try {
      return await fn();
    } finally {
      delete process.env[CLOCK_ENV];
    }
  };

  before(async () => {
    provider = await served(() => new RenewalCheck("check", inputs));
    state = (await at("2027-01-01T00:00:00Z", () => provider.create(inputs))).outs as RenewalCheckState;
  });

  it("create keeps the issue time, expiry and renewal time in its own state (read from the injected clock)", () => {
    assert.deepEqual(state, {
      ...inputs, issuedAt: "2027-01-01T00:00:00.000Z", notAfter: "2028-01-01T00:00:00.000Z", renewAt: "2027-12-02T00:00:00.000Z",
    });
  });

  it("diff: no change a millisecond before the window, replace at its edge and after", async () => {
    const diffAt = (now: string) => at(now, () => provider.diff!("id", state, inputs));
    assert.deepEqual(await diffAt("2027-12-01T23:59:59.999Z"), { changes: false, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(await diffAt("2027-12-02T00:00:00.000Z"), { changes: true, replaces: ["renewAt"], deleteBeforeReplace: false });
    assert.deepEqual(await diffAt("2028-03-01T00:00:00.000Z"), { changes: true, replaces: ["renewAt"], deleteBeforeReplace: false });
  });

  it("diff: a new generation or validity replaces; a wider window replaces only once it is reached", async () => {
    const diff = (news: object) => at("2027-06-01T00:00:00Z", () => provider.diff!("id", state, { ...inputs, ...news }));
    assert.deepEqual((await diff({ generation: "0.1.0@0" })).replaces, ["generation"]);
    assert.deepEqual((await diff({ validityHours: 4380 })).replaces, ["validityHours"]);
    assert.deepEqual(await diff({ renewBeforeHours: 2000 }), { changes: true, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual((await diff({ renewBeforeHours: 6000 })).replaces, ["renewAt"]);
  });

  it("diff: unknown inputs in a preview (the engine's sentinel, whatever the type) plan a replace", async () => {
    const diff = (news: object) => at("2027-06-01T00:00:00Z", () => provider.diff!("id", state, { ...inputs, ...news }));
    assert.deepEqual((await diff({ generation: UNKNOWN })).replaces, ["generation"]);
    assert.deepEqual((await diff({ renewBeforeHours: UNKNOWN })).replaces, ["renewBeforeHours"]);
  });

  it("update keeps the issue time and recomputes the renewal time: no output is lost", async () => {
    const updated = (await at("2027-06-01T00:00:00Z", () => provider.update!("id", state, { ...inputs, renewBeforeHours: 1440 }))).outs;
    assert.deepEqual(updated, { ...state, renewBeforeHours: 1440, renewAt: "2027-11-02T00:00:00.000Z" });
  });

  it("a test clock that is not a time fails loudly", async () => {
    await assert.rejects(at("tomorrow", () => provider.create(inputs)), /KUBERNETES_PKI_TEST_NOW: "tomorrow" is not an RFC 3339 time/);
  });
});

describe("the RotationStage dynamic provider", function () {
  this.timeout(120_000);
  it("check refuses a skipped phase against the recorded stage, and accepts the next one", async () => {
    const provider = await served(() => new RotationStage("stage", { authority: "sa", generation: 0, phase: "finish" }));
    const recorded = { authority: "sa", generation: 1, phase: "prepare" };
    const skip = await provider.check!(recorded, { authority: "sa", generation: 1, phase: "finish" });
    assert.deepEqual(skip.failures, [{ property: "phase", reason: 'rotation.sa: cannot go from generation 1 phase "prepare" to generation 1: every leaf in use is still signed by generation 0; apply phase "switch" first' }]);
    assert.equal((await provider.check!(recorded, { authority: "sa", generation: 1, phase: "switch" })).failures, undefined);
    assert.equal((await provider.check!({}, { authority: "sa", generation: 3, phase: "switch" })).failures, undefined, "a new stack starts anywhere");
  });
});
