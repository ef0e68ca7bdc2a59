import { createPrivateKey, createPublicKey, generateKeyPair, KeyObject } from "node:crypto";
import { decodeFirstPem } from "./pem";

/** The `algorithm` / `keyAlgorithm` values of the tls provider. */
export type KeyAlgorithm = "RSA" | "ECDSA" | "ED25519";
/** The `ecdsaCurve` values of the tls provider. */
export type EcdsaCurve = "P224" | "P256" | "P384" | "P521";

/** Supported algorithms, in the order the provider lists them in validation messages. */
export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ["RSA", "ECDSA", "ED25519"];
/** Supported curves, in the order the provider lists them in validation messages. */
export const ECDSA_CURVES: readonly EcdsaCurve[] = ["P224", "P256", "P384", "P521"];

/** Node's name for each curve, and back (Node reports OpenSSL names in `asymmetricKeyDetails`). */
const NODE_CURVE: Record<EcdsaCurve, string> = { P224: "P-224", P256: "P-256", P384: "P-384", P521: "P-521" };
const CURVE_OF_OPENSSL_NAME: Record<string, EcdsaCurve> = {
  secp224r1: "P224", prime256v1: "P256", secp384r1: "P384", secp521r1: "P521",
};

/** What a PrivateKey resource asks for. */
export interface KeySpec {
  readonly algorithm: KeyAlgorithm;
  readonly rsaBits: number;
  readonly ecdsaCurve: EcdsaCurve;
}

/**
 * Generates a private key asynchronously (on libuv's thread pool, so many keys are made in
 * parallel). Throws Go's text for RSA keys under 1024 bits, as `@pulumi/tls` ≥5.2 builds do.
 */
export function generatePrivateKey(spec: KeySpec): Promise<KeyObject> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, _pub: KeyObject, priv: KeyObject): void => (err ? reject(err) : resolve(priv));
    switch (spec.algorithm) {
      case "RSA":
        if (spec.rsaBits < 1024) {
          reject(new Error(
            `crypto/rsa: ${spec.rsaBits}-bit keys are insecure (see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)`,
          ));
          return;
        }
        generateKeyPair("rsa", { modulusLength: spec.rsaBits, publicExponent: 0x10001 }, done);
        return;
      case "ECDSA":
        generateKeyPair("ec", { namedCurve: NODE_CURVE[spec.ecdsaCurve] }, done);
        return;
      case "ED25519":
        generateKeyPair("ed25519", undefined, done);
        return;
    }
  });
}

/** The curve of an EC key, or `undefined` for a curve Go's x509 does not know. */
export function curveOf(key: KeyObject): EcdsaCurve | undefined {
  return CURVE_OF_OPENSSL_NAME[key.asymmetricKeyDetails?.namedCurve ?? ""];
}

/** Go's dynamic type name of a parsed key, as it appears in the provider's error texts. */
function goTypeName(key: KeyObject): string {
  return key.asymmetricKeyType === "x25519" ? "*ecdh.PrivateKey" : `<${key.asymmetricKeyType}>`;
}

/**
 * The provider algorithm of a key: `RSA`, `ECDSA` (one of the four NIST curves) or `ED25519`.
 * Throws the provider's `failed to determine key algorithm …` text otherwise.
 */
export function keyAlgorithmOf(key: KeyObject): KeyAlgorithm {
  switch (key.asymmetricKeyType) {
    case "rsa":
      return "RSA";
    case "ec":
      return "ECDSA";
    case "ed25519":
      return "ED25519";
    default: {
      const t = goTypeName(key);
      throw new Error(`failed to determine key algorithm for private key of type ${t}: unsupported private key type: ${t}`);
    }
  }
}

const PARSERS: Record<string, "pkcs1" | "sec1" | "pkcs8"> = {
  "RSA PRIVATE KEY": "pkcs1",
  "EC PRIVATE KEY": "sec1",
  "PRIVATE KEY": "pkcs8",
};
/** PKCS#8 algorithms Node reads but Go's `ParsePKCS8PrivateKey` rejects, by OID. */
const UNKNOWN_TO_GO_PKCS8: Record<string, string> = {
  ed448: "1.3.101.113", x448: "1.3.101.111", "rsa-pss": "1.2.840.113549.1.1.10", dsa: "1.2.840.10040.4.1",
};
const RECOGNISED_WITHOUT_PARSER = new Set(["PUBLIC KEY", "CERTIFICATE", "CERTIFICATE REQUEST"]);

/** A private key read from a PEM input, with the algorithm the provider reports for it. */
export interface ParsedPrivateKey {
  readonly key: KeyObject;
  readonly algorithm: KeyAlgorithm;
}

/**
 * The provider's `parsePrivateKeyPEM`: the first PEM block only, PKCS#1, SEC1 or PKCS#8.
 * Error texts are the provider's; the inner parser message after
 * `failed to parse private key given PEM preamble '<t>': ` is Node's, not Go's.
 */
export function parsePrivateKeyPem(text: string): ParsedPrivateKey {
  const block = decodeFirstPem(text);
  if (block === undefined) {
    throw new Error(`failed to decode PEM block: decoded bytes 0, undecoded ${Buffer.byteLength(text)}`);
  }
  const format = PARSERS[block.type];
  if (format === undefined) {
    throw new Error(RECOGNISED_WITHOUT_PARSER.has(block.type)
      ? `unable to determine parser for PEM preamble: ${block.type}`
      : `unsupported PEM preamble/type: ${block.type}`);
  }
  const fail = (reason: string): Error =>
    new Error(`failed to parse private key given PEM preamble '${block.type}': ${reason}`);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: block.bytes, format: "der", type: format });
  } catch (e) {
    throw fail((e as Error).message);
  }
  const unknownOid = UNKNOWN_TO_GO_PKCS8[key.asymmetricKeyType ?? ""];
  if (unknownOid !== undefined) {
    throw fail(`x509: PKCS#8 wrapping contained private key with unknown algorithm: ${unknownOid}`);
  }
  if (key.asymmetricKeyType === "ec" && curveOf(key) === undefined) {
    throw fail("x509: unknown elliptic curve");
  }
  return { key, algorithm: keyAlgorithmOf(key) };
}

/** SPKI DER already exported, by key: a CA key is compared with its certificate for every leaf it signs. */
const exportedSpki = new WeakMap<KeyObject, Buffer>();

/** SubjectPublicKeyInfo DER of a (private or public) key. */
export function spkiDer(key: KeyObject): Buffer {
  let der = exportedSpki.get(key);
  if (der === undefined) {
    der = publicKeyOf(key).export({ format: "der", type: "spki" });
    exportedSpki.set(key, der);
  }
  return der;
}

/** Public halves already derived, by private key: a key's outputs, id and CSR each need it. */
const derivedPublicKeys = new WeakMap<KeyObject, KeyObject>();

/** The public half of a key (the key itself when it is already public). */
export function publicKeyOf(key: KeyObject): KeyObject {
  if (key.type === "public") return key;
  let publicKey = derivedPublicKeys.get(key);
  if (publicKey === undefined) {
    publicKey = createPublicKey(key);
    derivedPublicKeys.set(key, publicKey);
  }
  return publicKey;
}
