import "reflect-metadata";
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import * as x509 from "@peculiar/x509";

/** What the tests read from a certificate, parsed with @peculiar/x509 (not Node's keyUsage, which lists EKUs). */
export interface CertFacts {
  readonly subjectCN: string;
  readonly subjectO: string[];
  readonly issuerCN: string;
  readonly isCa: boolean;
  readonly basicConstraintsCritical: boolean;
  readonly keyUsages: string[];
  readonly keyUsageCritical: boolean;
  readonly extendedKeyUsages: string[];
  readonly dnsNames: string[];
  readonly ipAddresses: string[];
  readonly subjectKeyId?: string;
  readonly authorityKeyId?: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKeyDer: Buffer;
}

const KEY_USAGE_NAMES: [number, string][] = [
  [x509.KeyUsageFlags.digitalSignature, "digitalSignature"],
  [x509.KeyUsageFlags.nonRepudiation, "contentCommitment"],
  [x509.KeyUsageFlags.keyEncipherment, "keyEncipherment"],
  [x509.KeyUsageFlags.dataEncipherment, "dataEncipherment"],
  [x509.KeyUsageFlags.keyAgreement, "keyAgreement"],
  [x509.KeyUsageFlags.keyCertSign, "keyCertSign"],
  [x509.KeyUsageFlags.cRLSign, "cRLSign"],
];

const EKU_NAMES: Record<string, string> = { "1.3.6.1.5.5.7.3.1": "serverAuth", "1.3.6.1.5.5.7.3.2": "clientAuth" };

/** Parses a PEM certificate into the facts the kubeadm table speaks of. */
export function certFacts(pem: string): CertFacts {
  const cert = new x509.X509Certificate(pem);
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const skid = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  const akid = cert.getExtension(x509.AuthorityKeyIdentifierExtension);
  const names = san?.names.toJSON() ?? [];
  return {
    subjectCN: cert.subjectName.getField("CN")[0] ?? "",
    subjectO: cert.subjectName.getField("O"),
    issuerCN: cert.issuerName.getField("CN")[0] ?? "",
    isCa: bc?.ca ?? false,
    basicConstraintsCritical: bc?.critical ?? false,
    keyUsages: KEY_USAGE_NAMES.filter(([flag]) => ku !== null && (ku.usages & flag) !== 0).map(([, name]) => name),
    keyUsageCritical: ku?.critical ?? false,
    extendedKeyUsages: Array.from(eku?.usages ?? []).map((oid) => EKU_NAMES[String(oid)] ?? String(oid)),
    dnsNames: names.filter((n) => n.type === "dns").map((n) => n.value),
    ipAddresses: names.filter((n) => n.type === "ip").map((n) => n.value),
    subjectKeyId: skid?.keyId,
    authorityKeyId: akid?.keyId,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    publicKeyDer: Buffer.from(cert.publicKey.rawData),
  };
}

/** True when the private key PEM is the key of the certificate. */
export function keyMatchesCertificate(keyPem: string, certPem: string): boolean {
  const fromKey = createPublicKey(createPrivateKey(keyPem)).export({ type: "spki", format: "der" });
  const fromCert = new X509Certificate(certPem).publicKey.export({ type: "spki", format: "der" });
  return Buffer.compare(fromKey, fromCert) === 0;
}
