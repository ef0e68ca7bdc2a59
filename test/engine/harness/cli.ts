import { spawn } from "node:child_process";
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation";

/** The repository root. */
export const REPO_ROOT = resolve(__dirname, "..", "..", "..");

/** The script that builds (or finds) the pinned Pulumi CLI and prints its directory last. */
export const BUILD_SCRIPT = join(REPO_ROOT, "test", "engine", "build", "pulumi.sh");

/** Directory of the plugin executables the engine finds on PATH: `pulumi-resource-tls`, `pulumi-resource-pulumi-nodejs`. */
export const PLUGINS_DIR = join(REPO_ROOT, "test", "engine", "plugins", "path");

/** A cold CLI build takes about 25 minutes on two busy cores; waiting on another run's build likewise. */
export const CLI_BUILD_TIMEOUT_MS = 60 * 60_000;

/** The Pulumi CLI the engine tests run, and the directory that holds it. */
export interface PulumiCli {
  readonly command: PulumiCommand;
  readonly binDir: string;
}

let cli: Promise<PulumiCli> | undefined;

/** Runs the build script (a cache hit takes a second; `PULUMI_BIN_DIR` skips the build); its progress goes to stderr. */
function buildCli(): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn("bash", [BUILD_SCRIPT], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.on("error", fail);
    child.on("exit", (code) => {
      const dir = stdout.trim().split("\n").pop() ?? "";
      if (code === 0 && dir !== "") done(dir);
      else fail(new Error(`${BUILD_SCRIPT} exited with ${code}; see its [engine-bin] lines above`));
    });
  });
}

/**
 * The pinned Pulumi CLI, built on first use (once per process). The Automation API wants an
 * installation root holding `bin/pulumi`, so a temporary root links to the build's directory.
 */
export function pulumiCli(): Promise<PulumiCli> {
  cli ??= buildCli().then(async (binDir) => {
    const root = mkdtempSync(join(tmpdir(), "k8s-pki-pulumi-root-"));
    symlinkSync(binDir, join(root, "bin"));
    return { command: await PulumiCommand.get({ root }), binDir };
  });
  return cli;
}
