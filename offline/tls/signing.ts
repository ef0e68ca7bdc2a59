import { createHash, KeyObject, sign } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from "@peculiar/asn1-x509";
import { curveOf, publicKeyOf, spkiDer } from "./keys";

/** DER NULL, the parameters of sha256WithRSAEncryption. */
const DER_NULL = Uint8Array.of(0x05, 0x00).buffer;

/** A signature algorithm: its identifier in the certificate and the hash Node signs with. */
export interface SignatureScheme {
  readonly algorithm: AlgorithmIdentifier;
  /** Digest name for `crypto.sign`. */
  readonly hash: string;
}

/**
 * Go's `signingParamsForKey`, chosen from the signing key (an RSA or ECDSA key the emulator
 * reads): RSA → sha256WithRSAEncryption (NULL parameters, PKCS#1 v1.5); P-256 →
 * ecdsa-with-SHA256; P-384 → ecdsa-with-SHA384.
 */
export function signatureSchemeFor(key: KeyObject): SignatureScheme {
  if (key.asymmetricKeyType === "rsa") {
    return { algorithm: new AlgorithmIdentifier({ algorithm: "1.2.840.113549.1.1.11", parameters: DER_NULL }), hash: "sha256" };
  }
  const [oid, hash] = curveOf(key) === "P384" ? ["1.2.840.10045.4.3.3", "sha384"] : ["1.2.840.10045.4.3.2", "sha256"];
  return { algorithm: new AlgorithmIdentifier({ algorithm: oid }), hash };
}

/** Signs DER (a TBSCertificate or CertificationRequestInfo). ECDSA signatures come out DER-encoded. */
export function signDer(tbs: Uint8Array, key: KeyObject): Buffer {
  return sign(signatureSchemeFor(key).hash, tbs, key);
}

/** The SubjectPublicKeyInfo structure of a key, parsed from Node's SPKI export. */
export function spkiOf(key: KeyObject): SubjectPublicKeyInfo {
  return AsnConvert.parse(spkiDer(key), SubjectPublicKeyInfo);
}

/**
 * The provider's `generateSubjectKeyID` for RSA and ECDSA keys: SHA-1 over the SPKI BIT STRING
 * contents (PKCS#1 RSAPublicKey, or the uncompressed EC point).
 */
export function subjectKeyId(key: KeyObject): Buffer {
  return createHash("sha1").update(Buffer.from(spkiOf(publicKeyOf(key)).subjectPublicKey)).digest();
}
