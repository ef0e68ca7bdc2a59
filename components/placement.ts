import { CatalogRow } from "./catalog";
import { NodeFile, PUBLIC_MODE, SECRET_MODE } from "./layout";
import { NodeContext, NodeRole } from "./plan";

/** Which part of a row's material a file holds. */
export type Part = "cert" | "key" | "public-key" | "kubeconfig";

/** One file a catalog row can place: where it goes, which part of the row fills it, and who gets it. */
export interface RowFile {
  /** Absolute path on a node. */
  readonly path: string;
  /** `0600` for keys and kubeconfigs, `0644` otherwise. */
  readonly mode: NodeFile["mode"];
  /** The row whose material fills the file. */
  readonly row: CatalogRow;
  /** Which of the row's material. */
  readonly part: Part;
  /** Nodes with any of these roles get the file. */
  readonly holders: readonly NodeRole[];
}

/**
 * Every file a row can place on a node: a CA's certificate (and, where a process signs with it, its
 * key), a key pair's two halves, a leaf's certificate and key, a kubeconfig.
 */
export function rowFiles(row: CatalogRow): RowFile[] {
  switch (row.kind) {
    case "ca":
      return [
        { path: `${row.file}.crt`, mode: PUBLIC_MODE, row, part: "cert", holders: row.certOn },
        { path: `${row.file}.key`, mode: SECRET_MODE, row, part: "key", holders: row.keyOn },
      ];
    case "key-pair":
      return [
        { path: `${row.file}.key`, mode: SECRET_MODE, row, part: "key", holders: row.on },
        { path: `${row.file}.pub`, mode: PUBLIC_MODE, row, part: "public-key", holders: row.on },
      ];
    case "leaf":
      return [
        { path: `${row.file}.crt`, mode: PUBLIC_MODE, row, part: "cert", holders: [row.nodes] },
        { path: `${row.file}.key`, mode: SECRET_MODE, row, part: "key", holders: [row.nodes] },
      ];
    case "kubeconfig":
      return [{ path: row.file, mode: SECRET_MODE, row, part: "kubeconfig", holders: row.nodes === undefined ? [] : [row.nodes] }];
  }
}

/** Every file a node gets from the catalog, decided by its roles alone, in catalog order. */
export function placements(catalog: readonly CatalogRow[], node: NodeContext): RowFile[] {
  return catalog.flatMap(rowFiles).filter((file) => file.holders.some((role) => node.roles.has(role)));
}

/** Every path a row of the catalog can place on some node: what a user's own files must not overwrite. */
export function catalogPaths(catalog: readonly CatalogRow[]): string[] {
  return [...new Set(catalog.flatMap(rowFiles).map((file) => file.path))];
}
