/**
 * A DER writer: each function returns one complete tag-length-value encoding, ready to be
 * nested in a {@link sequence} or {@link setOf}. Only the types X.509 certificates and PKCS#10
 * requests need, encoded as Go's `encoding/asn1` marshals them.
 */

import { contextTag, TAG } from "./tags";

/** The length octets of a content of `length` bytes: short form below 128, else minimal long form. */
function lengthOctets(length: number): Buffer {
  if (length < 0x80) {
    return Buffer.of(length);
  }
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) {
    bytes.unshift(rest & 0xff);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV: a single-octet `tag` (number below 31), its length and the contents concatenated. */
export function tlv(tag: number, contents: Uint8Array | readonly Uint8Array[]): Buffer {
  const body = contents instanceof Uint8Array ? contents : Buffer.concat(contents);
  return Buffer.concat([Buffer.of(tag), lengthOctets(body.length), body]);
}

/** `SEQUENCE` of already encoded elements, in the order given. */
export function sequence(elements: readonly Uint8Array[]): Buffer {
  return tlv(TAG.SEQUENCE, elements);
}

/** `SET OF`: the encoded elements sorted by their bytes, as DER requires. */
export function setOf(elements: readonly Uint8Array[]): Buffer {
  return tlv(TAG.SET, [...elements].sort(Buffer.compare));
}

/** `INTEGER` of a non-negative value, minimal two's complement (a `00` first when the top bit is set). */
export function integer(value: bigint | number): Buffer {
  if (value < 0) {
    throw new RangeError(`DER INTEGER: negative values are not written (${value})`);
  }
  let hex = value.toString(16);
  if (hex.length % 2 === 1) {
    hex = `0${hex}`;
  }
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) {
    hex = `00${hex}`;
  }
  return tlv(TAG.INTEGER, Buffer.from(hex, "hex"));
}

/** Base-128 digits of one OID arc, high groups flagged with the top bit. */
function base128(arc: bigint): number[] {
  const digits = [Number(arc & 0x7fn)];
  for (let rest = arc >> 7n; rest > 0n; rest >>= 7n) {
    digits.unshift(Number(rest & 0x7fn) | 0x80);
  }
  return digits;
}

const OID_CACHE = new Map<string, Buffer>();

/** `OBJECT IDENTIFIER` from its dotted form, e.g. `"2.5.29.15"`. */
export function oid(dotted: string): Buffer {
  const cached = OID_CACHE.get(dotted);
  if (cached !== undefined) {
    return cached;
  }
  if (!/^[0-2]\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/.test(dotted)) {
    throw new Error(`DER OBJECT IDENTIFIER: "${dotted}" is not a dotted OID`);
  }
  const arcs = dotted.split(".").map(BigInt);
  if (arcs[0] < 2n && arcs[1] > 39n) {
    throw new Error(`DER OBJECT IDENTIFIER: "${dotted}": the second arc must be below 40`);
  }
  const content = [arcs[0] * 40n + arcs[1], ...arcs.slice(2)].flatMap(base128);
  const encoded = tlv(TAG.OID, Buffer.from(content));
  OID_CACHE.set(dotted, encoded);
  return encoded;
}

/** `BIT STRING` of whole bytes, or with `unusedBits` (0–7) trailing bits of the last byte unused. */
export function bitString(bytes: Uint8Array, unusedBits = 0): Buffer {
  return tlv(TAG.BIT_STRING, [Buffer.of(unusedBits), bytes]);
}

/**
 * Named bits as a `BIT STRING` (bit n is value `1 << n`, bit 0 first): trailing zero bits dropped,
 * as DER and Go's KeyUsage marshalling do.
 */
export function namedBits(value: number): Buffer {
  const bitLength = value === 0 ? 0 : 32 - Math.clz32(value);
  const bytes = Buffer.alloc((bitLength + 7) >> 3);
  for (let bit = 0; bit < bitLength; bit += 1) {
    if ((value >>> bit) & 1) {
      bytes[bit >> 3] |= 0x80 >> (bit & 7);
    }
  }
  return bitString(bytes, bytes.length * 8 - bitLength);
}

/** `OCTET STRING`. */
export function octetString(bytes: Uint8Array): Buffer {
  return tlv(TAG.OCTET_STRING, bytes);
}

/** `BOOLEAN`: `FF` for true, `00` for false. */
export function boolean(value: boolean): Buffer {
  return tlv(TAG.BOOLEAN, Buffer.of(value ? 0xff : 0x00));
}

/** `NULL` (`05 00`). */
export const NULL: Buffer = Buffer.of(TAG.NULL, 0x00);

/** `UTF8String`. */
export function utf8String(text: string): Buffer {
  return tlv(TAG.UTF8_STRING, Buffer.from(text, "utf8"));
}

/** `PrintableString`; the caller checks the character set. One byte per character. */
export function printableString(text: string): Buffer {
  return tlv(TAG.PRINTABLE_STRING, Buffer.from(text, "latin1"));
}

/** `IA5String`; one byte per character (the low byte of each UTF-16 unit, as the caller checked ASCII). */
export function ia5String(text: string): Buffer {
  return tlv(TAG.IA5_STRING, Buffer.from(text, "latin1"));
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/**
 * An X.509 `Time` of whole seconds, by Go's rule: `UTCTime` (`YYMMDDHHMMSSZ`) for years 1950–2049,
 * else `GeneralizedTime` (`YYYYMMDDHHMMSSZ`). Milliseconds are dropped.
 */
export function time(instant: Date): Buffer {
  const year = instant.getUTCFullYear();
  const rest = `${pad(instant.getUTCMonth() + 1)}${pad(instant.getUTCDate())}` +
    `${pad(instant.getUTCHours())}${pad(instant.getUTCMinutes())}${pad(instant.getUTCSeconds())}Z`;
  return year >= 1950 && year <= 2049
    ? tlv(TAG.UTC_TIME, Buffer.from(`${pad(year % 100)}${rest}`, "latin1"))
    : tlv(TAG.GENERALIZED_TIME, Buffer.from(`${pad(year, 4)}${rest}`, "latin1"));
}

/** `[n] EXPLICIT`: a constructed context-specific tag wrapping one encoded element. */
export function explicit(n: number, element: Uint8Array): Buffer {
  return tlv(contextTag(n, true), element);
}

/** `[n] IMPLICIT`: the element with its tag replaced by context-specific `n` (constructed bit kept). */
export function implicit(n: number, element: Uint8Array): Buffer {
  const out = Buffer.from(element);
  out[0] = contextTag(n, (element[0] & 0x20) !== 0);
  return out;
}
