#!/usr/bin/env node
import "./compileCache"; // first: the modules below load through it
import { parseArgs } from "node:util";
import { formatExpiryReport } from "../components";
import { clusterNodeCount, relaunchWithRoomFor } from "./heapRoom";
import { buildManifest } from "./manifest";
import { MANIFEST_FILE } from "./renderedTree";
import { showProgress } from "./progress";
import { runProgram, stackEmulator } from "./runProgram";
import { readStackConfig } from "./stackConfig";
import { formatRenderChanges, readStateFile, renderChanges, writeStateFile } from "./stateFile";
import { RegistrationCounts } from "./tlsEmulator";
import { stackCertificates, treeFiles } from "./tree";
import { commit, discard, prepareOutput, Staging, writeStaged } from "./writeTree";

const USAGE = "usage: npm run render -- --config Pulumi.<stack>.yaml --out <dir> [--force] [--state <file>]";

/** Signals that stop a render; each removes the staging directory first. */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ["SIGHUP", "SIGINT", "SIGTERM"];

/**
 * Renders a stack's PKI offline into a directory and prints its expiry report. Prints nothing secret.
 * `--out` is checked and the config read before any key is generated; the tree is written beside
 * `--out` and renamed into place, and removed if the render fails or is interrupted. With `--state`,
 * the render continues from the previous one (a file it wrote, mode 0600, holding every key):
 * unchanged resources are kept and exactly those the engine would replace are replaced; it prints
 * what was created, replaced, updated, kept and deleted. A large cluster is rendered by a child
 * process given the heap it needs and a larger young generation (see `heapRoom.ts`).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { config: { type: "string" }, out: { type: "string" }, force: { type: "boolean", default: false }, state: { type: "string" } },
  });
  if (values.config === undefined || values.out === undefined) throw new Error(USAGE);
  const configPath = values.config;
  const stackConfig = readStackConfig(configPath);
  if (await relaunchWithRoomFor(clusterNodeCount(stackConfig), (line) => console.error(line))) return;
  const prior = values.state === undefined ? undefined : readStateFile(values.state);
  const staging = prepareOutput(values.out, values.force ?? false, (line) => console.error(line));
  removeOnSignal(staging);
  try {
    const emulator = stackEmulator({ prior, record: values.state !== undefined });
    const stopProgress = showProgress(emulator.counts);
    const rendered = await runProgram(stackConfig, emulator)
      .catch((error: unknown) => {
        throw new Error(`${configPath}: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(stopProgress);
    const now = new Date();
    const certificates = stackCertificates(rendered);
    const manifest = `${JSON.stringify(buildManifest(rendered, now, certificates), null, 2)}\n`;
    const files = [...treeFiles(rendered), { path: MANIFEST_FILE, content: manifest, mode: "0644" }];
    writeStaged(staging, files);
    commit(staging);
    if (values.state !== undefined) writeStateFile(values.state, emulator.records);
    console.log(formatExpiryReport(rendered.expiryReport, now));
    if (prior !== undefined) console.log(`\n${formatRenderChanges(renderChanges(emulator.steps, prior))}`);
    console.log(`\nstack ${rendered.stack}: ${Object.keys(rendered.files).length} nodes, ${files.length} files written to ${values.out}`);
    console.log(registrationSummary(emulator.counts));
  } catch (error) {
    discard(staging);
    throw error;
  }
}

/**
 * On SIGINT, SIGTERM or SIGHUP: remove the staging directory (and its keys), then die of the same
 * signal, so the caller sees how the render ended. Re-raising it, rather than `process.exit`, does
 * not wait for key generations still running in the thread pool.
 */
function removeOnSignal(staging: Staging): void {
  for (const signal of STOP_SIGNALS) {
    process.once(signal, () => {
      discard(staging);
      console.error(`render interrupted by ${signal}: removed ${staging.path}; ${staging.target} is unchanged`);
      for (const other of STOP_SIGNALS) process.removeAllListeners(other);
      process.kill(process.pid, signal);
    });
  }
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
