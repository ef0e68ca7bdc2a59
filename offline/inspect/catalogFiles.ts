import { CATALOG } from "../../components/catalog";
import { RowFile, rowFiles } from "../../components/placement";

/** Every file any catalog row can put on a node, in catalog order. */
export const CATALOG_FILES: readonly RowFile[] = CATALOG.flatMap(rowFiles);

const BY_PATH = new Map(CATALOG_FILES.map((file) => [file.path, file]));

/** The catalog file at a path on a node, if any row puts one there. */
export function catalogFile(path: string): RowFile | undefined {
  return BY_PATH.get(path);
}
