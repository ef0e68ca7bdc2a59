import { canonicalIp, isDns1123Subdomain, isZonedIpv6, parseIp } from "../addresses";
import { fieldPath, listAt, objectAt, quote } from "./fields";
import { sansProblems } from "./sans";
import { Section } from "./section";

/**
 * Longest node name. Kubernetes allows a 253-character DNS-1123 subdomain, but a node name is also
 * a host name (the kubelet's default node name; Linux holds at most 64 bytes) and a file name of
 * the rendered tree (`cloud-init/<name>.yaml.gz` must fit 255 bytes): 63, a DNS label's length.
 */
export const MAX_NODE_NAME_LENGTH = 63;

const CONTROL_PLANE_FIELDS = ["name", "address", "certSANs"];
const MEMBER_FIELDS = ["name", "address"];
const WORKER_FIELDS = ["name", "address"];
const ETCD_FIELDS = ["serverCertSANs", "peerCertSANs", "members"];

/** What one node list holds and how its entries are checked. */
interface NodeList {
  readonly path: string;
  readonly value: unknown;
  readonly fields: readonly string[];
  readonly addressRequired: boolean;
}

/**
 * `controlPlane`, `etcd` (its SANs and dedicated members) and `workers`: each node's fields, node
 * names unique across the three lists, and node addresses unique. Two nodes never share an
 * address: each is its own machine, and a second node at one address would get a second kubelet
 * or etcd serving certificate for the same IP.
 */
export const nodesSection: Section = {
  fields: ["controlPlane", "etcd", "workers"],
  problems: (args) => {
    const problems: string[] = [];
    if (!Array.isArray(args.controlPlane) || args.controlPlane.length === 0) {
      problems.push(`controlPlane: ${quote(args.controlPlane)} must list at least one node ({ name, address })`);
    }
    const etcd = objectAt("etcd", args.etcd, ETCD_FIELDS, problems);
    problems.push(...sansProblems("etcd.serverCertSANs", etcd?.serverCertSANs), ...sansProblems("etcd.peerCertSANs", etcd?.peerCertSANs));
    const lists: NodeList[] = [
      { path: "controlPlane", value: Array.isArray(args.controlPlane) ? args.controlPlane : undefined, fields: CONTROL_PLANE_FIELDS, addressRequired: true },
      { path: "etcd.members", value: etcd?.members, fields: MEMBER_FIELDS, addressRequired: true },
      { path: "workers", value: args.workers, fields: WORKER_FIELDS, addressRequired: false },
    ];
    const names = new Map<string, string>();
    const addresses = new Map<string, string>();
    for (const list of lists) {
      const entries = listAt(list.path, list.value, `nodes ({ ${list.fields.join(", ")} })`, problems) ?? [];
      entries.forEach((entry, i) => {
        const at = `${list.path}[${i}]`;
        const node = objectAt(at, entry, list.fields, problems);
        if (node === undefined) {
          if (entry === undefined) problems.push(`${at}: null is not a node; use { ${list.fields.join(", ")} }`);
          return;
        }
        const label = `${at} (${quote(node.name)})`;
        problems.push(...nameProblems(label, node.name, names, at));
        if (node.address !== undefined || list.addressRequired) problems.push(...addressProblems(label, node.address, addresses));
        if (list.fields.includes("certSANs")) problems.push(...sansProblems(fieldPath(label, "certSANs"), node.certSANs));
      });
    }
    return problems;
  },
};

function nameProblems(label: string, name: unknown, seen: Map<string, string>, at: string): string[] {
  if (typeof name !== "string" || !isDns1123Subdomain(name) || name.length > MAX_NODE_NAME_LENGTH) {
    return [
      `${label}.name: ${quote(name)} is not a DNS-1123 subdomain of at most ${MAX_NODE_NAME_LENGTH} characters ` +
        `(lower-case a-z, 0-9, "-" and ".")`,
    ];
  }
  const other = seen.get(name);
  if (other !== undefined) {
    return [`${label}.name: ${quote(name)} is already used by ${other}; node names must be unique across controlPlane, etcd.members and workers`];
  }
  seen.set(name, at);
  return [];
}

function addressProblems(label: string, address: unknown, seen: Map<string, string>): string[] {
  if (typeof address === "string" && isZonedIpv6(address)) {
    return [`${label}.address: ${quote(address)} is an IPv6 address with a zone, which no certificate can hold; use the address without "%<zone>"`];
  }
  const ip = typeof address === "string" ? parseIp(address) : undefined;
  if (ip === undefined) return [`${label}.address: ${quote(address)} is not an IPv4 or IPv6 address`];
  const key = canonicalIp(ip);
  const other = seen.get(key);
  if (other !== undefined) {
    return [`${label}.address: ${quote(address)} is already the address of ${other}; every node is its own machine with its own address`];
  }
  seen.set(key, label);
  return [];
}
