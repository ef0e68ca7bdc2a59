import * as ipaddr from "ipaddr.js";

/**
 * IP addresses, CIDRs and host names, parsed one way for the whole package (validation, the tls
 * emulator and the checker): IP literals with `ipaddr.js`, held to what Go's `net.ParseIP` and a
 * certificate accept.
 */

const DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_LABEL}(\\.${DNS1123_LABEL})*$`);

/** True for a Kubernetes DNS-1123 subdomain: lower-case labels of `a-z0-9-`, at most 253 characters. */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** True for a SAN kubeadm accepts as a DNS name: a DNS-1123 subdomain or a `*.` wildcard of one. */
export function isDnsSan(value: string): boolean {
  return isDns1123Subdomain(value.startsWith("*.") ? value.slice(2) : value);
}

/** An IP address literal, read. */
export interface IpAddress {
  /** IPv4 or IPv6 (an IPv4-mapped IPv6 address is IPv6 here). */
  readonly family: 4 | 6;
  /** The 4 or 16 bytes. */
  readonly bytes: Uint8Array;
}

/**
 * Reads an IPv4 dotted quad (no leading zeros, no short forms, as Go's `net.ParseIP`) or an IPv6
 * literal. An IPv6 address with a zone (`fe80::1%eth0`) is refused: a certificate cannot hold a zone.
 */
export function parseIp(text: string): IpAddress | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) {
    return { family: 4, bytes: Uint8Array.from(ipaddr.IPv4.parse(text).toByteArray()) };
  }
  if (text.includes("%") || !ipaddr.IPv6.isValid(text)) return undefined;
  return { family: 6, bytes: Uint8Array.from(ipaddr.IPv6.parse(text).toByteArray()) };
}

/** True for an IPv4 or IPv6 address literal (see {@link parseIp}). */
export function isIpAddress(value: string): boolean {
  return parseIp(value) !== undefined;
}

/** True for an IPv6 literal with a zone, e.g. `fe80::1%eth0`, which no certificate can hold. */
export function isZonedIpv6(value: string): boolean {
  return value.includes("%") && ipaddr.IPv6.isValid(value);
}

/** One text per address whatever way it is written (`fd00::1` and `fd00:0::1` are the same). */
export function canonicalIp(address: IpAddress): string {
  return ipaddr.fromByteArray([...address.bytes]).toString();
}

/**
 * The bytes Go's x509 SAN encoding gives an IP: IPv4 and IPv4-mapped IPv6 (`::ffff:a.b.c.d`) take
 * 4 bytes, other IPv6 addresses 16.
 */
export function sanIpBytes(address: IpAddress): Uint8Array {
  const mapped = address.family === 6 && ipaddr.IPv6.parse(canonicalIp(address)).isIPv4MappedAddress();
  return mapped ? address.bytes.slice(12) : address.bytes;
}

/** An IP network: its first address as a bigint, family and prefix length. */
export interface Cidr {
  /** The CIDR as written. */
  readonly text: string;
  /** IPv4 or IPv6. */
  readonly family: 4 | 6;
  /** The network address (host bits cleared). */
  readonly network: bigint;
  /** Prefix length in bits. */
  readonly prefixLength: number;
}

const bitsOf = (family: 4 | 6): number => (family === 4 ? 32 : 128);

/** Parses `a.b.c.d/n` or `x::y/n` (host bits may be set, as kubeadm allows); undefined when it is not a CIDR. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const address = parseIp(text.slice(0, slash));
  const prefix = text.slice(slash + 1);
  if (address === undefined || !/^\d{1,3}$/.test(prefix)) return undefined;
  const bits = bitsOf(address.family);
  const prefixLength = Number(prefix);
  if (prefixLength > bits) return undefined;
  const value = address.bytes.reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
  const hostMask = (1n << BigInt(bits - prefixLength)) - 1n;
  return { text, family: address.family, network: value & ~hostMask, prefixLength };
}

/** Number of host bits of a CIDR (`10.96.0.0/12`: 20). */
export function cidrHostBits(cidr: Cidr): number {
  return bitsOf(cidr.family) - cidr.prefixLength;
}

/** Number of addresses in a CIDR. */
export function cidrSize(cidr: Cidr): bigint {
  return 1n << BigInt(cidrHostBits(cidr));
}

/** The `index`-th address of a CIDR, e.g. index 1 of `10.96.0.0/12` is `10.96.0.1`. */
export function cidrAddress(cidr: Cidr, index: number): string {
  const value = cidr.network + BigInt(index);
  const length = bitsOf(cidr.family) / 8;
  const bytes = Array.from({ length }, (_, i) => Number((value >> BigInt(8 * (length - 1 - i))) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

/** A parsed `host[:port]`. */
export interface HostPort {
  /** DNS name or IP address, without brackets. */
  readonly host: string;
  /** The port, when one was given. */
  readonly port?: number;
}

/** True for text that is an IPv6 address written without brackets, with or without a port after it. */
export function isUnbracketedIpv6(text: string): boolean {
  return !text.startsWith("[") && (text.match(/:/g) ?? []).length > 1;
}

/**
 * Parses `host`, `host:port`, `[v6]` or `[v6]:port` as Go's `net.SplitHostPort` would: an IPv6 host
 * must be in brackets. Undefined when malformed.
 */
export function parseHostPort(text: string): HostPort | undefined {
  let host: string;
  let portText: string | undefined;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close < 0) return undefined;
    host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest !== "" && !rest.startsWith(":")) return undefined;
    portText = rest === "" ? undefined : rest.slice(1);
    if (parseIp(host)?.family !== 6) return undefined;
  } else {
    if (isUnbracketedIpv6(text)) return undefined;
    const colon = text.lastIndexOf(":");
    host = colon < 0 ? text : text.slice(0, colon);
    portText = colon < 0 ? undefined : text.slice(colon + 1);
  }
  if (host === "" || !(isIpAddress(host) || isDns1123Subdomain(host))) return undefined;
  if (portText === undefined) return { host };
  if (!/^\d{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  return port >= 1 && port <= 65535 ? { host, port } : undefined;
}

/** `https://host:port`, with an IPv6 host in brackets (Go's `net.JoinHostPort`). */
export function httpsUrl(host: string, port: number): string {
  return `https://${parseIp(host)?.family === 6 ? `[${host}]` : host}:${port}`;
}
