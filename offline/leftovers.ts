import { lstatSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";

/** What a render of `<out>` leaves beside it while it runs: `.<out>.<kind>-<pid>-<random>`. */
export type LeftoverKind = "partial" | "previous";

/** The name of a render's staging (`partial`) or set-aside (`previous`) directory for `base`. */
export function leftoverName(base: string, kind: LeftoverKind, suffix: string): string {
  return `.${base}.${kind}-${process.pid}-${suffix}`;
}

/**
 * Cleans up after renders of `<parent>/<base>` that were killed: their staging directories
 * (`.<base>.partial-<pid>-*`, which hold private keys) are removed; a set-aside old tree
 * (`.<base>.previous-<pid>-*`) is put back when `<base>` is missing (killed between the two renames
 * of `--force`), else removed. Only directories of processes that are gone are touched. Returns one
 * line per action, for stderr.
 */
export function cleanUpLeftovers(parent: string, base: string): string[] {
  const pattern = new RegExp(`^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(partial|previous)-(\\d+)-[0-9a-f]+$`);
  const found = readdirSync(parent)
    .map((name) => ({ name, match: pattern.exec(name) }))
    .filter(({ name, match }) => match !== null && !isAlive(Number(match[2])) && lstatSync(join(parent, name)).isDirectory())
    .map(({ name, match }) => ({ path: join(parent, name), kind: match![1] as LeftoverKind, mtime: lstatSync(join(parent, name)).mtimeMs }));
  const actions: string[] = [];
  const target = join(parent, base);
  const previous = found.filter((f) => f.kind === "previous").sort((a, b) => b.mtime - a.mtime);
  if (previous.length > 0 && !exists(target)) {
    renameSync(previous[0].path, target);
    actions.push(`restored ${target} from ${previous[0].path}, set aside by a render that was killed while replacing it`);
    previous.shift();
  }
  for (const leftover of [...found.filter((f) => f.kind === "partial"), ...previous]) {
    rmSync(leftover.path, { recursive: true, force: true });
    const what = leftover.kind === "partial" ? "staging directory of an interrupted render" : "old tree set aside by an interrupted render";
    actions.push(`removed ${leftover.path}, the ${what}`);
  }
  return actions;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
