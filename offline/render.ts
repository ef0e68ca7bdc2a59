#!/usr/bin/env node
import { parseArgs } from "node:util";
import { formatExpiryTable } from "./expiryTable";
import { buildManifest } from "./manifest";
import { showProgress } from "./progress";
import { runProgram } from "./runProgram";
import { readStackConfig } from "./stackConfig";
import { RegistrationCounts, TlsEmulator } from "./tlsEmulator";
import { stackCertificates, treeFiles } from "./tree";
import { assertWritable, writeTree } from "./writeTree";

const USAGE = "usage: npm run render -- --config Pulumi.<stack>.yaml --out <dir> [--force]";

/** Renders a stack's PKI offline into a directory and prints its expiry table. Prints nothing secret. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { config: { type: "string" }, out: { type: "string" }, force: { type: "boolean", default: false } },
  });
  if (values.config === undefined || values.out === undefined) throw new Error(USAGE);
  assertWritable(values.out, values.force ?? false);
  const emulator = new TlsEmulator({ record: false });
  const stopProgress = showProgress(emulator.counts);
  const rendered = await runProgram(readStackConfig(values.config), emulator).finally(stopProgress);
  const now = new Date();
  const certificates = stackCertificates(rendered);
  const manifest = `${JSON.stringify(buildManifest(rendered, now, certificates), null, 2)}\n`;
  const files = [...treeFiles(rendered), { path: "manifest.json", content: manifest, mode: "0644" }];
  writeTree(values.out, files, values.force ?? false);
  console.log(formatExpiryTable(certificates, now));
  console.log(`\nstack ${rendered.stack}: ${Object.keys(rendered.files).length} nodes, ${files.length} files written to ${values.out}`);
  console.log(registrationSummary(emulator.counts));
}

/** `resources registered: 51 tls:index/privateKey:PrivateKey, …; secret outputs: 150`. */
function registrationSummary(counts: RegistrationCounts): string {
  const types = [...counts.answered].map(([type, n]) => `${n} ${type}`).join(", ");
  return `resources registered: ${types}; secret outputs: ${counts.secretOutputs}`;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
