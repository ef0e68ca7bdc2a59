import { isIpAddress } from "./addresses";
import { ClusterPlan, NodeContext, Sans } from "./plan";

/** Splits SAN strings into DNS names and IP addresses, dropping duplicates (first wins). */
export function splitSans(values: readonly string[]): Sans {
  const unique = [...new Set(values)];
  return {
    dnsNames: unique.filter((value) => !isIpAddress(value)),
    ipAddresses: unique.filter(isIpAddress),
  };
}

/**
 * API server SANs, as kubeadm's `GetAPIServerAltNames`: node name, `kubernetes`,
 * `kubernetes.default`, `kubernetes.default.svc`, `kubernetes.default.svc.<dnsDomain>`, the endpoint
 * host and certSANs (DNS names de-duplicated and sorted); the first service IP, the node address,
 * the endpoint host if it is an IP and certSANs IPs (order kept).
 */
export function apiServerSans(node: NodeContext, plan: ClusterPlan): Sans {
  const extra = splitSans([plan.endpointHost, ...plan.apiServerCertSans, ...node.certSANs]);
  const dnsNames = [
    node.name,
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    `kubernetes.default.svc.${plan.dnsDomain}`,
    ...extra.dnsNames,
  ];
  return {
    dnsNames: [...new Set(dnsNames)].sort(),
    ipAddresses: [...new Set([plan.apiServerServiceIp, ...addressOf(node), ...extra.ipAddresses])],
  };
}

/** etcd serving SANs, as kubeadm: node name, `localhost`, node address, `127.0.0.1`, `::1`, serverCertSANs. */
export function etcdServerSans(node: NodeContext, plan: ClusterPlan): Sans {
  return etcdSans(node, plan.etcdServerCertSans);
}

/** etcd peer SANs, as kubeadm: the same base set as the server, plus peerCertSANs. */
export function etcdPeerSans(node: NodeContext, plan: ClusterPlan): Sans {
  return etcdSans(node, plan.etcdPeerCertSans);
}

/** kubelet serving SANs: node name and, when known, node address (what a kubelet-serving CSR carries). */
export function kubeletServingSans(node: NodeContext): Sans {
  return { dnsNames: [node.name], ipAddresses: addressOf(node) };
}

function etcdSans(node: NodeContext, extraSans: readonly string[]): Sans {
  const extra = splitSans(extraSans);
  return {
    dnsNames: [...new Set([node.name, "localhost", ...extra.dnsNames])],
    ipAddresses: [...new Set([...addressOf(node), "127.0.0.1", "::1", ...extra.ipAddresses])],
  };
}

function addressOf(node: NodeContext): string[] {
  return node.address === undefined ? [] : [node.address];
}
