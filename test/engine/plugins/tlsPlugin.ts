import { readFileSync } from "node:fs";
import * as provider from "@pulumi/pulumi/provider";
import { tlsProvider } from "./tlsProvider";

/** The version of the pinned `@pulumi/tls`, which its resources ask the engine for. */
function pinnedTlsVersion(): string {
  return (JSON.parse(readFileSync(require.resolve("@pulumi/tls/package.json"), "utf8")) as { version: string }).version;
}

// Entry point of the `pulumi-resource-tls` plugin the engine tests put on PATH (path/pulumi-resource-tls).
provider.main(tlsProvider(pinnedTlsVersion()), process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : String(error));
  process.exit(1);
});
