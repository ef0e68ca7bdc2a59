#!/usr/bin/env node
/**
 * Runs a tool from its compiled JavaScript in `bin/`, compiling first only when a source is newer
 * than the last build: `node scripts/compiled.js offline/render --config …`. Without an entry it
 * only brings `bin/` up to date (the `prepare` script). Checking costs a few `stat` calls, so
 * `npm start`, `npm run render` and `npm run check` start as fast as plain `node`.
 */
"use strict";
const { spawnSync } = require("node:child_process");
const { readdirSync, statSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");

const ROOT = join(__dirname, "..");
const PROJECT = join(ROOT, "tsconfig.build.json");
/** Written after every successful build; its mtime is the build's time. */
const STAMP = join(ROOT, "bin", ".build-stamp");
/** What the build reads: the compiled sources and the files that configure the compiler. */
const SOURCES = ["index.ts", "components", "offline", "bench", "tsconfig.json", "tsconfig.build.json", "package-lock.json"];

/** The newest modification time under `path` (a file, or a directory of `.ts` files), 0 when absent. */
function newest(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory() || entry.name.endsWith(".ts")) latest = Math.max(latest, newest(join(path, entry.name)));
  }
  return latest;
}

function builtAt() {
  try {
    return statSync(STAMP).mtimeMs;
  } catch {
    return -1;
  }
}

/** Compiles into `bin/` (incrementally) when any source changed since the last build. */
function ensureBuilt() {
  const stamp = builtAt();
  if (stamp >= 0 && SOURCES.every((source) => newest(join(ROOT, source)) <= stamp)) return;
  const started = Date.now();
  const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", PROJECT], { cwd: ROOT, stdio: "inherit" });
  if (tsc.status !== 0) {
    console.error("kubernetes-pki: the TypeScript build failed (see above); nothing was run");
    process.exit(tsc.status ?? 1);
  }
  writeFileSync(STAMP, `${new Date(started).toISOString()}\n`);
  // Sources edited during the build are newer than the build's start, so they rebuild next time.
  const startedSeconds = started / 1000;
  require("node:fs").utimesSync(STAMP, startedSeconds, startedSeconds);
}

ensureBuilt();
const entry = process.argv[2];
if (entry !== undefined) {
  process.argv.splice(1, 2, join(ROOT, "bin", `${entry}.js`));
  require(join(ROOT, "bin", entry));
}
