import { createHash, KeyObject, sign } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from "@peculiar/asn1-x509";
import { curveOf, publicKeyOf, spkiDer } from "./keys";

/** DER NULL, the parameters of sha256WithRSAEncryption. */
const DER_NULL = Uint8Array.of(0x05, 0x00).buffer;

/** A signature algorithm: its identifier in the certificate and the hash Node signs with. */
export interface SignatureScheme {
  readonly algorithm: AlgorithmIdentifier;
  /** Digest name for `crypto.sign`, `null` for Ed25519 (pure). */
  readonly hash: string | null;
}

/**
 * Go's `signingParamsForKey`, chosen from the signing key: RSA → sha256WithRSAEncryption (NULL
 * parameters, PKCS#1 v1.5); P-224/P-256 → ecdsa-with-SHA256; P-384 → SHA384; P-521 → SHA512;
 * Ed25519 → 1.3.101.112 with no parameters.
 */
export function signatureSchemeFor(key: KeyObject): SignatureScheme {
  switch (key.asymmetricKeyType) {
    case "rsa":
      return { algorithm: new AlgorithmIdentifier({ algorithm: "1.2.840.113549.1.1.11", parameters: DER_NULL }), hash: "sha256" };
    case "ed25519":
      return { algorithm: new AlgorithmIdentifier({ algorithm: "1.3.101.112" }), hash: null };
    default: {
      const curve = curveOf(key);
      const [oid, hash] = curve === "P384" ? ["1.2.840.10045.4.3.3", "sha384"]
        : curve === "P521" ? ["1.2.840.10045.4.3.4", "sha512"]
          : ["1.2.840.10045.4.3.2", "sha256"];
      return { algorithm: new AlgorithmIdentifier({ algorithm: oid }), hash };
    }
  }
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
 * The provider's `generateSubjectKeyID`: SHA-1 over the SPKI BIT STRING contents (PKCS#1
 * RSAPublicKey, or the uncompressed EC point) — except Ed25519, where Go marshals the key as
 * an OCTET STRING, so the hash covers `04 20 ‖ key`.
 */
export function subjectKeyId(key: KeyObject): Buffer {
  const pub = publicKeyOf(key);
  const bits = Buffer.from(spkiOf(pub).subjectPublicKey);
  const input = pub.asymmetricKeyType === "ed25519" ? Buffer.concat([Buffer.of(0x04, bits.length), bits]) : bits;
  return createHash("sha1").update(input).digest();
}
