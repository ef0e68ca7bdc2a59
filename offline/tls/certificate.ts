import { KeyObject } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate, Extensions, Name, TBSCertificate, Validity, Version } from "@peculiar/asn1-x509";
import { toArrayBuffer } from "./bytes";
import { certificateExtensions, usagesOf } from "./extensions";
import { randomSerial, serialToDerContent } from "./ids";
import { spkiDer } from "./keys";
import { encodePem } from "./pem";
import { generalNamesOf, hasSans, Sans } from "./sans";
import { signatureSchemeFor, signDer, spkiOf, subjectKeyId } from "./signing";
import { isZeroPkixName, nameFromPkix, PkixName } from "./subject";
import { addHours, formatRfc3339, truncateToSeconds } from "./time";

/** What the provider puts into the x509 template before `createCertificate`. */
export interface CertificateTemplate {
  readonly subject: PkixName;
  readonly sans: Sans;
  readonly allowedUses: readonly string[];
  readonly validityPeriodHours: number;
  readonly isCaCertificate: boolean;
  readonly maxPathLength?: number;
  readonly setSubjectKeyId: boolean;
  /** SelfSignedCert only: AKID = the certificate's own SKID. */
  readonly setAuthorityKeyId: boolean;
}

/** The issuing CA of a locally signed certificate, as read from its certificate. */
export interface ParentCertificate {
  /** The CA certificate's subject, re-encoded from its DER (used verbatim as the issuer). */
  readonly subject: Name;
  readonly publicKeySpki: Buffer;
  readonly subjectKeyId?: Buffer;
}

/** A freshly issued certificate and the state values derived from it. */
export interface IssuedCertificate {
  readonly der: Buffer;
  readonly pem: string;
  readonly serial: bigint;
  readonly validityStartTime: string;
  readonly validityEndTime: string;
}

/** An error in the provider's `<summary>: <detail>` form. */
function providerError(summary: string, detail: string): Error {
  return new Error(`${summary}: ${detail}`);
}

/**
 * The provider's `createCertificate` followed by Go's `x509.CreateCertificate`, in their order
 * of checks. `parent` is `undefined` for a self-signed certificate (issuer = subject, no key
 * match check). Throws the provider's error texts.
 */
export function createCertificate(
  t: CertificateTemplate, subjectKey: KeyObject, signer: KeyObject, parent: ParentCertificate | undefined, now: Date,
): IssuedCertificate {
  const notAfter = addHours(now, t.validityPeriodHours);
  const serial = randomSerial();
  const { keyUsage, extKeyUsages } = usagesOf(t.allowedUses);
  let skid: Buffer | undefined;
  if (t.isCaCertificate) {
    if (isZeroPkixName(t.subject)) {
      throw providerError("Invalid Certificate Subject",
        "Must contain at least one Distinguished Name when creating Certificate Authority (CA)");
    }
    skid = subjectKeyId(subjectKey);
  }
  const maxPathLen = t.maxPathLength !== undefined && t.maxPathLength >= 0 ? t.maxPathLength : 0;
  if (t.setSubjectKeyId) {
    skid = subjectKeyId(subjectKey);
  }
  let akid: Buffer | undefined;
  if (t.setAuthorityKeyId) {
    if (skid === undefined) {
      throw providerError("Invalid Certificate Authority", "Could not determine Authority Key Identifier");
    }
    akid = skid;
  }
  const failed = (detail: string): Error => providerError("Failed to create certificate", detail);
  if (!t.isCaCertificate && maxPathLen !== 0) {
    throw failed("x509: only CAs are allowed to specify MaxPathLen");
  }
  const subject = nameFromPkix(t.subject);
  const subjectDer = Buffer.from(AsnConvert.serialize(subject));
  const issuer = parent?.subject ?? subject;
  const issuerDer = Buffer.from(AsnConvert.serialize(issuer));
  if (parent?.subjectKeyId !== undefined && !issuerDer.equals(subjectDer)) {
    akid = parent.subjectKeyId;
  }
  if (parent !== undefined && !spkiDer(signer).equals(parent.publicKeySpki)) {
    throw failed("x509: provided PrivateKey doesn't match parent's PublicKey");
  }
  let sans;
  try {
    sans = hasSans(t.sans) ? generalNamesOf(t.sans) : undefined;
  } catch (e) {
    throw failed((e as Error).message);
  }
  const extensions = certificateExtensions({
    keyUsage, extKeyUsages, isCa: t.isCaCertificate, maxPathLen, subjectKeyId: skid, authorityKeyId: akid, sans,
    subjectEmpty: subject.length === 0,
  });
  const scheme = signatureSchemeFor(signer);
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: toArrayBuffer(serialToDerContent(serial)),
    signature: scheme.algorithm,
    issuer,
    validity: new Validity({ notBefore: truncateToSeconds(now), notAfter: truncateToSeconds(notAfter) }),
    subject,
    subjectPublicKeyInfo: spkiOf(subjectKey),
    extensions: new Extensions(extensions),
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const cert = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: scheme.algorithm,
    signatureValue: toArrayBuffer(signDer(tbsDer, signer)),
  });
  const der = Buffer.from(AsnConvert.serialize(cert));
  return {
    der, pem: encodePem("CERTIFICATE", der), serial,
    validityStartTime: formatRfc3339(now), validityEndTime: formatRfc3339(notAfter),
  };
}
