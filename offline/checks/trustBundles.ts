import { X509Certificate } from "node:crypto";
import { CA_ROWS, CaId } from "../../components/catalog";
import { clusterCa } from "../../components/catalog/kubernetes";
import { pemBlocks } from "../../components/pem";
import { rowPath, signingCertPath } from "../../components/placement";
import { catalogFile } from "../inspect/catalogFiles";
import { CertificateEntry } from "../inspect/inventory";
import { parseKubeconfig } from "../inspect/kubeconfigDocument";
import { readExtensions } from "../inspect/x509Extensions";
import { InspectedNode, InspectedTree } from "./inspectedTree";


/**
 * Files beside a CA's key that hold its issuing certificate alone while its bundle holds two
 * (kube-controller-manager's `--cluster-signing-cert-file` takes one certificate): `ca-signing.crt`.
 */
export const SIGNING_CERT_FILES: readonly { readonly path: string; readonly keyPath: string; readonly bundlePath: string }[] = CA_ROWS.filter(
  (row) => row.keyOn.length > 0,
).map((row) => ({ path: signingCertPath(row), keyPath: rowPath(row, "private-key"), bundlePath: rowPath(row, "certificate") }));

/** One trust bundle a consumer holds: a CA file, or a kubeconfig's `certificate-authority-data`. */
export interface TrustBundle {
  /** The CA whose certificates it should hold. */
  readonly ca: CaId;
  /** Node (or operator) holding it. */
  readonly node: string;
  /** How problems name it: the file's label. */
  readonly file: string;
  /** True for a kubeconfig's `certificate-authority-data`. */
  readonly inKubeconfig: boolean;
  /** Its certificates, in order (unreadable blocks left out: the read and kubeconfig checks report them). */
  readonly certificates: readonly X509Certificate[];
}

function certificatesIn(pem: string): X509Certificate[] {
  return pemBlocks(pem).flatMap((block) => {
    try {
      return [new X509Certificate(block)];
    } catch {
      return [];
    }
  });
}

/** The bundles of one node: each CA file it holds, and, for the cluster CA, each kubeconfig's CA data. */
export function nodeBundles(node: InspectedNode): TrustBundle[] {
  const bundles: TrustBundle[] = [];
  for (const row of CA_ROWS) {
    const file = node.files.get(rowPath(row, "certificate"));
    if (file !== undefined) bundles.push({ ca: row.id, node: node.name, file: file.label, inKubeconfig: false, certificates: certificatesIn(file.content) });
  }
  for (const file of node.files.values()) {
    if (catalogFile(file.path)?.role !== "kubeconfig") continue;
    let caPem: string | undefined;
    try {
      caPem = parseKubeconfig(file.content).caPem;
    } catch {
      continue; // not YAML: reported when the tree was read
    }
    if (caPem !== undefined) bundles.push({ ca: clusterCa.id, node: node.name, file: file.label, inKubeconfig: true, certificates: certificatesIn(caPem) });
  }
  return bundles;
}

/** Every bundle of one CA that any consumer in the tree holds. */
export function bundlesOf(tree: InspectedTree, ca: CaId): TrustBundle[] {
  return tree.nodes.flatMap(nodeBundles).filter((bundle) => bundle.ca === ca);
}

/** The distinct CA certificates of some bundles, by fingerprint, in the order first seen. */
export function distinctCas(bundles: readonly TrustBundle[]): X509Certificate[] {
  const byFingerprint = new Map<string, X509Certificate>();
  for (const bundle of bundles) for (const cert of bundle.certificates) if (!byFingerprint.has(cert.fingerprint256)) byFingerprint.set(cert.fingerprint256, cert);
  return [...byFingerprint.values()];
}

/**
 * Whether `ca` issued `leaf` as the chain check demands: the signature verifies with its key, the
 * issuer is its subject, and the leaf's authority key identifier is present and (when the CA has
 * one) its subject key identifier.
 */
export function issuedBy(leaf: X509Certificate, ca: X509Certificate): boolean {
  if (leaf.issuer !== ca.subject || !leaf.verify(ca.publicKey)) return false;
  const akid = readExtensions(leaf).authorityKeyId;
  const skid = readExtensions(ca).subjectKeyId;
  return akid !== undefined && (skid === undefined || akid === skid);
}

/** The CA among `cas` that issued a leaf, if any. */
export function issuerAmong(entry: CertificateEntry, cas: readonly X509Certificate[]): X509Certificate | undefined {
  return cas.find((ca) => issuedBy(entry.certificate, ca));
}

/** How a message names one CA certificate: its subject, fingerprint prefix and expiry; never its content. */
export function describeCaCertificate(cert: X509Certificate): string {
  return `"${cert.subject.replace(/\n/g, ", ")}" (SHA-256 ${cert.fingerprint256.slice(0, 23)}…, not before ${new Date(cert.validFrom).toISOString()})`;
}
