import { parseArgs } from "node:util";
import { formatExpiryReport } from "../components";
import { buildManifest } from "./manifest";
import { runProgram } from "./runProgram";
import { readStackConfig } from "./stackConfig";
import { formatRenderChanges, readStateFile, renderChanges, writeStateFile } from "./stateFile";
import { treeFiles } from "./tree";
import { assertWritable, writeTree } from "./writeTree";

const USAGE = "usage: npm run render -- --config Pulumi.<stack>.yaml --out <dir> [--force] [--state <file>]";

/**
 * Renders a stack's PKI offline into a directory and prints its expiry report. With `--state`, the
 * render continues from the previous one (a file it wrote, mode 0600, holding every key): unchanged
 * resources are kept and exactly those the engine would replace are replaced; it prints what was
 * created, replaced, updated, kept and deleted. Prints nothing secret.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { config: { type: "string" }, out: { type: "string" }, force: { type: "boolean", default: false }, state: { type: "string" } },
  });
  if (values.config === undefined || values.out === undefined) throw new Error(USAGE);
  assertWritable(values.out, values.force ?? false);
  const prior = values.state === undefined ? undefined : readStateFile(values.state);
  const rendered = await runProgram(readStackConfig(values.config), { prior });
  const manifest = `${JSON.stringify(buildManifest(rendered), null, 2)}\n`;
  const files = [...treeFiles(rendered), { path: "manifest.json", content: manifest, mode: "0644" }];
  writeTree(values.out, files, values.force ?? false);
  if (values.state !== undefined) writeStateFile(values.state, rendered.state);
  console.log(formatExpiryReport(rendered.expiryReport, new Date()));
  if (prior !== undefined) console.log(`\n${formatRenderChanges(renderChanges(rendered.steps, prior))}`);
  console.log(`\nstack ${rendered.stack}: ${Object.keys(rendered.files).length} nodes, ${files.length} files written to ${values.out}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
