import { isIP } from "node:net";

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

/** True for an IPv4 or IPv6 address literal. */
export function isIpAddress(value: string): boolean {
  return isIP(value) !== 0;
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

/** Parses `a.b.c.d/n` or `x::y/n`; undefined when it is not a CIDR. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const address = text.slice(0, slash);
  const prefix = text.slice(slash + 1);
  const family = isIP(address) as 0 | 4 | 6;
  if (family === 0 || !/^\d{1,3}$/.test(prefix)) return undefined;
  const bits = family === 4 ? 32 : 128;
  const prefixLength = Number(prefix);
  if (prefixLength > bits) return undefined;
  const value = ipToBigInt(address);
  const hostMask = (1n << BigInt(bits - prefixLength)) - 1n;
  return { text, family, network: value & ~hostMask, prefixLength };
}

/** Number of addresses in a CIDR. */
export function cidrSize(cidr: Cidr): bigint {
  return 1n << BigInt((cidr.family === 4 ? 32 : 128) - cidr.prefixLength);
}

/** The `index`-th address of a CIDR, e.g. index 1 of `10.96.0.0/12` is `10.96.0.1`. */
export function cidrAddress(cidr: Cidr, index: number): string {
  return bigIntToIp(cidr.network + BigInt(index), cidr.family);
}

function ipToBigInt(address: string): bigint {
  if (isIP(address) === 4) {
    return address.split(".").reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
  }
  const [head, tail = ""] = address.includes("::") ? address.split("::") : [address, undefined];
  const expand = (part: string | undefined): string[] => {
    if (part === undefined || part === "") return [];
    return part.split(":").flatMap((group) => (group.includes(".") ? embeddedIpv4Groups(group) : [group]));
  };
  const left = expand(head);
  const right = expand(tail);
  const groups = address.includes("::")
    ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right]
    : left;
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function embeddedIpv4Groups(ipv4: string): string[] {
  const value = ipToBigInt(ipv4);
  return [(value >> 16n).toString(16), (value & 0xffffn).toString(16)];
}

function bigIntToIp(value: bigint, family: 4 | 6): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join(".");
  }
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16));
  return compressIpv6(groups);
}

function compressIpv6(groups: string[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === "0") j++;
    if (j - i > bestLength && j - i > 1) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(":");
  return `${groups.slice(0, bestStart).join(":")}::${groups.slice(bestStart + bestLength).join(":")}`;
}

/** A parsed `host[:port]`. */
export interface HostPort {
  /** DNS name or IP address, without brackets. */
  readonly host: string;
  /** The port, when one was given. */
  readonly port?: number;
}

/**
 * Parses `host`, `host:port`, `[v6]` or `[v6]:port` as Go's `net.SplitHostPort` would (a bare IPv6
 * address without brackets is accepted as a host). Undefined when malformed.
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
    if (isIP(host) !== 6) return undefined;
  } else if (isIP(text) === 6) {
    host = text;
  } else {
    const colon = text.lastIndexOf(":");
    host = colon < 0 ? text : text.slice(0, colon);
    portText = colon < 0 ? undefined : text.slice(colon + 1);
  }
  if (host === "" || !(isIP(host) !== 0 || isDns1123Subdomain(host))) return undefined;
  if (portText === undefined) return { host };
  if (!/^\d{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  return port >= 1 && port <= 65535 ? { host, port } : undefined;
}

/** `https://host:port`, with an IPv6 host in brackets (Go's `net.JoinHostPort`). */
export function httpsUrl(host: string, port: number): string {
  return `https://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}
