import { ExtendedUsage, IssuedSpec } from "./types";

/** Key usages of every CA, as kubeadm's `NewSelfSignedCACert` (the tls provider implies none). */
export const CA_USAGES = ["cert_signing", "digital_signature", "key_encipherment"] as const;

/** Key usages of every leaf, as kubeadm's `NewSignedCert`, for RSA and ECDSA keys alike. */
export const LEAF_KEY_USAGES = ["digital_signature", "key_encipherment"] as const;

/** The OID of each extended key usage the catalog grants. */
export const EXTENDED_USAGE_OIDS: Readonly<Record<ExtendedUsage, string>> = {
  server_auth: "1.3.6.1.5.5.7.3.1",
  client_auth: "1.3.6.1.5.5.7.3.2",
};

/** The x509 name of each extended key usage the catalog grants, as openssl and kubeadm print it. */
export const EXTENDED_USAGE_NAMES: Readonly<Record<ExtendedUsage, string>> = { server_auth: "serverAuth", client_auth: "clientAuth" };

/** Extended key usages of every kubeconfig's client certificate. */
export const KUBECONFIG_USAGES: readonly ExtendedUsage[] = ["client_auth"];

/** The extended key usages a row's certificate carries. */
export function extendedUsagesOf(spec: IssuedSpec): readonly ExtendedUsage[] {
  return spec.kind === "leaf" ? spec.usages : KUBECONFIG_USAGES;
}
