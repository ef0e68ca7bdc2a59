import { trustDomainOf } from "./catalog";
import { UserDataCompression } from "./cloudInit";
import { BundleEncoding } from "./nodeBundle";
import { RowFile } from "./placement";
import { ClusterPlan } from "./plan";
import { EncryptionAlgorithm } from "./types";

/**
 * Lower bounds of a node's user-data and bundle sizes, known before any key exists, so that
 * `pulumi preview` of a new stack can already refuse a node that cannot fit a size limit. The
 * bounds only count what every such file must hold (keys, public keys, signatures, PEM armour), and
 * for gzip only the random bytes no compressor can shrink, so they never exceed the real size.
 */

/** DER bytes of a public key (SubjectPublicKeyInfo), of a signature at least, and of a private key at least. */
const KEY_BYTES: Readonly<Record<EncryptionAlgorithm, { spki: number; signature: number; privateKey: number }>> = {
  "RSA-2048": { spki: 294, signature: 256, privateKey: 1180 },
  "RSA-3072": { spki: 422, signature: 384, privateKey: 1760 },
  "RSA-4096": { spki: 550, signature: 512, privateKey: 2340 },
  "ECDSA-P256": { spki: 91, signature: 64, privateKey: 121 },
  "ECDSA-P384": { spki: 120, signature: 96, privateKey: 167 },
};

/** Fewest DER bytes of a certificate besides its public key and signature (names, validity, extensions). */
const CERTIFICATE_OVERHEAD = 120;

/** Fewest bytes of a kubeconfig besides its three embedded PEMs. */
const KUBECONFIG_OVERHEAD = 300;

/** Fewest bytes a `write_files` entry or a bundle entry adds besides the content. */
const ENTRY_OVERHEAD = 40;

/**
 * Smallest ratio of a file gzipped and base64-encoded again to its plain size (measured on the
 * sample stack: 0.91–0.92).
 */
const PER_FILE_GZIP_FLOOR = 0.7;

/** Length of a PEM block holding `der` bytes. */
function pemLength(der: number, label: string): number {
  const base64 = 4 * Math.ceil(der / 3);
  return 2 * (label.length + 11) + 2 + base64 + Math.ceil(base64 / 64);
}

const base64Length = (bytes: number): number => 4 * Math.ceil(bytes / 3);


/** The fewest bytes a placed file can hold. */
export function fileFloor(file: RowFile, plan: ClusterPlan): number {
  const key = KEY_BYTES[plan.algorithms[trustDomainOf(file.row)]];
  const certificate = pemLength(key.spki + key.signature + CERTIFICATE_OVERHEAD, "CERTIFICATE");
  const privateKey = pemLength(key.privateKey, "EC PRIVATE KEY");
  switch (file.role) {
    case "certificate":
      return certificate;
    case "private-key":
      return privateKey;
    case "public-key":
      return pemLength(key.spki, "PUBLIC KEY");
    case "kubeconfig":
      // The CA certificate, the client certificate and its key, each base64 again.
      return KUBECONFIG_OVERHEAD + 2 * base64Length(certificate) + base64Length(privateKey);
  }
}

/**
 * The random bytes a file carries that gzip cannot squeeze: its private key's DER and its
 * certificate's signature, each unique. Repeated material (CA certificates, public keys that also sit
 * in a private key) counts for nothing, since gzip may find it again.
 */
function randomFloor(file: RowFile, plan: ClusterPlan): number {
  const key = KEY_BYTES[plan.algorithms[trustDomainOf(file.row)]];
  switch (file.role) {
    case "certificate":
      return file.row.kind === "ca" ? 0 : key.signature;
    case "private-key":
      return key.privateKey;
    case "public-key":
      return 0;
    case "kubeconfig":
      return key.privateKey + key.signature;
  }
}

const plainFloor = (files: readonly RowFile[], plan: ClusterPlan): number =>
  files.reduce((sum, file) => sum + ENTRY_OVERHEAD + fileFloor(file, plan), 0);

const gzipFloor = (files: readonly RowFile[], plan: ClusterPlan): number => files.reduce((sum, file) => sum + randomFloor(file, plan), 0);

/** The fewest bytes a node's user-data can take with a compression. */
export function userDataFloor(files: readonly RowFile[], plan: ClusterPlan, compression: UserDataCompression): number {
  switch (compression) {
    case "none":
      return plainFloor(files, plan);
    case "files":
      return Math.floor(plainFloor(files, plan) * PER_FILE_GZIP_FLOOR);
    case "document":
      return gzipFloor(files, plan);
  }
}

/** The fewest bytes a node's bundle can take with an encoding. */
export function bundleFloor(files: readonly RowFile[], plan: ClusterPlan, encoding: BundleEncoding): number {
  return encoding === "json" ? plainFloor(files, plan) : gzipFloor(files, plan);
}
