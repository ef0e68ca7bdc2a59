import type * as tls from "@pulumi/tls";
import { EncryptionAlgorithm } from "./types";

/** Every supported `encryptionAlgorithm`, as kubeadm v1beta4 (v1.34+) accepts them. */
export const ENCRYPTION_ALGORITHMS: readonly EncryptionAlgorithm[] = [
  "RSA-2048",
  "RSA-3072",
  "RSA-4096",
  "ECDSA-P256",
  "ECDSA-P384",
];

/** kubeadm's default key algorithm. */
export const DEFAULT_ENCRYPTION_ALGORITHM: EncryptionAlgorithm = "RSA-2048";

const KEY_ARGS: Readonly<Record<EncryptionAlgorithm, tls.PrivateKeyArgs>> = {
  "RSA-2048": { algorithm: "RSA", rsaBits: 2048 },
  "RSA-3072": { algorithm: "RSA", rsaBits: 3072 },
  "RSA-4096": { algorithm: "RSA", rsaBits: 4096 },
  // The tls provider's default curve is P224, which TLS stacks reject: always name the curve.
  "ECDSA-P256": { algorithm: "ECDSA", ecdsaCurve: "P256" },
  "ECDSA-P384": { algorithm: "ECDSA", ecdsaCurve: "P384" },
};

/** `tls.PrivateKey` arguments for a kubeadm encryption algorithm. */
export function privateKeyArgs(algorithm: EncryptionAlgorithm): tls.PrivateKeyArgs {
  return KEY_ARGS[algorithm];
}

/** True when `value` names a supported encryption algorithm. */
export function isEncryptionAlgorithm(value: unknown): value is EncryptionAlgorithm {
  return typeof value === "string" && (ENCRYPTION_ALGORITHMS as readonly string[]).includes(value);
}
