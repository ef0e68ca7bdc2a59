import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, Stats } from "node:fs";
import { relative, resolve, sep } from "node:path";

/** Most bytes read of one file: a certificate, key or kubeconfig is a few KiB, a big kubeconfig some tens. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** What reading one file of a tree gave: its text and mode, or why it was not read. */
export type SafeRead = { readonly content: string; readonly mode: number } | { readonly refused: string };

/** What kind of file a stat describes, for messages. */
export function fileType(stat: Stats): string {
  if (stat.isSymbolicLink()) return "a symbolic link";
  if (stat.isDirectory()) return "a directory";
  if (stat.isFIFO()) return "a FIFO";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  if (stat.isSocket()) return "a socket";
  return "a regular file";
}

/**
 * Reads a regular file at `path` inside `root`, never leaving the tree: undefined when absent; a
 * refusal when it is a symbolic link, or reached through one, or not a regular file (a FIFO, a
 * device: never opened), or larger than {@link MAX_FILE_BYTES}, or cannot be read.
 */
export function readInside(root: string, path: string): SafeRead | undefined {
  let stat: Stats;
  try {
    stat = lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ENOTDIR" ? undefined : { refused: `cannot be read (${code ?? "error"})` };
  }
  if (!stat.isFile()) return { refused: `is ${fileType(stat)}, not a regular file; it was not opened` };
  if (!isInside(root, path)) return { refused: "is reached through a symbolic link out of place; it was not opened" };
  if (stat.size > MAX_FILE_BYTES) return { refused: `is ${stat.size} bytes, more than the ${MAX_FILE_BYTES} a PKI file can be; it was not read` };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    return { refused: `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})` };
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile() || opened.ino !== stat.ino) return { refused: "changed while it was read; it was not read" };
    const buffer = Buffer.alloc(MAX_FILE_BYTES + 1);
    let length = 0;
    for (let n = 1; n > 0 && length <= MAX_FILE_BYTES; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > MAX_FILE_BYTES) return { refused: `grew past ${MAX_FILE_BYTES} bytes while it was read; it was not read` };
    return { content: buffer.subarray(0, length).toString("utf8"), mode: opened.mode & 0o777 };
  } catch (error) {
    return { refused: `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})` };
  } finally {
    closeSync(fd);
  }
}

/** True when no directory between `root` and `path` is a symbolic link: the real path is the written one. */
function isInside(root: string, path: string): boolean {
  try {
    const realRoot = realpathSync(root);
    const real = realpathSync(path);
    const rel = relative(resolve(root), resolve(path));
    return real === resolve(realRoot, rel) && !rel.startsWith(`..${sep}`);
  } catch {
    return false;
  }
}
