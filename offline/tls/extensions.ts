import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
  AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, Extension, GeneralNames, KeyUsage,
  id_ce_authorityKeyIdentifier, id_ce_basicConstraints, id_ce_extKeyUsage, id_ce_keyUsage,
  id_ce_subjectAltName, id_ce_subjectKeyIdentifier, SubjectKeyIdentifier,
} from "@peculiar/asn1-x509";
import { EXTENDED_USAGE_OIDS } from "../../components/catalog/usages";

/** `allowedUses` strings that set a KeyUsage bit (bit n = value 1 << n, as `@peculiar/asn1-x509` numbers them). */
export const KEY_USAGES: Readonly<Record<string, number>> = {
  digital_signature: 1 << 0, content_commitment: 1 << 1, key_encipherment: 1 << 2, data_encipherment: 1 << 3,
  key_agreement: 1 << 4, cert_signing: 1 << 5, crl_signing: 1 << 6, encipher_only: 1 << 7, decipher_only: 1 << 8,
};

/** `allowedUses` strings that add an ExtendedKeyUsage OID. */
export const EXT_KEY_USAGES: Readonly<Record<string, string>> = {
  any_extended: "2.5.29.37.0",
  ...EXTENDED_USAGE_OIDS,
  code_signing: "1.3.6.1.5.5.7.3.3",
  email_protection: "1.3.6.1.5.5.7.3.4",
  ipsec_end_system: "1.3.6.1.5.5.7.3.5",
  ipsec_tunnel: "1.3.6.1.5.5.7.3.6",
  ipsec_user: "1.3.6.1.5.5.7.3.7",
  timestamping: "1.3.6.1.5.5.7.3.8",
  ocsp_signing: "1.3.6.1.5.5.7.3.9",
  microsoft_server_gated_crypto: "1.3.6.1.4.1.311.10.3.3",
  netscape_server_gated_crypto: "2.16.840.1.113730.4.1",
  microsoft_commercial_code_signing: "1.3.6.1.4.1.311.2.1.22",
  microsoft_kernel_code_signing: "1.3.6.1.4.1.311.61.1.1",
};

/** Every accepted `allowedUses` string, sorted, as the provider lists them in its validation message. */
export const ALLOWED_USES: readonly string[] = [...Object.keys(KEY_USAGES), ...Object.keys(EXT_KEY_USAGES)].sort();

/** KeyUsage bits OR'ed together and EKU OIDs in list order (duplicates kept). Nothing is implied. */
export function usagesOf(allowedUses: readonly string[]): { keyUsage: number; extKeyUsages: string[] } {
  return {
    keyUsage: allowedUses.reduce((bits, u) => bits | (KEY_USAGES[u] ?? 0), 0),
    extKeyUsages: allowedUses.flatMap((u) => (EXT_KEY_USAGES[u] === undefined ? [] : [EXT_KEY_USAGES[u]])),
  };
}

/** What goes into a certificate's extensions, already decided. */
export interface ExtensionPlan {
  readonly keyUsage: number;
  readonly extKeyUsages: readonly string[];
  readonly isCa: boolean;
  /** pathLenConstraint; only values ≥ 1 are emitted (Go drops 0 without MaxPathLenZero). */
  readonly maxPathLen: number;
  readonly subjectKeyId?: Uint8Array;
  readonly authorityKeyId?: Uint8Array;
  readonly sans?: GeneralNames;
  /** SAN criticality: true when the subject encodes as an empty Name. */
  readonly subjectEmpty: boolean;
}

function ext(extnID: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

/**
 * Go's `buildCertExtensions` order and criticality: keyUsage (critical, if any bit), extKeyUsage,
 * basicConstraints (critical, always), subjectKeyIdentifier, authorityKeyIdentifier,
 * subjectAltName (critical iff the subject is empty).
 */
export function certificateExtensions(p: ExtensionPlan): Extension[] {
  const out: Extension[] = [];
  if (p.keyUsage !== 0) {
    out.push(ext(id_ce_keyUsage, true, new KeyUsage(p.keyUsage)));
  }
  if (p.extKeyUsages.length > 0) {
    out.push(ext(id_ce_extKeyUsage, false, new ExtendedKeyUsage([...p.extKeyUsages])));
  }
  const basic = p.isCa
    ? new BasicConstraints({ cA: true, ...(p.maxPathLen > 0 ? { pathLenConstraint: p.maxPathLen } : {}) })
    : new BasicConstraints({});
  out.push(ext(id_ce_basicConstraints, true, basic));
  if (p.subjectKeyId !== undefined) {
    out.push(ext(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(p.subjectKeyId)));
  }
  if (p.authorityKeyId !== undefined) {
    out.push(ext(id_ce_authorityKeyIdentifier, false,
      new AuthorityKeyIdentifier({ keyIdentifier: new OctetString(p.authorityKeyId) })));
  }
  if (p.sans !== undefined) {
    out.push(ext(id_ce_subjectAltName, p.subjectEmpty, p.sans));
  }
  return out;
}

/** The SAN extension of a CSR's extensionRequest: non-critical, nothing else requested. */
export function csrSanExtension(sans: GeneralNames): Extension {
  return ext(id_ce_subjectAltName, false, sans);
}
