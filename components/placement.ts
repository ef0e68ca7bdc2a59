import { CatalogRow } from "./catalog";
import { NodeFile, PUBLIC_MODE, SECRET_MODE } from "./layout";
import { NodeContext, NodeRole } from "./plan";

/** Which part of a row's material a file holds. */
export type Part = "cert" | "key" | "public-key" | "kubeconfig";

/** One file a node gets: where it goes and which row's material fills it. */
export interface Placement {
  readonly path: string;
  readonly mode: NodeFile["mode"];
  readonly row: CatalogRow;
  readonly part: Part;
}

const hasAny = (node: NodeContext, roles: readonly NodeRole[]): boolean => roles.some((role) => node.roles.has(role));

/**
 * Every file a node gets from the catalog, decided by its roles alone: CA certificates (and the
 * cluster CA key on control-plane nodes), key pairs, its own leaves and kubeconfigs.
 */
export function placements(catalog: readonly CatalogRow[], node: NodeContext): Placement[] {
  return catalog.flatMap((row): Placement[] => {
    switch (row.kind) {
      case "ca":
        return [
          ...(hasAny(node, row.certOn) ? [{ path: `${row.file}.crt`, mode: PUBLIC_MODE, row, part: "cert" } as const] : []),
          ...(hasAny(node, row.keyOn) ? [{ path: `${row.file}.key`, mode: SECRET_MODE, row, part: "key" } as const] : []),
        ];
      case "key-pair":
        if (!hasAny(node, row.on)) return [];
        return [
          { path: `${row.file}.key`, mode: SECRET_MODE, row, part: "key" },
          { path: `${row.file}.pub`, mode: PUBLIC_MODE, row, part: "public-key" },
        ];
      case "leaf":
        if (!node.roles.has(row.nodes)) return [];
        return [
          { path: `${row.file}.crt`, mode: PUBLIC_MODE, row, part: "cert" },
          { path: `${row.file}.key`, mode: SECRET_MODE, row, part: "key" },
        ];
      case "kubeconfig":
        if (row.nodes === undefined || !node.roles.has(row.nodes)) return [];
        return [{ path: row.file, mode: SECRET_MODE, row, part: "kubeconfig" }];
    }
  });
}
