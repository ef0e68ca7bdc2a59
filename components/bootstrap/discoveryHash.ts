import { createHash, X509Certificate } from "node:crypto";

/**
 * `--discovery-token-ca-cert-hash` of a CA certificate: `sha256:` and the hex SHA-256 of its
 * SubjectPublicKeyInfo (DER), as kubeadm's `pubkeypin.Hash`. Uses the first certificate of a bundle.
 */
export function discoveryTokenCaCertHash(caCertPem: string): string {
  const spki = new X509Certificate(caCertPem).publicKey.export({ type: "spki", format: "der" });
  return `sha256:${createHash("sha256").update(spki).digest("hex")}`;
}
