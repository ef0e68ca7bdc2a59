import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** One file of a rendered tree. */
export interface TreeFile {
  /** Path relative to the tree's root. */
  readonly path: string;
  /** Text, or bytes for binary files. */
  readonly content: string | Buffer;
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

/** Throws unless `dir` is absent or empty, or `force` allows replacing it. */
export function assertWritable(dir: string, force: boolean): void {
  if (existsSync(dir) && readdirSync(dir).length > 0 && !force) {
    throw new Error(`${dir} is not empty; pass --force to replace it`);
  }
}

/**
 * Writes files into `dir` all at once: into a sibling temporary directory first, then renamed into
 * place, so `dir` never holds a half-written tree. Refuses a non-empty `dir` unless `force`.
 */
export function writeTree(dir: string, files: readonly TreeFile[], force: boolean): void {
  assertWritable(dir, force);
  const exists = existsSync(dir);
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, `.${basename(dir)}.partial-`));
  try {
    for (const file of files) {
      const target = join(staging, file.path);
      mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
      writeFileSync(target, file.content, { mode: Number.parseInt(file.mode, 8) });
      chmodSync(target, Number.parseInt(file.mode, 8));
    }
    chmodSync(staging, 0o755);
    if (exists) {
      const previous = mkdtempSync(join(parent, `.${basename(dir)}.previous-`));
      renameSync(dir, join(previous, "tree"));
      renameSync(staging, dir);
      rmSync(previous, { recursive: true, force: true });
    } else {
      renameSync(staging, dir);
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
