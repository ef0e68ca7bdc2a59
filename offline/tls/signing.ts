import { createHash, KeyObject, sign } from "node:crypto";
import { childrenOf, readBitString, readOne } from "../der/read";
import { TAG } from "../der/tags";
import { NULL, oid, sequence } from "../der/write";
import { curveOf, spkiDer } from "./keys";

/** A signature algorithm: its identifier in the certificate and the hash Node signs with. */
export interface SignatureScheme {
  /** The DER `AlgorithmIdentifier`. */
  readonly algorithm: Buffer;
  /** Digest name for `crypto.sign`. */
  readonly hash: string;
}

const SHA256_WITH_RSA: SignatureScheme = { algorithm: sequence([oid("1.2.840.113549.1.1.11"), NULL]), hash: "sha256" };
const ECDSA_WITH_SHA256: SignatureScheme = { algorithm: sequence([oid("1.2.840.10045.4.3.2")]), hash: "sha256" };
const ECDSA_WITH_SHA384: SignatureScheme = { algorithm: sequence([oid("1.2.840.10045.4.3.3")]), hash: "sha384" };

/**
 * Go's `signingParamsForKey`, chosen from the signing key (an RSA or ECDSA key the emulator
 * reads): RSA → sha256WithRSAEncryption (NULL parameters, PKCS#1 v1.5); P-256 →
 * ecdsa-with-SHA256; P-384 → ecdsa-with-SHA384.
 */
export function signatureSchemeFor(key: KeyObject): SignatureScheme {
  if (key.asymmetricKeyType === "rsa") {
    return SHA256_WITH_RSA;
  }
  return curveOf(key) === "P384" ? ECDSA_WITH_SHA384 : ECDSA_WITH_SHA256;
}

/** Signs DER (a TBSCertificate or CertificationRequestInfo). ECDSA signatures come out DER-encoded. */
export function signDer(tbs: Uint8Array, key: KeyObject): Buffer {
  return sign(signatureSchemeFor(key).hash, tbs, key);
}

/**
 * The provider's `generateSubjectKeyID` for RSA and ECDSA keys: SHA-1 over the SPKI BIT STRING
 * contents (PKCS#1 RSAPublicKey, or the uncompressed EC point).
 */
export function subjectKeyId(key: KeyObject): Buffer {
  const [, publicKey] = childrenOf(readOne(spkiDer(key), TAG.SEQUENCE, "SubjectPublicKeyInfo"), TAG.SEQUENCE, "SubjectPublicKeyInfo");
  return createHash("sha1").update(readBitString(publicKey, "subjectPublicKey").bytes).digest();
}
