import { cidrHostBits, cidrSize, isDns1123Subdomain, parseCidr } from "../addresses";
import { objectAt, quote } from "./fields";
import { Section } from "./section";

/** Fewest addresses a service CIDR may have: kubeadm puts cluster DNS at index 10. */
const MIN_SERVICE_SUBNET_SIZE = 16n;

/** Most host bits a service CIDR may have: kubeadm's `MaximumBitsForServiceSubnet` (IPv4 /12, IPv6 /108). */
export const MAX_SERVICE_SUBNET_HOST_BITS = 20;

const NETWORKING_FIELDS = ["serviceSubnet", "dnsDomain"];

/** `networking.serviceSubnet` (one CIDR or a dual-stack pair) and `networking.dnsDomain`. */
export const networkingSection: Section = {
  fields: ["networking"],
  problems: (args) => {
    const problems: string[] = [];
    const networking = objectAt("networking", args.networking, NETWORKING_FIELDS, problems);
    if (networking === undefined) return problems;
    const { dnsDomain, serviceSubnet } = networking;
    if (dnsDomain !== undefined && !(typeof dnsDomain === "string" && isDns1123Subdomain(dnsDomain))) {
      problems.push(`networking.dnsDomain: ${quote(dnsDomain)} is not a DNS-1123 subdomain, e.g. "cluster.local"`);
    }
    if (serviceSubnet !== undefined) problems.push(...serviceSubnetProblems(serviceSubnet));
    return problems;
  },
};

function serviceSubnetProblems(value: unknown): string[] {
  const example = `e.g. "10.96.0.0/12" or "fd00:10:96::/112"`;
  if (typeof value !== "string") return [`networking.serviceSubnet: ${quote(value)} is not a CIDR, ${example}`];
  const problems: string[] = [];
  const texts = value.split(",").map((cidr) => cidr.trim());
  const cidrs = texts.map(parseCidr);
  texts.forEach((text, i) => {
    const cidr = cidrs[i];
    if (cidr === undefined) {
      const zone = text.includes("%") ? "; an IPv6 zone has no place in a CIDR" : "";
      problems.push(`networking.serviceSubnet: ${quote(text)} is not a CIDR${zone}, ${example}`);
    } else if (cidrSize(cidr) < MIN_SERVICE_SUBNET_SIZE) {
      problems.push(
        `networking.serviceSubnet: ${quote(text)} is too small; it needs at least ${MIN_SERVICE_SUBNET_SIZE} addresses ` +
          `(IPv4 prefix /28 or shorter, IPv6 /124 or shorter)`,
      );
    } else if (cidrHostBits(cidr) > MAX_SERVICE_SUBNET_HOST_BITS) {
      problems.push(
        `networking.serviceSubnet: ${quote(text)} is too large; kubeadm allows at most ${MAX_SERVICE_SUBNET_HOST_BITS} host bits ` +
          `(IPv4 prefix /12 or longer, IPv6 /108 or longer)`,
      );
    }
  });
  if (texts.length > 2 || (cidrs.length === 2 && cidrs[0] && cidrs[1] && cidrs[0].family === cidrs[1].family)) {
    problems.push(`networking.serviceSubnet: ${quote(value)} must be one CIDR, or two of different IP families for dual-stack`);
  }
  return problems;
}
