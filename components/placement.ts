import { CaSpec, CatalogRow } from "./catalog";
import { NodeFile, PUBLIC_MODE, SECRET_MODE } from "./layout";
import { NodeContext, NodeRole } from "./plan";

/** What a file of a row holds. */
export type FileRole = "certificate" | "private-key" | "public-key" | "kubeconfig";

/** One file a catalog row can place: where it goes, which of the row's material fills it, and who gets it. */
export interface RowFile {
  /** Absolute path on a node. */
  readonly path: string;
  /** `0600` for keys and kubeconfigs, `0644` otherwise. */
  readonly mode: NodeFile["mode"];
  /** The row whose material fills the file. */
  readonly row: CatalogRow;
  /** Which of the row's material. */
  readonly role: FileRole;
  /** Nodes with any of these roles get the file. */
  readonly holders: readonly NodeRole[];
}

const certificate = (stem: string, row: CatalogRow, holders: readonly NodeRole[]): RowFile =>
  ({ path: `${stem}.crt`, mode: PUBLIC_MODE, row, role: "certificate", holders });
const privateKey = (stem: string, row: CatalogRow, holders: readonly NodeRole[]): RowFile =>
  ({ path: `${stem}.key`, mode: SECRET_MODE, row, role: "private-key", holders });

/**
 * Every file a row can place on a node: a CA's certificate (and, where a process signs with it, its
 * key), a key pair's two halves, a leaf's certificate and key, a kubeconfig. The one place a row's
 * `fileStem` becomes paths (`.crt`, `.key`, `.pub`).
 */
export function rowFiles(row: CatalogRow): RowFile[] {
  switch (row.kind) {
    case "ca":
      return [certificate(row.fileStem, row, row.certOn), privateKey(row.fileStem, row, row.keyOn)];
    case "key-pair":
      return [
        privateKey(row.fileStem, row, row.on),
        { path: `${row.fileStem}.pub`, mode: PUBLIC_MODE, row, role: "public-key", holders: row.on },
      ];
    case "leaf":
      return [certificate(row.fileStem, row, [row.nodes]), privateKey(row.fileStem, row, [row.nodes])];
    case "kubeconfig":
      return [{ path: row.path, mode: SECRET_MODE, row, role: "kubeconfig", holders: row.nodes === undefined ? [] : [row.nodes] }];
  }
}

/** The path of a row's file of one role, e.g. `rowPath(etcdServer, "private-key")` = `/etc/kubernetes/pki/etcd/server.key`. */
export function rowPath(row: CatalogRow, role: FileRole): string {
  const file = rowFiles(row).find((f) => f.role === role);
  if (file === undefined) throw new Error(`${row.kind} ${row.id} has no ${role} file`);
  return file.path;
}

/**
 * The path of the file that holds the other half of a key: the private key for a certificate or a
 * public key, the certificate (or, for a key pair, the public key) for a private key; none for a kubeconfig.
 */
export function partnerPath(file: RowFile): string | undefined {
  return rowFiles(file.row).find((other) => other.role !== file.role && (file.role === "private-key" || other.role === "private-key"))?.path;
}

/**
 * Path of a CA's issuing certificate alone, beside its key: kube-controller-manager's
 * `--cluster-signing-cert-file`, which cannot be a bundle (docs/kubeadm-spec.md §7.4), while the CA's
 * certificate file holds both CAs during a staged rotation.
 */
export const signingCertPath = (ca: CaSpec): string => `${ca.fileStem}-signing.crt`;

/** Every file a node gets from the catalog, decided by its roles alone, in catalog order. */
export function placements(catalog: readonly CatalogRow[], node: NodeContext): RowFile[] {
  return catalog.flatMap(rowFiles).filter((file) => file.holders.some((role) => node.roles.has(role)));
}

/** Every path a row of the catalog can place on some node: what a user's own files must not overwrite. */
export function catalogPaths(catalog: readonly CatalogRow[]): string[] {
  return [...new Set(catalog.flatMap(rowFiles).map((file) => file.path))];
}
