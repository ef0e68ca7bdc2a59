import { createPrivateKey, createPublicKey, generateKeyPair, KeyObject } from "node:crypto";
import { decodeFirstPem } from "./pem";

/**
 * The `algorithm` values of the tls provider, in the order it lists them in validation messages.
 * The provider accepts all three; the emulator makes and reads only the first two (see {@link notEmulated}).
 */
export const PROVIDER_KEY_ALGORITHMS: readonly string[] = ["RSA", "ECDSA", "ED25519"];
/** The `ecdsaCurve` values of the tls provider, in the order it lists them; the emulator makes P256 and P384 only. */
export const PROVIDER_ECDSA_CURVES: readonly string[] = ["P224", "P256", "P384", "P521"];

/** The `algorithm` / `keyAlgorithm` values the emulator answers: those the catalog's encryption algorithms use. */
export type KeyAlgorithm = "RSA" | "ECDSA";
/** The `ecdsaCurve` values the emulator answers: those the catalog's encryption algorithms use. */
export type EcdsaCurve = "P256" | "P384";

/** Node's name for each curve, and back (Node reports OpenSSL names in `asymmetricKeyDetails`). */
const NODE_CURVE: Record<EcdsaCurve, string> = { P256: "P-256", P384: "P-384" };
const CURVE_OF_OPENSSL_NAME: Record<string, EcdsaCurve> = { prime256v1: "P256", secp384r1: "P384" };
/** Curves the provider supports but the emulator does not, by OpenSSL name. */
const CURVES_NOT_EMULATED: Record<string, string> = { secp224r1: "P224", secp521r1: "P521" };

/**
 * What the provider supports but nothing in the catalog asks for (ED25519 keys, the P224 and
 * P521 curves, write-only inputs): the emulator refuses it, as it refuses unknown tokens.
 */
export class NotEmulatedError extends Error {
  constructor(what: string) {
    super(`Mock not implemented: ${what}`);
  }
}

/** A {@link NotEmulatedError} for `what`. */
export function notEmulated(what: string): NotEmulatedError {
  return new NotEmulatedError(what);
}

/** What a PrivateKey resource asks for (validated against the provider's lists, not yet against the emulator's). */
export interface KeySpec {
  readonly algorithm: string;
  readonly rsaBits: number;
  readonly ecdsaCurve: string;
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
      case "ECDSA": {
        const curve = NODE_CURVE[spec.ecdsaCurve as EcdsaCurve];
        if (curve === undefined) {
          reject(notEmulated(`ECDSA keys on curve ${spec.ecdsaCurve}`));
          return;
        }
        generateKeyPair("ec", { namedCurve: curve }, done);
        return;
      }
      default:
        reject(notEmulated(`${spec.algorithm} keys`));
    }
  });
}

/**
 * The curve of an EC key, or `undefined` for a curve Go's x509 does not know; throws
 * {@link notEmulated} for P224 and P521.
 */
export function curveOf(key: KeyObject): EcdsaCurve | undefined {
  const name = key.asymmetricKeyDetails?.namedCurve ?? "";
  if (CURVES_NOT_EMULATED[name] !== undefined) {
    throw notEmulated(`ECDSA keys on curve ${CURVES_NOT_EMULATED[name]}`);
  }
  return CURVE_OF_OPENSSL_NAME[name];
}

/** Go's dynamic type name of a parsed key, as it appears in the provider's error texts. */
function goTypeName(key: KeyObject): string {
  return key.asymmetricKeyType === "x25519" ? "*ecdh.PrivateKey" : `<${key.asymmetricKeyType}>`;
}

/**
 * The provider algorithm of a key: `RSA` or `ECDSA`. Throws {@link notEmulated} for an Ed25519
 * key, the provider's `failed to determine key algorithm …` text for other types.
 */
export function keyAlgorithmOf(key: KeyObject): KeyAlgorithm {
  switch (key.asymmetricKeyType) {
    case "rsa":
      return "RSA";
    case "ec":
      return "ECDSA";
    case "ed25519":
      throw notEmulated("ED25519 keys");
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
