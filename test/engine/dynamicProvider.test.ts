import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { EngineStack } from "./harness/engineStack";
import { changes } from "./harness/steps";

/** A dynamic provider that replaces its resource when `generation` changes. */
const generations: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: `generation-${inputs.generation}`, outs: { generation: inputs.generation } };
  },
  async diff(_id, olds, news) {
    const replace = olds.generation !== news.generation;
    return { changes: replace, replaces: replace ? ["generation"] : [] };
  },
};

/** One resource of {@link generations}. */
class Generation extends pulumi.dynamic.Resource {
  constructor(name: string, generation: number) {
    super(generations, name, { generation }, {}, "probe", "Generation");
  }
}

/** A program with one dynamic resource whose `generation` comes from the stack config. */
function program(): Record<string, unknown> {
  const generation = new pulumi.Config("probe").requireNumber("generation");
  const probe = new Generation("probe", generation);
  return { id: probe.id };
}

describe("dynamic providers through the Pulumi engine (pulumi-resource-pulumi-nodejs on PATH)", () => {
  let engine: EngineStack;

  before(async () => {
    engine = await EngineStack.create("dynamic", {}, async () => program());
    await engine.stack.setConfig("probe:generation", { value: "1" });
  });
  after(() => engine?.dispose());

  it("up creates the dynamic resource with the provider's id", async () => {
    await engine.up();
    assert.equal((await engine.outputs()).id.value, "generation-1");
  });

  it("an unchanged input plans nothing; a changed one replaces the resource", async () => {
    assert.deepEqual(changes((await engine.preview()).steps), []);
    await engine.stack.setConfig("probe:generation", { value: "2" });
    const up = await engine.up();
    assert.deepEqual(changes(up.steps).filter((c) => c.startsWith("replace ")), ["replace Generation probe"]);
    assert.equal((await engine.outputs()).id.value, "generation-2");
  });
});
