import { createHash, X509Certificate } from "node:crypto";
import { CA_ROWS, CaId, CaSpec } from "../components/catalog";
import { FileRole, signingCertPath } from "../components/placement";
import { catalogFile } from "./inspect/catalogFiles";
import { oneLineName, readExtensions } from "./inspect/x509Extensions";
import { CertificateEntry } from "./inspect/inventory";
import { RenderedStack } from "./runProgram";
import { OPERATOR, stackCertificates, treeFiles } from "./tree";
import { ExtraFileKind } from "./writeTree";

/** What `manifest.json` says of a certificate (a CA, a leaf, or a kubeconfig's client certificate). */
export interface ManifestCertificate {
  /** Catalog row id (kubeadm's name): `apiserver`, `admin.conf`, `etcd-ca`, … */
  readonly row: string;
  /** The CA that issued it, by catalog id; a CA names itself. */
  readonly issuingCa: CaId;
  /** The subject in certificate order, as Go writes it: `O=…, CN=…`. */
  readonly subject: string;
  readonly issuer: string;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  /** ISO 8601. */
  readonly notBefore: string;
  /** ISO 8601. */
  readonly notAfter: string;
  /** Hex, as openssl prints it. */
  readonly serialNumber: string;
  /** SHA-256 of the DER, `AA:BB:…`. */
  readonly fingerprintSha256: string;
}

/** One file of a rendered tree. */
export interface ManifestFile {
  /** Node name, or `(operator)` for the operator's kubeconfigs under `admin/`. */
  readonly node: string;
  /** Absolute path on the node (the operator's: the path kubeadm gives the file); absent for user-data. */
  readonly path?: string;
  /** Path inside the rendered tree, e.g. `nodes/cp-1/etc/kubernetes/pki/ca.crt`, `admin/admin.conf`. */
  readonly treePath: string;
  /** `0600` or `0644`. */
  readonly mode: string;
  /** SHA-256 of the content, hex. */
  readonly sha256: string;
  /** What the file holds; `user-data` for a node's cloud-init document. */
  readonly kind: FileRole | ExtraFileKind;
  /** Catalog row id of a PKI file. */
  readonly row?: string;
  /** Present for certificates and kubeconfigs. */
  readonly certificate?: ManifestCertificate;
}

/** `manifest.json` of a rendered tree: every file, its digest and what its certificate says. No key material. */
export interface Manifest {
  readonly stack: string;
  /** ISO 8601. */
  readonly generatedAt: string;
  /** Every file, by tree path. */
  readonly files: readonly ManifestFile[];
}

/** A CA's issuing certificate alone (`ca-signing.crt`), which nodes holding its key get while it rotates, by path. */
const SIGNING_CERTS: ReadonlyMap<string, CaSpec> = new Map(CA_ROWS.map((row) => [signingCertPath(row), row]));

/**
 * The manifest of a rendered stack: every file {@link treeFiles} writes, at the same tree path, with
 * the certificate each PKI file holds.
 */
export function buildManifest(
  rendered: RenderedStack, now: Date = new Date(), stackCerts: readonly CertificateEntry[] = stackCertificates(rendered),
): Manifest {
  const certificates = new Map(stackCerts.map((entry) => [`${entry.node ?? OPERATOR}\u0000${entry.path}`, entry]));
  const files = treeFiles(rendered).map((file): ManifestFile => {
    const common = {
      node: file.node ?? "",
      treePath: file.path,
      mode: file.mode,
      sha256: createHash("sha256").update(file.content).digest("hex"),
    };
    if (file.nodePath === undefined) return { ...common, kind: file.kind ?? "user-data" };
    if (file.kind !== undefined) return { ...common, path: file.nodePath, kind: file.kind };
    const signing = SIGNING_CERTS.get(file.nodePath);
    if (signing !== undefined) {
      const entry: CertificateEntry = { name: signing.id, kind: "ca", node: file.node, path: file.nodePath, ca: signing.id, certificate: new X509Certificate(file.content) };
      return { ...common, path: file.nodePath, kind: "certificate", row: signing.id, certificate: describe(entry) };
    }
    const spec = catalogFile(file.nodePath);
    if (spec === undefined) throw new Error(`${file.path}: no catalog row places a file at ${file.nodePath}`);
    const entry = certificates.get(`${file.node}\u0000${file.nodePath}`);
    return { ...common, path: file.nodePath, kind: spec.role, row: spec.row.id, ...(entry && { certificate: describe(entry) }) };
  });
  files.sort((a, b) => a.treePath.localeCompare(b.treePath));
  return { stack: rendered.stack, generatedAt: now.toISOString(), files };
}

function describe(entry: CertificateEntry): ManifestCertificate {
  const cert = entry.certificate;
  const ext = readExtensions(cert);
  return {
    row: entry.name,
    issuingCa: entry.ca,
    subject: oneLineName(cert.subject),
    issuer: oneLineName(cert.issuer),
    dnsNames: ext.dnsNames,
    ipAddresses: ext.ipAddresses,
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    serialNumber: cert.serialNumber,
    fingerprintSha256: cert.fingerprint256,
  };
}
