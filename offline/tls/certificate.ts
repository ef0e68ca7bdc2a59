import { KeyObject } from "node:crypto";
import { bitString, explicit, integer, sequence, time } from "../der/write";
import { certificateExtensions, usagesOf } from "./extensions";
import { randomSerial } from "./ids";
import { spkiDer } from "./keys";
import { encodePem } from "./pem";
import { generalNamesOf, hasSans, Sans } from "./sans";
import { signatureSchemeFor, signDer, subjectKeyId } from "./signing";
import { isZeroPkixName, nameFromPkix, PkixName } from "./subject";
import { addHours, formatRfc3339 } from "./time";

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
  /** The CA certificate's subject `Name` DER, as Go's `RawSubject` (used verbatim as the issuer). */
  readonly subject: Buffer;
  /** The CA certificate's SubjectPublicKeyInfo DER. */
  readonly publicKeySpki: Buffer;
  /** The CA certificate's subject key identifier, when it has a non-empty one. */
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

/** Length of an empty `Name` (`30 00`): a subject with no RDN. */
const EMPTY_NAME_LENGTH = 2;

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
  const subjectDer = nameFromPkix(t.subject);
  const issuerDer = parent?.subject ?? subjectDer;
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
    subjectEmpty: subjectDer.length === EMPTY_NAME_LENGTH,
  });
  const scheme = signatureSchemeFor(signer);
  const tbsDer = sequence([
    explicit(0, integer(2)), // v3
    integer(serial),
    scheme.algorithm,
    issuerDer,
    sequence([time(now), time(notAfter)]), // whole seconds
    subjectDer,
    spkiDer(subjectKey),
    explicit(3, sequence(extensions)),
  ]);
  const der = sequence([tbsDer, scheme.algorithm, bitString(signDer(tbsDer, signer))]);
  return {
    der, pem: encodePem("CERTIFICATE", der), serial,
    validityStartTime: formatRfc3339(now), validityEndTime: formatRfc3339(notAfter),
  };
}
