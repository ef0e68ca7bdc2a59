import { existsSync, mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import { CATALOG } from "../../../components";
import { runProgram } from "../../../offline/runProgram";
import { readStackConfig } from "../../../offline/stackConfig";
import { treeFiles } from "../../../offline/tree";
import { writeTree } from "../../../offline/writeTree";
import { pulumiCli } from "../../engine/harness/cli";
import { deployTree } from "../../engine/harness/engineTree";
import { NodeFiles } from "./flags";
import { issuerCommonName, resignWith, selfSignedCa } from "./openssl";
import { rowPath } from "../../../components/placement";

/** Where the tree comes from: `E2E_PKI_SOURCE` (`engine` or `offline`), else the engine when its CLI is available. */
const PKI_SOURCE = process.env.E2E_PKI_SOURCE ?? "";

/**
 * Writes the stack's PKI into `treeDir` (which must not exist), with the offline render's layout,
 * and says where it came from. By default from a real `pulumi up` of the stack file (the Pulumi
 * CLI built by test/engine/build/pulumi.sh, the tls emulator as its provider plugin), the path
 * users take; when that CLI cannot be had (no Go, a failed build), from the offline render
 * (`npm run render`, the tls emulator under mocks), saying why. `E2E_PKI_SOURCE=engine|offline`
 * forces one.
 */
export async function renderTree(stackFile: string, treeDir: string): Promise<string> {
  if (!["", "engine", "offline"].includes(PKI_SOURCE)) throw new Error(`E2E_PKI_SOURCE: "${PKI_SOURCE}" is not engine or offline`);
  if (PKI_SOURCE !== "offline") {
    try {
      await pulumiCli();
    } catch (error) {
      if (PKI_SOURCE === "engine") throw error;
      await renderOffline(stackFile, treeDir);
      return `offline render (the Pulumi CLI is unavailable: ${(error as Error).message})`;
    }
    (await deployTree(basename(stackFile), treeDir)).engine.dispose();
    return "pulumi up through the engine";
  }
  await renderOffline(stackFile, treeDir);
  return "offline render (E2E_PKI_SOURCE=offline)";
}

/** Renders the stack in-process, exactly as `npm run render` does. */
async function renderOffline(stackFile: string, treeDir: string): Promise<void> {
  await writeTree(treeDir, treeFiles(await runProgram(readStackConfig(stackFile))), false);
}

/** Leaf ids `E2E_CORRUPT` accepts: every leaf row of the catalog. */
export const CORRUPTIBLE: readonly string[] = CATALOG.filter((row) => row.kind === "leaf").map((row) => row.id);

/**
 * The `E2E_CORRUPT` fault injection: re-signs every node's copy of the named leaves (catalog ids,
 * comma-separated) with an impostor CA that has the real issuer's CN but another key, before
 * anything starts. Returns one line per file changed.
 */
export function corruptLeaves(ids: readonly string[], nodes: readonly NodeFiles[], workDir: string): string[] {
  const unknown = ids.filter((id) => !CORRUPTIBLE.includes(id));
  if (unknown.length > 0) throw new Error(`E2E_CORRUPT: unknown leaf ${unknown.join(", ")}; use one of ${CORRUPTIBLE.join(", ")}`);
  const dir = join(workDir, "impostor-ca");
  mkdirSync(dir, { recursive: true });
  const changed: string[] = [];
  for (const id of ids) {
    const row = CATALOG.find((r) => r.id === id && r.kind === "leaf")!;
    for (const n of nodes) {
      const cert = n.file(rowPath(row, "certificate"));
      if (!existsSync(cert)) continue;
      const ca = selfSignedCa(dir, `${id}-${n.node.name}`, issuerCommonName(cert));
      resignWith(cert, n.file(rowPath(row, "private-key")), ca, dir);
      changed.push(`${n.node.name}:${rowPath(row, "certificate")} re-signed by an impostor "${issuerCommonName(cert)}" CA`);
    }
  }
  return changed;
}
