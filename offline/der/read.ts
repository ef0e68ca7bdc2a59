/**
 * A strict DER reader: walks tag-length-value elements of a buffer, rejecting indefinite,
 * non-minimal and overlong lengths, high tag numbers and trailing bytes. Values are views
 * into the input, not copies.
 */
import { TAG } from "./tags";

/** One element: its tag octet, its whole encoding and its contents. */
export interface Tlv {
  /** The identifier octet (class, constructed bit and a tag number below 31). */
  readonly tag: number;
  /** Tag, length and contents, as they appear in the input. */
  readonly encoded: Buffer;
  /** The contents octets. */
  readonly contents: Buffer;
}

/** The element starting at `offset` of `input`. Throws when it is malformed or runs past the end. */
function readAt(input: Buffer, offset: number): Tlv {
  if (offset + 2 > input.length) {
    throw new Error("DER: truncated element header");
  }
  const tag = input[offset];
  if ((tag & 0x1f) === 0x1f) {
    throw new Error(`DER: high tag numbers are not supported (tag 0x${tag.toString(16)})`);
  }
  const first = input[offset + 1];
  let length = first;
  let start = offset + 2;
  if (first >= 0x80) {
    const count = first & 0x7f;
    if (count === 0) {
      throw new Error("DER: indefinite length");
    }
    if (count > 4 || start + count > input.length) {
      throw new Error("DER: length too long");
    }
    length = 0;
    for (let i = 0; i < count; i += 1) {
      length = length * 256 + input[start + i];
    }
    if (input[start] === 0 || length < 0x80) {
      throw new Error("DER: non-minimal length");
    }
    start += count;
  }
  if (start + length > input.length) {
    throw new Error(`DER: length ${length} runs past the end of the data`);
  }
  return { tag, encoded: input.subarray(offset, start + length), contents: input.subarray(start, start + length) };
}

/** Every element of a concatenation (e.g. the contents of a SEQUENCE), in order. */
export function readAll(input: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = 0; offset < input.length;) {
    const element = readAt(input, offset);
    out.push(element);
    offset += element.encoded.length;
  }
  return out;
}

/** Describes a tag for an error message, e.g. `0x30`. */
const tagText = (tag: number): string => `0x${tag.toString(16).padStart(2, "0")}`;

/** Checks an element's tag; `what` names the field in the error. */
export function expectTag(element: Tlv | undefined, tag: number, what: string): Tlv {
  if (element === undefined) {
    throw new Error(`DER: ${what} is missing`);
  }
  if (element.tag !== tag) {
    throw new Error(`DER: ${what} has tag ${tagText(element.tag)}, expected ${tagText(tag)}`);
  }
  return element;
}

/** The single element that makes up all of `input` (nothing may follow it). */
export function readOne(input: Buffer, tag: number, what: string): Tlv {
  const element = expectTag(readAt(input, 0), tag, what);
  if (element.encoded.length !== input.length) {
    throw new Error(`DER: ${input.length - element.encoded.length} trailing byte(s) after ${what}`);
  }
  return element;
}

/** The elements inside a constructed element (a SEQUENCE, SET or explicit tag), checking its tag. */
export function childrenOf(element: Tlv | undefined, tag: number, what: string): Tlv[] {
  return readAll(expectTag(element, tag, what).contents);
}

/** The dotted form of an `OBJECT IDENTIFIER`'s contents, e.g. `"2.5.29.15"`. */
export function decodeOid(contents: Buffer): string {
  if (contents.length === 0 || contents[contents.length - 1] >= 0x80) {
    throw new Error("DER: truncated OBJECT IDENTIFIER");
  }
  const arcs: bigint[] = [];
  let arc = 0n;
  let fresh = true;
  for (const byte of contents) {
    if (fresh && byte === 0x80) {
      throw new Error("DER: non-minimal OBJECT IDENTIFIER arc");
    }
    arc = (arc << 7n) | BigInt(byte & 0x7f);
    fresh = byte < 0x80;
    if (fresh) {
      arcs.push(arc);
      arc = 0n;
    }
  }
  const first = arcs[0] < 80n ? arcs[0] / 40n : 2n;
  return [first, arcs[0] - first * 40n, ...arcs.slice(1)].join(".");
}

/** The OID of an element that must be an `OBJECT IDENTIFIER`. */
export function readOid(element: Tlv | undefined, what: string): string {
  return decodeOid(expectTag(element, TAG.OID, what).contents);
}

/** A `BOOLEAN`'s value (DER: `FF` true, `00` false). */
export function readBoolean(element: Tlv | undefined, what: string): boolean {
  const contents = expectTag(element, TAG.BOOLEAN, what).contents;
  if (contents.length !== 1 || (contents[0] !== 0x00 && contents[0] !== 0xff)) {
    throw new Error(`DER: ${what} is not a DER BOOLEAN`);
  }
  return contents[0] === 0xff;
}

/** A `BIT STRING`'s bytes and count of unused trailing bits. */
export function readBitString(element: Tlv | undefined, what: string): { bytes: Buffer; unusedBits: number } {
  const contents = expectTag(element, TAG.BIT_STRING, what).contents;
  if (contents.length === 0 || contents[0] > 7 || (contents.length === 1 && contents[0] !== 0)) {
    throw new Error(`DER: ${what} is not a valid BIT STRING`);
  }
  return { bytes: contents.subarray(1), unusedBits: contents[0] };
}

/** Named bits of a `BIT STRING` as a number (bit n is `1 << n`); unused trailing bits ignored. */
export function readNamedBits(element: Tlv | undefined, what: string): number {
  const { bytes, unusedBits } = readBitString(element, what);
  const bitLength = Math.min(bytes.length * 8 - unusedBits, 31);
  let value = 0;
  for (let bit = 0; bit < bitLength; bit += 1) {
    if (bytes[bit >> 3] & (0x80 >> (bit & 7))) {
      value |= 1 << bit;
    }
  }
  return value;
}

/** The text of a UTF8String, PrintableString, IA5String, TeletexString or BMPString; `undefined` for other tags. */
export function decodeString(element: Tlv): string | undefined {
  switch (element.tag) {
    case TAG.UTF8_STRING:
      return element.contents.toString("utf8");
    case TAG.PRINTABLE_STRING:
    case TAG.TELETEX_STRING:
    case TAG.IA5_STRING:
      return element.contents.toString("latin1");
    case TAG.BMP_STRING:
      return Buffer.from(element.contents).swap16().toString("utf16le");
    default:
      return undefined;
  }
}
