import * as assert from "node:assert/strict";
import { smallCluster } from "./harness/clusters";
import { EngineStack } from "./harness/engineStack";

const MESSAGE = new RegExp([
  'KubernetesPki "invalid" has 2 invalid input\\(s\\):',
  '- controlPlane\\[0\\] \\("cp-1"\\)\\.address: "10\\.0\\.0\\.300" is not an IPv4 or IPv6 address',
  '- encryptionAlgorithm: "RSA-1024" is not supported; use one of RSA-2048, RSA-3072, RSA-4096, ECDSA-P256, ECDSA-P384',
].join("\\s*\\n\\s*"));

describe("invalid config through the Pulumi engine", () => {
  let engine: EngineStack;

  before(async () => {
    engine = await EngineStack.create("invalid", {
      ...smallCluster(),
      controlPlane: [{ name: "cp-1", address: "10.0.0.300" }],
      encryptionAlgorithm: "RSA-1024",
    });
  });
  after(() => engine?.dispose());

  it("preview fails with the component's validation message, naming every bad field", async () => {
    await assert.rejects(engine.preview(), (error: Error) => MESSAGE.test(error.message));
  });

  it("up fails the same way and creates nothing: no component, no key, no certificate", async () => {
    await assert.rejects(engine.up(), (error: Error) => MESSAGE.test(error.message));
    const { resources } = await engine.exportedState();
    assert.deepEqual(resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.urn), []);
  });
});
