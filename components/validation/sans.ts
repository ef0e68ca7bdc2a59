import { isDnsSan, isIpAddress, isZonedIpv6 } from "../addresses";
import { listAt, quote } from "./fields";

/** Problems of a list of extra SANs: each an IP address or a DNS name (DNS-1123 subdomain or `*.` wildcard). */
export function sansProblems(path: string, value: unknown): string[] {
  const problems: string[] = [];
  const sans = listAt(path, value, "IP addresses and DNS names", problems) ?? [];
  sans.forEach((san, i) => {
    if (typeof san === "string" && isZonedIpv6(san)) {
      problems.push(`${path}[${i}]: ${quote(san)} is an IPv6 address with a zone, which no certificate can hold; use the address without "%<zone>"`);
    } else if (typeof san !== "string" || !(isIpAddress(san) || isDnsSan(san))) {
      problems.push(`${path}[${i}]: ${quote(san)} is neither an IP address nor a DNS name (DNS-1123 subdomain or *.wildcard)`);
    }
  });
  return problems;
}
