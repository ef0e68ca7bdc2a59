/** One decoded PEM block: its type label and the DER bytes it carries. */
export interface PemBlock {
  readonly type: string;
  readonly bytes: Buffer;
}

/**
 * Encodes DER bytes as Go's `pem.EncodeToMemory` does: no headers, base64 in 64-character
 * lines, every line (the END line included) ending in exactly one `\n`.
 */
export function encodePem(type: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.map((l) => `${l}\n`).join("")}-----END ${type}-----\n`;
}

const BEGIN = /(?:^|\n)-----BEGIN ([^\n]*?)-----[ \t\r]*\n/g;

/**
 * Decodes the first well-formed PEM block of `text`, like Go's `pem.Decode`: text before
 * `-----BEGIN` is skipped, a malformed candidate is passed over in favour of a later one,
 * anything after the first good block is ignored, and header lines (`Key: value`) are skipped.
 * Returns `undefined` when there is no block at all.
 */
export function decodeFirstPem(text: string): PemBlock | undefined {
  BEGIN.lastIndex = 0;
  for (let m = BEGIN.exec(text); m !== null; m = BEGIN.exec(text)) {
    const type = m[1];
    const bodyStart = m.index + m[0].length;
    const endMarker = `-----END ${type}-----`;
    const endAt = text.indexOf(`\n${endMarker}`, bodyStart - 1);
    if (endAt < 0) {
      continue;
    }
    const afterEnd = text.slice(endAt + 1 + endMarker.length).split("\n", 1)[0];
    if (afterEnd.trim() !== "") {
      continue;
    }
    const body = text
      .slice(bodyStart, Math.max(bodyStart, endAt))
      .split("\n")
      .filter((line) => !line.includes(":"))
      .join("")
      .replace(/[ \t\r]/g, "");
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(body)) {
      continue;
    }
    return { type, bytes: Buffer.from(body, "base64") };
  }
  return undefined;
}

/**
 * The provider's `decodePEM`: the first PEM block, which must have type `expected`.
 * Throws `failed to decode PEM of expected type "<t>" from bytes` or
 * `invalid PEM type - expected "<t>", got "<u>"`.
 */
export function decodePemOfType(text: string, expected: string): Buffer {
  const block = decodeFirstPem(text);
  if (block === undefined) {
    throw new Error(`failed to decode PEM of expected type ${JSON.stringify(expected)} from bytes`);
  }
  if (block.type !== expected) {
    throw new Error(`invalid PEM type - expected ${JSON.stringify(expected)}, got ${JSON.stringify(block.type)}`);
  }
  return block.bytes;
}
