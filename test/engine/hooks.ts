import { Context } from "mocha";
import { CLI_BUILD_TIMEOUT_MS, pulumiCli } from "./harness/cli";

/**
 * Root hook (mocha root-hook plugin, loaded by test/engine/.mocharc.json): provide the pinned
 * Pulumi CLI before any scenario, building it from its Go module on a cold cache.
 */
export const mochaHooks = {
  beforeAll: async function providePulumiCli(this: Context): Promise<void> {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    const { binDir, command } = await pulumiCli();
    process.stderr.write(`[engine] pulumi ${command.version?.toString()} from ${binDir}\n`);
  },
};
