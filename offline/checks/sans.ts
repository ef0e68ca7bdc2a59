import { isIpAddress } from "../../components/addresses";
import { adminConf, apiServer, controllerManagerConf, kubeletServing, schedulerConf } from "../../components/catalog/kubernetes";
import { etcdPeer, etcdServer } from "../../components/catalog/etcd";
import { CertificateEntry } from "../inspect/inventory";
import { Check, InspectedNode, InspectedTree, OPERATOR, Problem } from "./inspectedTree";
import { parseKubeconfig } from "../inspect/kubeconfigDocument";
import { readExtensions } from "../inspect/x509Extensions";

const DEFAULT_DNS_DOMAIN = "cluster.local";
const SERVICE_NAME = /^kubernetes\.default\.svc\.(.+)$/;

/**
 * SANs, as kubeadm's `validateCertificateWithConfig` (every expected name must verify, extra names
 * are fine), with what kubeadm would expect recomputed from what the tree shows:
 * - apiserver: the node name, `kubernetes`, `kubernetes.default`, `kubernetes.default.svc`,
 *   `kubernetes.default.svc.<domain>` (`--dns-domain`, else the domain most apiserver certificates
 *   of the tree name, else `cluster.local`); the node's address (the host of its
 *   controller-manager.conf / scheduler.conf server, the node's own API server); the control-plane
 *   endpoint host (admin.conf's server); every `--apiserver-san`; and every SAN that all the other
 *   apiserver certificates carry when there are at least two others (the service IP, certSANs).
 * - etcd-server, etcd-peer: the node name, `localhost`, `127.0.0.1`, `::1` and the node's address.
 * - kubelet-serving: the node name and the node's address.
 * The node's address is only known on control-plane nodes; elsewhere it is not checked.
 */
export const checkSans: Check = (tree, options) => {
  const problems: Problem[] = [];
  const domain = options.dnsDomain ?? inferDnsDomain(tree);
  const endpointHost = hostOf(tree.nodes.map((node) => node.files.get(adminConf.path)).find((f) => f !== undefined)?.content);
  const apiServerCerts = tree.nodes.flatMap((node) => node.certificates.filter((e) => e.name === apiServer.id));

  for (const node of tree.nodes) {
    if (node.name === OPERATOR) continue;
    const address = nodeAddress(node);
    const own = [node.name, ...(address === undefined ? [] : [address])];
    for (const entry of node.certificates) {
      let required: string[];
      if (entry.name === apiServer.id) {
        const kubeadm = ["kubernetes", "kubernetes.default", "kubernetes.default.svc", `kubernetes.default.svc.${domain}`];
        required = [...own, ...kubeadm, ...(endpointHost === undefined ? [] : [endpointHost]), ...options.apiServerSans, ...sharedSans(apiServerCerts, entry)];
      } else if (entry.name === etcdServer.id || entry.name === etcdPeer.id) {
        required = [...own, "localhost", "127.0.0.1", "::1"];
      } else if (entry.name === kubeletServing.id) {
        required = own;
      } else {
        continue;
      }
      const missing = [...new Set(required)].filter((san) => !covers(entry, san));
      if (missing.length > 0) {
        problems.push({
          node: node.name,
          file: entry.path,
          check: "sans",
          message: `${entry.name} lacks SAN ${missing.map((san) => (isIpAddress(san) ? `IP:${san}` : `DNS:${san}`)).join(", ")}`,
        });
      }
    }
  }
  return problems;
};

/** True when the certificate is valid for the name or address (wildcards included), as Go's `VerifyHostname`. */
function covers(entry: CertificateEntry, san: string): boolean {
  return isIpAddress(san) ? entry.certificate.checkIP(san) !== undefined : entry.certificate.checkHost(san, { subject: "never" }) !== undefined;
}

/** SANs every other apiserver certificate carries, when there are at least two others to agree. */
function sharedSans(all: readonly CertificateEntry[], entry: CertificateEntry): string[] {
  const others = all.filter((e) => e !== entry);
  if (others.length < 2) return [];
  const sansOf = (e: CertificateEntry): string[] => {
    const ext = readExtensions(e.certificate);
    return [...ext.dnsNames, ...ext.ipAddresses];
  };
  const [first, ...rest] = others.map(sansOf);
  return first.filter((san) => rest.every((sans) => sans.includes(san)));
}

/** The DNS domain most apiserver certificates of the tree name in `kubernetes.default.svc.<domain>`. */
function inferDnsDomain(tree: InspectedTree): string {
  const counts = new Map<string, number>();
  for (const node of tree.nodes) {
    for (const entry of node.certificates.filter((e) => e.name === apiServer.id)) {
      for (const name of readExtensions(entry.certificate).dnsNames) {
        const match = SERVICE_NAME.exec(name);
        if (match !== null) counts.set(match[1], (counts.get(match[1]) ?? 0) + 1);
      }
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? DEFAULT_DNS_DOMAIN;
}

/** A control-plane node's advertise address: the host of its own API server in its local kubeconfigs. */
function nodeAddress(node: InspectedNode): string | undefined {
  for (const spec of [controllerManagerConf, schedulerConf]) {
    const host = hostOf(node.files.get(spec.path)?.content);
    if (host !== undefined && isIpAddress(host)) return host;
  }
  return undefined;
}

/** The host of a kubeconfig's server URL (IPv6 without brackets); undefined when unreadable. */
function hostOf(kubeconfig: string | undefined): string | undefined {
  if (kubeconfig === undefined) return undefined;
  try {
    const server = parseKubeconfig(kubeconfig).server;
    return server === undefined ? undefined : new URL(server).hostname.replace(/^\[(.*)\]$/, "$1");
  } catch {
    return undefined;
  }
}
