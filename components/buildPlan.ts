import { cidrAddress, parseCidr, parseHostPort } from "./addresses";
import { DEFAULT_ENCRYPTION_ALGORITHM } from "./algorithms";
import { validateBootstrap } from "./bootstrap/validateBootstrap";
import { DEFAULTS } from "./defaults";
import { parseGoDurationHours } from "./duration";
import { ClusterPlan, NodeContext, NodeRole } from "./plan";
import { TRUST_DOMAINS } from "./trustDomains";
import { validateRotation } from "./validateRotation";
import { rotationContext } from "./validation/rotation";
import { EncryptionAlgorithm, KubernetesPkiArgs, TrustDomain } from "./types";

/**
 * The plan of valid arguments (see `validate.ts`): kubeadm's defaults applied, the endpoint split,
 * the first service IP computed, every node with its roles.
 */
export function buildPlan(args: KubernetesPkiArgs): ClusterPlan {
  const bindPort = args.apiServer?.bindPort ?? DEFAULTS.bindPort;
  const serviceSubnets = (args.networking?.serviceSubnet ?? DEFAULTS.serviceSubnet).split(",").map((cidr) => cidr.trim());
  const endpoint = args.controlPlaneEndpoint === undefined ? undefined : parseHostPort(args.controlPlaneEndpoint);
  const algorithm = args.encryptionAlgorithm ?? DEFAULT_ENCRYPTION_ALGORITHM;
  const algorithms = Object.fromEntries(
    TRUST_DOMAINS.map((domain) => [domain, args.trustDomainAlgorithms?.[domain] ?? algorithm]),
  ) as Record<TrustDomain, EncryptionAlgorithm>;
  const hours = (text: string): number => parseGoDurationHours(text)!;
  return {
    clusterName: args.clusterName ?? DEFAULTS.clusterName,
    endpointHost: endpoint?.host ?? args.controlPlane[0].address,
    endpointPort: endpoint?.port ?? bindPort,
    bindPort,
    apiServerServiceIp: cidrAddress(parseCidr(serviceSubnets[0])!, 1),
    serviceSubnets,
    dnsDomain: args.networking?.dnsDomain ?? DEFAULTS.dnsDomain,
    apiServerCertSans: args.apiServer?.certSANs ?? [],
    etcdServerCertSans: args.etcd?.serverCertSANs ?? [],
    etcdPeerCertSans: args.etcd?.peerCertSANs ?? [],
    nodes: planNodes(args),
    algorithms,
    leafValidityHours: hours(args.certificateValidityPeriod ?? DEFAULTS.certificateValidityPeriod),
    caValidityHours: hours(args.caCertificateValidityPeriod ?? DEFAULTS.caCertificateValidityPeriod),
    leafRenewBeforeHours: hours(args.certificateRenewBefore ?? DEFAULTS.certificateRenewBefore),
    caRenewBeforeHours: hours(args.caCertificateRenewBefore ?? DEFAULTS.caCertificateRenewBefore),
    bootstrap: validateBootstrap(args.bootstrap, args.encryptionAtRest).plan,
    rotation: validateRotation(args.rotation, args.trustDomainCertificateRenewBefore, rotationContext(args as unknown as Record<string, unknown>)).plan,
  };
}

/** Control-plane nodes (with stacked etcd unless dedicated members are given), then etcd members, then workers. */
function planNodes(args: KubernetesPkiArgs): NodeContext[] {
  const members = args.etcd?.members ?? [];
  const stackedEtcd = members.length === 0;
  const roles = (...list: NodeRole[]): ReadonlySet<NodeRole> => new Set(list);
  return [
    ...args.controlPlane.map((node) => ({
      name: node.name,
      address: node.address,
      roles: stackedEtcd ? roles("control-plane", "kubelet", "etcd") : roles("control-plane", "kubelet"),
      certSANs: node.certSANs ?? [],
    })),
    ...members.map((member) => ({ name: member.name, address: member.address, roles: roles("etcd"), certSANs: [] })),
    ...(args.workers ?? []).map((worker) => ({ name: worker.name, address: worker.address, roles: roles("kubelet"), certSANs: [] })),
  ];
}
