import { createHash, X509Certificate } from "node:crypto";
import { pemBlocks } from "../pem";

/**
 * `--discovery-token-ca-cert-hash` of a CA certificate: `sha256:` and the hex SHA-256 of its
 * SubjectPublicKeyInfo (DER), as kubeadm's `pubkeypin.Hash`. Uses the first certificate of a bundle.
 */
export function discoveryTokenCaCertHash(caCertPem: string): string {
  const spki = new X509Certificate(caCertPem).publicKey.export({ type: "spki", format: "der" });
  return `sha256:${createHash("sha256").update(spki).digest("hex")}`;
}

/**
 * One hash per certificate of a CA bundle, in bundle order: what `kubeadm token create
 * --print-join-command` prints, one `--discovery-token-ca-cert-hash` each. A joining node accepts
 * `cluster-info` when any certificate there matches any hash it was given.
 */
export function discoveryTokenCaCertHashes(caBundlePem: string): string[] {
  return pemBlocks(caBundlePem).map(discoveryTokenCaCertHash);
}
