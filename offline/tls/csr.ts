import { createPublicKey, KeyObject } from "node:crypto";
import { AsnArray, AsnConvert, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from "@peculiar/asn1-schema";
import {
  AlgorithmIdentifier, Attribute, Extensions, GeneralNames, id_ce_subjectAltName, Name, SubjectPublicKeyInfo,
} from "@peculiar/asn1-x509";
import { toArrayBuffer } from "./bytes";
import { csrSanExtension } from "./extensions";
import { decodePemOfType, encodePem } from "./pem";
import { generalNamesOf, hasSans, Sans, sansFromGeneralNames } from "./sans";
import { signatureSchemeFor, signDer, spkiOf } from "./signing";
import { nameFromPkix, PkixName, pkixNameFromAsn } from "./subject";

/** PKCS#9 extensionRequest attribute type. */
const OID_EXTENSION_REQUEST = "1.2.840.113549.1.9.14";

/** `Attributes ::= SET OF Attribute` (PKCS#10). */
class CsrAttributes extends AsnArray<Attribute> {
  constructor(items?: Attribute[]) {
    super(items);
    Object.setPrototypeOf(this, CsrAttributes.prototype);
  }
}
AsnType({ type: AsnTypeTypes.Set, itemType: Attribute })(CsrAttributes);

/** PKCS#10 `CertificationRequestInfo` (decorators applied by hand: the project compiles without `experimentalDecorators`). */
class CertificationRequestInfo {
  version = 0;
  subject = new Name();
  subjectPKInfo = new SubjectPublicKeyInfo();
  attributes = new CsrAttributes();
  constructor(params: Partial<CertificationRequestInfo> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: AsnPropTypes.Integer })(CertificationRequestInfo.prototype, "version");
AsnProp({ type: Name })(CertificationRequestInfo.prototype, "subject");
AsnProp({ type: SubjectPublicKeyInfo })(CertificationRequestInfo.prototype, "subjectPKInfo");
AsnProp({ type: CsrAttributes, context: 0, implicit: true })(CertificationRequestInfo.prototype, "attributes");

/** PKCS#10 `CertificationRequest`. */
class CertificationRequest {
  certificationRequestInfo = new CertificationRequestInfo();
  signatureAlgorithm = new AlgorithmIdentifier();
  signature = new ArrayBuffer(0);
  constructor(params: Partial<CertificationRequest> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: CertificationRequestInfo })(CertificationRequest.prototype, "certificationRequestInfo");
AsnProp({ type: AlgorithmIdentifier })(CertificationRequest.prototype, "signatureAlgorithm");
AsnProp({ type: AsnPropTypes.BitString })(CertificationRequest.prototype, "signature");

/** A created CSR. */
export interface CreatedCsr {
  readonly der: Buffer;
  readonly pem: string;
}

/**
 * Go's `x509.CreateCertificateRequest` as the provider calls it: version 0, the subject, the
 * key's SPKI, and an extensionRequest holding only a non-critical SAN extension when there is
 * any SAN (otherwise an empty attribute set, `A0 00`). Signed with the key's own scheme.
 */
export function createCsr(subject: PkixName, sans: Sans, key: KeyObject): CreatedCsr {
  const attributes = hasSans(sans)
    ? [new Attribute({
      type: OID_EXTENSION_REQUEST,
      values: [AsnConvert.serialize(new Extensions([csrSanExtension(generalNamesOf(sans))]))],
    })]
    : [];
  const info = new CertificationRequestInfo({
    subject: nameFromPkix(subject),
    subjectPKInfo: spkiOf(key),
    attributes: new CsrAttributes(attributes),
  });
  const infoDer = Buffer.from(AsnConvert.serialize(info));
  const csr = new CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: signatureSchemeFor(key).algorithm,
    signature: toArrayBuffer(signDer(infoDer, key)),
  });
  const der = Buffer.from(AsnConvert.serialize(csr));
  return { der, pem: encodePem("CERTIFICATE REQUEST", der) };
}

/** What LocallySignedCert takes from a CSR: subject, public key and SANs. Nothing else. */
export interface ParsedCsr {
  readonly subject: PkixName;
  readonly publicKey: KeyObject;
  readonly sans: Sans;
}

/**
 * The provider's `parseCertificateRequest`: first PEM block of type `CERTIFICATE REQUEST`;
 * the signature is NOT verified; requested extensions other than the SAN are ignored.
 */
export function parseCsrPem(text: string): ParsedCsr {
  const der = decodePemOfType(text, "CERTIFICATE REQUEST");
  try {
    const info = AsnConvert.parse(der, CertificationRequest).certificationRequestInfo;
    const requested = info.attributes
      .filter((a) => a.type === OID_EXTENSION_REQUEST)
      .flatMap((a) => a.values.flatMap((v) => [...AsnConvert.parse(v, Extensions)]));
    const san = requested.find((x) => x.extnID === id_ce_subjectAltName);
    return {
      subject: pkixNameFromAsn(info.subject),
      publicKey: createPublicKey({ key: Buffer.from(AsnConvert.serialize(info.subjectPKInfo)), format: "der", type: "spki" }),
      sans: san === undefined
        ? { dnsNames: [], ipAddresses: [], uris: [] }
        : sansFromGeneralNames(AsnConvert.parse(san.extnValue.buffer, GeneralNames)),
    };
  } catch (e) {
    throw new Error(`failed to parse certificate request: ${(e as Error).message}`);
  }
}
