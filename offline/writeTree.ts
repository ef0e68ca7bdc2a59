import { randomBytes } from "node:crypto";
import { chmodSync, lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, Stats, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";
import { cleanUpLeftovers, leftoverName } from "./leftovers";
import { notRenderedTreeReason } from "./renderedTree";

/** One file of a rendered tree. */
export interface TreeFile {
  /** Path relative to the tree's root. */
  readonly path: string;
  /** Text, or bytes for binary files. */
  readonly content: string | Buffer;
  /** `0600` for keys, kubeconfigs and user-data (whatever the umask), `0644` for public files (less what the umask takes). */
  readonly mode: string;
  /** The node the file is for (or the operator), when it is one node's. */
  readonly node?: string;
  /** Where the file goes on that node, when it is one of the node's PKI files. */
  readonly nodePath?: string;
  /** What a file that is not a catalog row's holds. */
  readonly kind?: ExtraFileKind;
}

/** Files of a tree besides the catalog's: user-data, the bootstrap objects, token files, the encryption configuration. */
export type ExtraFileKind = "user-data" | "bootstrap-object" | "bootstrap-kubeconfig" | "discovery-hash" | "encryption-config";

/** An `--out` that cannot be written: named, with the reason, before any key exists. */
export class OutputError extends Error {}

/** A tree being written: the target and the sibling staging directory that becomes it. */
export interface Staging {
  /** The tree's path (`--out`, made absolute). */
  readonly target: string;
  /** `.<out>.partial-<pid>-<random>` beside it. */
  readonly path: string;
  /** Whether a tree this command rendered may be replaced. */
  readonly force: boolean;
}

/**
 * Checks `--out` and creates the staging directory beside it, before any key is generated. Refused:
 * an empty path, the current directory or one above it, a symbolic link (the renderer writes and
 * replaces real directories only; give the link's target instead), anything but a directory, a
 * non-empty directory without `force`, and with `force` anything but a tree this command rendered
 * (see `renderedTree.ts`); a parent that is not a directory or cannot be written. Leftovers of
 * killed renders of the same target are cleaned up first, each reported through `say`.
 */
export function prepareOutput(out: string, force: boolean, say: (line: string) => void): Staging {
  if (out.trim() === "") throw new OutputError(`--out ${JSON.stringify(out)}: give the directory to write, e.g. out/dev`);
  const target = resolve(out);
  const cwd = process.cwd();
  if (target === cwd || cwd.startsWith(target.endsWith(sep) ? target : target + sep) || dirname(target) === target) {
    throw new OutputError(`--out ${JSON.stringify(out)} is ${target}, the current directory or one above it; name a new directory, e.g. out/dev`);
  }
  const parent = dirname(target);
  const ancestor = nearestExisting(parent);
  if (!ancestor.stat.isDirectory()) {
    throw new OutputError(`--out ${JSON.stringify(out)}: ${ancestor.path} is not a directory, so nothing can be written under it`);
  }
  if (ancestor.path === parent) cleanUpLeftovers(parent, basename(target)).forEach(say);
  assertReplaceable(out, target, force);
  try {
    mkdirSync(parent, { recursive: true, mode: 0o755 });
    const path = join(parent, leftoverName(basename(target), "partial", randomBytes(4).toString("hex")));
    mkdirSync(path, { mode: 0o755 });
    return { target, path, force };
  } catch (error) {
    throw new OutputError(`--out ${JSON.stringify(out)}: cannot write in ${parent}: ${(error as Error).message}`);
  }
}

/**
 * Writes every file into the staging directory; directories 0755 and public files 0644 less the
 * umask, secret files exactly 0600. Synchronously: a tree is many small files, each written faster
 * than a round trip through the thread pool (a stop signal is handled right after).
 */
export function writeStaged(staging: Staging, files: readonly TreeFile[]): void {
  const made = new Set<string>();
  for (const file of files) {
    const path = join(staging.path, file.path);
    const mode = Number.parseInt(file.mode, 8);
    const directory = dirname(path);
    if (!made.has(directory)) {
      mkdirSync(directory, { recursive: true, mode: 0o755 });
      made.add(directory);
    }
    writeFileSync(path, file.content, { mode, flag: "wx" });
    if ((mode & 0o077) === 0) chmodSync(path, mode);
  }
}

/**
 * Puts the staged tree in place. An existing target (checked again: it may have changed while the
 * keys were made) is renamed aside, the staged tree renamed in, then the old one removed: killed
 * between the renames, the next render puts the old tree back (see `leftovers.ts`).
 */
export function commit(staging: Staging): void {
  assertReplaceable(staging.target, staging.target, staging.force);
  const parent = dirname(staging.target);
  if (lstatOrUndefined(staging.target) === undefined) {
    renameSync(staging.path, staging.target);
    return;
  }
  const aside = join(parent, leftoverName(basename(staging.target), "previous", randomBytes(4).toString("hex")));
  renameSync(staging.target, aside);
  renameSync(staging.path, staging.target);
  rmSync(aside, { recursive: true, force: true });
}

/** Removes the staging directory and every key in it. */
export function discard(staging: Staging): void {
  rmSync(staging.path, { recursive: true, force: true });
}

function assertReplaceable(out: string, target: string, force: boolean): void {
  const stat = lstatOrUndefined(target);
  if (stat === undefined) return;
  const name = JSON.stringify(out);
  if (stat.isSymbolicLink()) {
    throw new OutputError(
      `--out ${name} is a symbolic link to ${JSON.stringify(readlinkSync(target))}; the renderer does not write through or replace links: ` +
        `give the directory itself as --out`,
    );
  }
  if (!stat.isDirectory()) throw new OutputError(`--out ${name} is a file, not a directory; choose another --out`);
  if (readdirSync(target).length === 0) return;
  if (!force) throw new OutputError(`--out ${name} is not empty; pass --force to replace a tree this command rendered there`);
  const reason = notRenderedTreeReason(target);
  if (reason !== undefined) {
    throw new OutputError(
      `--out ${name} is not a tree this command rendered: ${reason}. --force replaces only such a tree ` +
        `(manifest.json, nodes/, admin/, cloud-init/, manifests/, bootstrap/); move the directory away yourself or choose another --out`,
    );
  }
}

function nearestExisting(path: string): { path: string; stat: Stats } {
  for (let at = path; ; at = dirname(at)) {
    const stat = lstatOrUndefined(at);
    if (stat !== undefined) return { path: at, stat: stat.isSymbolicLink() ? statSync(at) : stat };
    if (dirname(at) === at) throw new OutputError(`${path}: no part of it exists`);
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** {@link prepareOutput}, {@link writeStaged} and {@link commit} in one: writes `files` as the tree `out`. */
export async function writeTree(out: string, files: readonly TreeFile[], force: boolean, say: (line: string) => void = () => {}): Promise<void> {
  const staging = prepareOutput(out, force, say);
  try {
    writeStaged(staging, files);
    commit(staging);
  } catch (error) {
    discard(staging);
    throw error;
  }
}
