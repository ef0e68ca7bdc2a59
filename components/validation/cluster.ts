import { isDns1123Subdomain, isUnbracketedIpv6, isZonedIpv6, parseHostPort } from "../addresses";
import { quote } from "./fields";
import { Section } from "./section";

/** `clusterName` and `controlPlaneEndpoint`. */
export const clusterSection: Section = {
  fields: ["clusterName", "controlPlaneEndpoint"],
  problems: (args) => [...clusterNameProblems(args.clusterName), ...endpointProblems(args.controlPlaneEndpoint)],
};

function clusterNameProblems(name: unknown): string[] {
  if (name === undefined || (typeof name === "string" && isDns1123Subdomain(name))) return [];
  return [`clusterName: ${quote(name)} is not a DNS-1123 subdomain (lower-case a-z, 0-9, "-" and ".")`];
}

function endpointProblems(endpoint: unknown): string[] {
  if (endpoint === undefined) return [];
  if (typeof endpoint === "string" && isUnbracketedIpv6(endpoint)) {
    return [
      `controlPlaneEndpoint: ${quote(endpoint)} has an IPv6 host without brackets, so its port cannot be told apart; ` +
        `write the host in brackets, e.g. "[fd00::10]:6443" or "[fd00::10]"`,
    ];
  }
  if (typeof endpoint === "string" && endpoint.startsWith("[") && isZonedIpv6(endpoint.slice(1, endpoint.indexOf("]")))) {
    return [`controlPlaneEndpoint: ${quote(endpoint)} has an IPv6 zone, which no certificate can hold; use the address without "%<zone>"`];
  }
  if (typeof endpoint === "string" && parseHostPort(endpoint) !== undefined) return [];
  return [
    `controlPlaneEndpoint: ${quote(endpoint)} is not host[:port] with a DNS name or IP host ` +
      `and a port from 1 to 65535, e.g. "api.example.com:6443" or "[fd00::10]:6443"`,
  ];
}
