import { createHash, randomBytes } from "node:crypto";

const ASCII_SPACE = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]);
/** UTF-8 encodings of the non-ASCII runes for which Go's `unicode.IsSpace` is true. */
const UNICODE_SPACES: readonly number[][] = [
  [0xc2, 0x85], [0xc2, 0xa0], [0xe1, 0x9a, 0x80],
  ...Array.from({ length: 11 }, (_, i) => [0xe2, 0x80, 0x80 + i]),
  [0xe2, 0x80, 0xa8], [0xe2, 0x80, 0xa9], [0xe2, 0x80, 0xaf], [0xe2, 0x81, 0x9f], [0xe3, 0x80, 0x80],
];

/**
 * The right-trim that Go's `strings.TrimSpace` applies when the provider hashes raw DER as a
 * string: trailing ASCII whitespace and UTF-8 encoded Unicode spaces are removed. DER always
 * starts with `0x30`, so nothing is ever trimmed at the start.
 */
export function goTrimSpaceRight(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  for (;;) {
    if (end > 0 && ASCII_SPACE.has(bytes[end - 1])) {
      end -= 1;
      continue;
    }
    const rune = UNICODE_SPACES.find(
      (seq) => seq.length <= end && seq.every((b, i) => bytes[end - seq.length + i] === b),
    );
    if (rune === undefined) {
      return bytes.subarray(0, end);
    }
    end -= rune.length;
  }
}

/**
 * The provider's `hashForState`: lower-case hex SHA-1 of the Go-`TrimSpace`d DER. Used as the
 * id of a PrivateKey (over the SPKI DER) and of a CertRequest (over the CSR DER).
 */
export function hashForState(der: Uint8Array): string {
  return der.length === 0 ? "" : createHash("sha1").update(goTrimSpaceRight(der)).digest("hex");
}

/** A certificate serial number as Go's provider draws it: uniform in [0, 2^128). */
export function randomSerial(): bigint {
  return BigInt(`0x${randomBytes(16).toString("hex")}`);
}
