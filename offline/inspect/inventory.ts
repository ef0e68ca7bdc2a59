import { X509Certificate } from "node:crypto";
import { CATALOG, CaId, CatalogRow } from "../../components/catalog";
import { rowPath } from "../../components/placement";
import { parseKubeconfig } from "./kubeconfigDocument";

/** A certificate found in a node's files, matched to its catalog row. */
export interface CertificateEntry {
  /** The row id: kubeadm's name (`apiserver`, `admin.conf`, `etcd-ca`, …). */
  readonly name: string;
  readonly kind: CatalogRow["kind"];
  /** Node the file belongs to; absent for the operator's kubeconfigs. */
  readonly node?: string;
  /** Path of the file that holds it (a kubeconfig for client certificates of kubeconfigs). */
  readonly path: string;
  /** CA that should have issued it; for a CA row, the CA itself. */
  readonly ca: CaId;
  readonly certificate: X509Certificate;
}

/** The client certificate PEM embedded in a kubeconfig (its current user's). */
export function kubeconfigClientCertificate(kubeconfig: string): string {
  const pem = parseKubeconfig(kubeconfig).clientCertificatePem;
  if (pem === undefined) throw new Error("the kubeconfig embeds no client certificate for its current context");
  return pem;
}

/**
 * Every certificate of the catalog that a node's files hold (path → content), in catalog order.
 * Rows whose file is absent are skipped: the node does not get them.
 */
export function certificatesOf(files: ReadonlyMap<string, string>, node?: string): CertificateEntry[] {
  const entries: CertificateEntry[] = [];
  for (const row of CATALOG) {
    if (row.kind === "key-pair") continue;
    const path = rowPath(row, row.kind === "kubeconfig" ? "kubeconfig" : "certificate");
    const content = files.get(path);
    if (content === undefined) continue;
    const pem = row.kind === "kubeconfig" ? kubeconfigClientCertificate(content) : content;
    const ca = row.kind === "ca" ? row.id : row.ca;
    entries.push({ name: row.id, kind: row.kind, node, path, ca, certificate: new X509Certificate(pem) });
  }
  return entries;
}
