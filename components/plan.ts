import { BootstrapPlan } from "./bootstrap/plan";
import { RotationPlan } from "./rotation/plan";
import { EncryptionAlgorithm, TrustDomain } from "./types";

/**
 * What a node runs; decides which catalog rows it gets. Control-plane nodes and workers run a
 * kubelet (and kube-proxy); control-plane nodes also run etcd unless dedicated members are given.
 */
export type NodeRole = "control-plane" | "etcd" | "kubelet";

/** One machine of the cluster, as the catalog's subject and SAN functions see it. */
export interface NodeContext {
  /** Node name (kubelet identity, etcd member name). */
  readonly name: string;
  /** Advertise address; absent only for workers declared without one. */
  readonly address?: string;
  /** What the node runs: a control-plane node with stacked etcd has both `control-plane` and `etcd`. */
  readonly roles: ReadonlySet<NodeRole>;
  /** Extra API server SANs of this node (control-plane nodes only). */
  readonly certSANs: readonly string[];
}

/** SANs split the way the tls provider takes them. */
export interface Sans {
  /** DNS names (and `*.` wildcards). */
  readonly dnsNames: readonly string[];
  /** IPv4 and IPv6 addresses. */
  readonly ipAddresses: readonly string[];
}

/** The validated, defaulted cluster inputs: everything the catalog and the renderers need. */
export interface ClusterPlan {
  /** Cluster name of the kubeconfigs. */
  readonly clusterName: string;
  /** Host clients use to reach the API servers (no port). */
  readonly endpointHost: string;
  /** Port clients use to reach the API servers. */
  readonly endpointPort: number;
  /** Port every API server listens on. */
  readonly bindPort: number;
  /** First address of the first service CIDR (`10.96.0.1` by default). */
  readonly apiServerServiceIp: string;
  /** Service CIDRs, primary first. */
  readonly serviceSubnets: readonly string[];
  /** Cluster DNS domain (`kubernetes.default.svc.<dnsDomain>`). */
  readonly dnsDomain: string;
  /** `apiServer.certSANs`. */
  readonly apiServerCertSans: readonly string[];
  /** `etcd.serverCertSANs`. */
  readonly etcdServerCertSans: readonly string[];
  /** `etcd.peerCertSANs`. */
  readonly etcdPeerCertSans: readonly string[];
  /** Every node, control-plane nodes first, then dedicated etcd members, then workers. */
  readonly nodes: readonly NodeContext[];
  /** Key algorithm per trust domain. */
  readonly algorithms: Readonly<Record<TrustDomain, EncryptionAlgorithm>>;
  /** Validity of leaf certificates, in hours. */
  readonly leafValidityHours: number;
  /** Validity of CA certificates, in hours. */
  readonly caValidityHours: number;
  /** Hours before a leaf's expiry from which an update re-issues it. */
  readonly leafRenewBeforeHours: number;
  /** Hours before a CA certificate's expiry from which every preview warns that its staged rotation is due. */
  readonly caRenewBeforeHours: number;
  /** Bootstrap tokens, kube-proxy's objects and encryption at rest. */
  readonly bootstrap: BootstrapPlan;
  /** Re-issue generations, staged rotations and per-domain renewal windows. */
  readonly rotation: RotationPlan;
}

/** Nodes of the plan that have a role. */
export function nodesWithRole(plan: ClusterPlan, role: NodeRole): NodeContext[] {
  return plan.nodes.filter((node) => node.roles.has(role));
}
