import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { BOOTSTRAP_DIR, CLOUD_INIT_DIR, MANIFESTS_DIR, NODES_DIR, OPERATOR_DIR } from "./tree";

/** The file that marks a tree this command rendered, listing every other file of it. */
export const MANIFEST_FILE = "manifest.json";

/** What may sit at the top of a rendered tree, and nothing else. */
const TOP_LEVEL: readonly string[] = [MANIFEST_FILE, NODES_DIR, OPERATOR_DIR, CLOUD_INIT_DIR, MANIFESTS_DIR, BOOTSTRAP_DIR];

/** Largest manifest read: a tree of a thousand nodes has a manifest of a few MiB. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** Most entries looked at before giving up on a directory as too large to be a rendered tree. */
const MAX_ENTRIES = 200_000;

/**
 * Why `dir` (an existing, non-empty directory) is not a tree this command rendered, naming what was
 * found; undefined when it is one: `manifest.json` (a manifest of this format), `nodes/`, and
 * optionally `admin/`, `cloud-init/`, `manifests/` and `bootstrap/` at the top, only regular files
 * and directories below, every file listed in the manifest. Symbolic links are never followed.
 */
export function notRenderedTreeReason(dir: string): string | undefined {
  const top = readdirSync(dir);
  const strangers = top.filter((name) => !TOP_LEVEL.includes(name));
  if (strangers.length > 0) return `it holds ${list(strangers)}, which a rendered tree does not`;
  if (!top.includes(MANIFEST_FILE) || !lstatSync(join(dir, MANIFEST_FILE)).isFile()) return `it has no ${MANIFEST_FILE}`;
  if (!top.includes(NODES_DIR) || !lstatSync(join(dir, NODES_DIR)).isDirectory()) return `it has no ${NODES_DIR}/ directory`;
  const listed = manifestPaths(join(dir, MANIFEST_FILE));
  if (listed === undefined) return `its ${MANIFEST_FILE} is not a manifest this command writes`;
  const unlisted: string[] = [];
  let seen = 0;
  const walk = (relative: string): string | undefined => {
    for (const name of readdirSync(join(dir, relative))) {
      if (++seen > MAX_ENTRIES) return `it holds more than ${MAX_ENTRIES} entries`;
      const path = posix.join(relative, name);
      const stat = lstatSync(join(dir, path));
      if (stat.isDirectory()) {
        const reason = walk(path);
        if (reason !== undefined) return reason;
      } else if (!stat.isFile()) {
        return `${path} is not a regular file or directory`;
      } else if (path !== MANIFEST_FILE && !listed.has(path)) {
        unlisted.push(path);
      }
    }
    return undefined;
  };
  const reason = walk("");
  if (reason !== undefined) return reason;
  return unlisted.length === 0 ? undefined : `it holds ${list(unlisted)}, which its ${MANIFEST_FILE} does not list`;
}

/** The tree paths a manifest lists, or undefined when the file is not a manifest. */
function manifestPaths(path: string): Set<string> | undefined {
  if (lstatSync(path).size > MAX_MANIFEST_BYTES) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(path, "utf8")) as { stack?: unknown; generatedAt?: unknown; files?: unknown };
    if (typeof manifest.stack !== "string" || typeof manifest.generatedAt !== "string" || !Array.isArray(manifest.files)) return undefined;
    const paths = manifest.files.map((file: { treePath?: unknown }) => file?.treePath);
    return paths.every((p): p is string => typeof p === "string") ? new Set(paths) : undefined;
  } catch {
    return undefined;
  }
}

function list(names: readonly string[]): string {
  const shown = names.slice(0, 5).map((name) => JSON.stringify(name)).join(", ");
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}
