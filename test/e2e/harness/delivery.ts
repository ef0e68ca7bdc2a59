import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { TreeChange } from "./pkiSource";

/**
 * Puts an update's files in place in a rendered tree, as a provisioning tool writes them onto the
 * nodes: each changed file is written beside its target and renamed over it (a process that re-reads
 * its certificate never sees half a file), with the file's mode; files the update no longer has are
 * removed. Files the update did not change are left alone, whatever a scenario did to them.
 */
export function deliver(treeDir: string, change: TreeChange): void {
  for (const file of change.changed) {
    const target = join(treeDir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    const staging = `${target}.delivering`;
    writeFileSync(staging, file.content, { mode: Number.parseInt(file.mode, 8) });
    chmodSync(staging, Number.parseInt(file.mode, 8));
    renameSync(staging, target);
  }
  for (const path of change.removed) rmSync(join(treeDir, path), { force: true });
}
