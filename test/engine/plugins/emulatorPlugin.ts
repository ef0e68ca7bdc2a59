import { readFileSync } from "node:fs";
import * as provider from "@pulumi/pulumi/provider";
import { EmulatedPackage, emulatorProvider } from "./emulatorProvider";

/** The version of the pinned `@pulumi/<pkg>`, which its resources ask the engine for. */
function pinnedVersion(pkg: EmulatedPackage): string {
  return (JSON.parse(readFileSync(require.resolve(`@pulumi/${pkg}/package.json`), "utf8")) as { version: string }).version;
}

// Entry point of the `pulumi-resource-tls` and `pulumi-resource-random` plugins the engine tests put
// on PATH (path/): `emulatorPlugin.ts <tls|random> <engine address>`.
const [pkg, ...engineArgs] = process.argv.slice(2);
if (pkg !== "tls" && pkg !== "random") throw new Error(`emulatorPlugin: "${pkg}" is not tls or random`);
provider.main(emulatorProvider(pkg, pinnedVersion(pkg)), engineArgs).catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : String(error));
  process.exit(1);
});
