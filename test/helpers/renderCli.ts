import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { KubernetesPkiArgs } from "../../components";

const ROOT = join(__dirname, "..", "..");
const NODE_ARGS = ["-r", "ts-node/register", "offline/render.ts"];
const ENV = { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" };

/** What a finished render printed and returned. */
export interface RenderRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the render CLI as a user would (`npm run render -- …`), without npm's banner; `umask` as an octal string. */
export function render(args: readonly string[], umask?: string): RenderRun {
  const run =
    umask === undefined
      ? spawnSync(process.execPath, [...NODE_ARGS, ...args], { cwd: ROOT, encoding: "utf8", env: ENV })
      : spawnSync("sh", ["-c", `umask ${umask} && exec "$0" "$@"`, process.execPath, ...NODE_ARGS, ...args], { cwd: ROOT, encoding: "utf8", env: ENV });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Starts the render CLI in the background, for tests that interrupt it. */
export function startRender(args: readonly string[]): ReturnType<typeof spawn> {
  return spawn(process.execPath, [...NODE_ARGS, ...args], { cwd: ROOT, env: ENV, stdio: ["ignore", "pipe", "pipe"] });
}

/** Writes `Pulumi.<stack>.yaml` holding `cluster` as the stack program's config; returns its path. */
export function writeStack(dir: string, stack: string, cluster: KubernetesPkiArgs | Record<string, unknown>): string {
  const path = join(dir, `Pulumi.${stack}.yaml`);
  writeFileSync(path, stringify({ config: { "kubernetes-pki:cluster": cluster } }));
  return path;
}
