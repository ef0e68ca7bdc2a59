import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { CATALOG } from "../../../components";
import { rowPath } from "../../../components/placement";
import { NodeFiles } from "./flags";
import { issuerCommonName, resignWith, selfSignedCa } from "./openssl";

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
