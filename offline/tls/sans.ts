import { parseIp as readIp, sanIpBytes } from "../../components/addresses";
import { generalNames, readGeneralNames } from "../der/generalNames";

/**
 * Go's `net.ParseIP` followed by the x509 SAN encoding: IPv4 and IPv4-mapped IPv6 (`::ffff:a.b.c.d`)
 * become 4 bytes, other IPv6 16 bytes. IPv4 octets with leading zeros and zoned IPv6 are rejected
 * (`undefined`), as Go does.
 */
export function parseIp(s: string): Uint8Array | undefined {
  const address = readIp(s);
  return address === undefined ? undefined : sanIpBytes(address);
}

/**
 * Approximates Go's `url.Parse` errors for a URI SAN: control characters, a leading `:`
 * ("missing protocol scheme") and malformed `%` escapes. Returns the Go error text or
 * `undefined`. The URI is then used as written (Go re-serialises it with `url.String()`,
 * which for ordinary absolute URIs gives back the same text).
 */
export function uriParseError(s: string): string | undefined {
  const quoted = JSON.stringify(s);
  if (/[\x00-\x1f\x7f]/.test(s)) {
    return `parse ${quoted}: net/url: invalid control character in URL`;
  }
  if (s.startsWith(":")) {
    return `parse ${quoted}: missing protocol scheme`;
  }
  const badEscape = /%(?![0-9A-Fa-f]{2})(.{0,2})/.exec(s);
  return badEscape === null ? undefined : `parse ${quoted}: invalid URL escape ${JSON.stringify(`%${badEscape[1]}`)}`;
}

/** Go's `isIA5String` failure text for a SAN, or `undefined` when the string is plain ASCII. */
export function ia5Error(s: string): string | undefined {
  return /^[\x00-\x7f]*$/.test(s) ? undefined : `x509: ${JSON.stringify(s)} cannot be encoded as an IA5String`;
}

/** The subject alternative names of a certificate or CSR, as Go holds them. */
export interface Sans {
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly Uint8Array[];
  readonly uris: readonly string[];
}

/** True when Go would emit a SAN extension (at least one DNS name, IP or URI). */
export function hasSans(s: Sans): boolean {
  return s.dnsNames.length + s.ipAddresses.length + s.uris.length > 0;
}

/**
 * Go's `marshalSANs` as DER `GeneralNames`: all DNS names, then all IPs, then all URIs, each in
 * input order. Throws Go's IA5String error for non-ASCII DNS names or URIs.
 */
export function generalNamesOf(s: Sans): Buffer {
  for (const text of [...s.dnsNames, ...s.uris]) {
    const err = ia5Error(text);
    if (err !== undefined) {
      throw new Error(err);
    }
  }
  return generalNames(s);
}

/**
 * Reads DNS names, IPs and URIs back out of a SAN extension value (other name forms are ignored,
 * as Go does). An IPv4-mapped IPv6 address becomes its 4 IPv4 bytes, as Go re-marshals it; an IP
 * of neither 4 nor 16 bytes is dropped.
 */
export function sansFromGeneralNames(der: Buffer): Sans {
  const names = readGeneralNames(der);
  return {
    dnsNames: names.dnsNames,
    ipAddresses: names.ipAddresses.flatMap((bytes) => {
      if (bytes.length !== 4 && bytes.length !== 16) {
        return [];
      }
      return [sanIpBytes({ family: bytes.length === 4 ? 4 : 6, bytes: Uint8Array.from(bytes) })];
    }),
    uris: names.uris,
  };
}

/**
 * The provider's reading of the `dnsNames`/`ipAddresses`/`uris` inputs (DNS names as-is, IPs
 * through `net.ParseIP`, URIs through `url.Parse`). Throws `Invalid IP address: Failed to parse "<s>"`
 * or `Invalid URI: Failed to parse "<s>": <go error>`.
 */
export function sansFromInputs(dnsNames?: readonly string[], ipAddresses?: readonly string[], uris?: readonly string[]): Sans {
  return {
    dnsNames: [...(dnsNames ?? [])],
    ipAddresses: (ipAddresses ?? []).map((s) => {
      const bytes = parseIp(s);
      if (bytes === undefined) {
        throw new Error(`Invalid IP address: Failed to parse ${JSON.stringify(s)}`);
      }
      return bytes;
    }),
    uris: (uris ?? []).map((s) => {
      const err = uriParseError(s);
      if (err !== undefined) {
        throw new Error(`Invalid URI: Failed to parse ${JSON.stringify(s)}: ${err}`);
      }
      return s;
    }),
  };
}
