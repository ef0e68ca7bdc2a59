import { createPublicKey, KeyObject } from "node:crypto";
import { EXTENSION_OIDS, readExtensions } from "../der/extension";
import { childrenOf, expectTag, readAll, readOid, readOne } from "../der/read";
import { contextTag, TAG } from "../der/tags";
import { bitString, implicit, integer, oid, sequence, setOf } from "../der/write";
import { csrSanExtension } from "./extensions";
import { spkiDer } from "./keys";
import { decodePemOfType, encodePem } from "./pem";
import { generalNamesOf, hasSans, Sans, sansFromGeneralNames } from "./sans";
import { signatureSchemeFor, signDer } from "./signing";
import { nameFromPkix, PkixName, pkixNameFromDer } from "./subject";

/** PKCS#9 extensionRequest attribute type. */
const OID_EXTENSION_REQUEST = "1.2.840.113549.1.9.14";

/** A created CSR. */
export interface CreatedCsr {
  /** The CertificationRequest DER. */
  readonly der: Buffer;
  /** The same, as a `CERTIFICATE REQUEST` PEM block. */
  readonly pem: string;
}

/**
 * Go's `x509.CreateCertificateRequest` as the provider calls it: version 0, the subject, the
 * key's SPKI, and an extensionRequest holding only a non-critical SAN extension when there is
 * any SAN (otherwise an empty attribute set, `A0 00`). Signed with the key's own scheme.
 */
export function createCsr(subject: PkixName, sans: Sans, key: KeyObject): CreatedCsr {
  const attributes = hasSans(sans)
    ? [sequence([oid(OID_EXTENSION_REQUEST), setOf([sequence([csrSanExtension(generalNamesOf(sans))])])])]
    : [];
  const infoDer = sequence([integer(0), nameFromPkix(subject), spkiDer(key), implicit(0, setOf(attributes))]);
  const scheme = signatureSchemeFor(key);
  const der = sequence([infoDer, scheme.algorithm, bitString(signDer(infoDer, key))]);
  return { der, pem: encodePem("CERTIFICATE REQUEST", der) };
}

/** What LocallySignedCert takes from a CSR: subject, public key and SANs. Nothing else. */
export interface ParsedCsr {
  /** The subject, as Go's `pkix.Name` holds it after parsing. */
  readonly subject: PkixName;
  /** The requested public key. */
  readonly publicKey: KeyObject;
  /** The requested SANs (empty lists when there is no SAN extension). */
  readonly sans: Sans;
}

/** The SAN extension value among a CertificationRequestInfo's attributes, if one was requested. */
function requestedSans(attributes: Buffer): Buffer | undefined {
  for (const attribute of readAll(attributes)) {
    const [type, values] = childrenOf(attribute, TAG.SEQUENCE, "attribute");
    if (readOid(type, "attribute type") !== OID_EXTENSION_REQUEST) {
      continue;
    }
    for (const value of childrenOf(values, TAG.SET, "attribute values")) {
      const san = readExtensions(value).find((x) => x.oid === EXTENSION_OIDS.subjectAltName);
      if (san !== undefined) {
        return san.value;
      }
    }
  }
  return undefined;
}

/**
 * The provider's `parseCertificateRequest`: first PEM block of type `CERTIFICATE REQUEST`;
 * the signature is NOT verified; requested extensions other than the SAN are ignored.
 */
export function parseCsrPem(text: string): ParsedCsr {
  const der = decodePemOfType(text, "CERTIFICATE REQUEST");
  try {
    const [info, algorithm, signature] = childrenOf(readOne(der, TAG.SEQUENCE, "certificate request"), TAG.SEQUENCE, "certificate request");
    expectTag(algorithm, TAG.SEQUENCE, "signatureAlgorithm");
    expectTag(signature, TAG.BIT_STRING, "signature");
    const [version, subject, spki, attributes] = childrenOf(info, TAG.SEQUENCE, "certificationRequestInfo");
    expectTag(version, TAG.INTEGER, "version");
    const san = requestedSans(expectTag(attributes, contextTag(0, true), "attributes").contents);
    return {
      subject: pkixNameFromDer(subject),
      publicKey: createPublicKey({ key: expectTag(spki, TAG.SEQUENCE, "subjectPKInfo").encoded, format: "der", type: "spki" }),
      sans: san === undefined ? { dnsNames: [], ipAddresses: [], uris: [] } : sansFromGeneralNames(san),
    };
  } catch (e) {
    throw new Error(`failed to parse certificate request: ${(e as Error).message}`);
  }
}
