import { CATALOG, CatalogRow } from "../../components/catalog";
import { Part, rowFiles } from "../../components/placement";

/** What a file of the PKI holds. */
export type FileKind = "certificate" | "private-key" | "public-key" | "kubeconfig";

/** One file a catalog row puts on a node. */
export interface CatalogFile {
  /** Absolute path on a node. */
  readonly path: string;
  readonly kind: FileKind;
  readonly row: CatalogRow;
}

const KIND_OF_PART: Readonly<Record<Part, FileKind>> = {
  cert: "certificate",
  key: "private-key",
  "public-key": "public-key",
  kubeconfig: "kubeconfig",
};

/** Every file any catalog row can put on a node, in catalog order. */
export const CATALOG_FILES: readonly CatalogFile[] = CATALOG.flatMap(rowFiles).map(({ path, part, row }) => ({ path, kind: KIND_OF_PART[part], row }));

const BY_PATH = new Map(CATALOG_FILES.map((file) => [file.path, file]));

/** The catalog file at a path on a node, if any row puts one there. */
export function catalogFile(path: string): CatalogFile | undefined {
  return BY_PATH.get(path);
}

/** The path of the other half of a key pair or certificate: `.crt`/`.pub` for a `.key`, and back. */
export function partnerPath(file: CatalogFile): string | undefined {
  if (file.row.kind === "kubeconfig") return undefined;
  const base = file.row.file;
  const publicHalf = file.row.kind === "key-pair" ? `${base}.pub` : `${base}.crt`;
  return file.kind === "private-key" ? publicHalf : `${base}.key`;
}
