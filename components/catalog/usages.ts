import { ExtendedUsage, IssuedSpec } from "./types";

/** Key usages of every CA, as kubeadm's `NewSelfSignedCACert` (the tls provider implies none). */
export const CA_USAGES = ["cert_signing", "digital_signature", "key_encipherment"] as const;

/** Key usages of every leaf, as kubeadm's `NewSignedCert`, for RSA and ECDSA keys alike. */
export const LEAF_KEY_USAGES = ["digital_signature", "key_encipherment"] as const;

/** Extended key usages of every kubeconfig's client certificate. */
export const KUBECONFIG_USAGES: readonly ExtendedUsage[] = ["client_auth"];

/** The extended key usages a row's certificate carries. */
export function extendedUsagesOf(spec: IssuedSpec): readonly ExtendedUsage[] {
  return spec.kind === "leaf" ? spec.usages : KUBECONFIG_USAGES;
}
