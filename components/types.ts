import { BootstrapArgs, EncryptionAtRestArgs } from "./bootstrap/args";
import { CloudInitOptions } from "./cloudInit";
import { NodeBundleOptions } from "./nodeBundle";
import { RotationArgs } from "./rotation/args";

/**
 * Public input types of {@link KubernetesPki}, in kubeadm's vocabulary (`ClusterConfiguration` v1beta4).
 */

/** Key algorithm of every key in a trust domain, as kubeadm's `encryptionAlgorithm`. */
export type EncryptionAlgorithm = "RSA-2048" | "RSA-3072" | "RSA-4096" | "ECDSA-P256" | "ECDSA-P384";

/** The four trust domains of a control plane; each can use its own key algorithm. */
export type TrustDomain = "kubernetes" | "etcd" | "front-proxy" | "service-account";

/** A control-plane node: runs kube-apiserver, kube-controller-manager, kube-scheduler and (stacked) etcd. */
export interface ControlPlaneNode {
  /** Node name as kubeadm's `nodeRegistration.name`: a lower-case DNS-1123 subdomain, e.g. `cp-1`. */
  readonly name: string;
  /** The node's advertise address (`localAPIEndpoint.advertiseAddress`): an IPv4 or IPv6 address. */
  readonly address: string;
  /** Extra SANs (IP addresses or DNS names) for this node's API server certificate only. */
  readonly certSANs?: readonly string[];
}

/** A dedicated etcd member, for clusters whose etcd does not run on the control-plane nodes. */
export interface EtcdMember {
  /** Member name (etcd `--name`), a DNS-1123 subdomain. */
  readonly name: string;
  /** The member's advertise address: an IPv4 or IPv6 address. */
  readonly address: string;
}

/** A worker node: runs a kubelet and kube-proxy only. */
export interface WorkerNode {
  /** Node name, a DNS-1123 subdomain; the kubelet's identity is `system:node:<name>`. */
  readonly name: string;
  /** The node's address, added to its kubelet serving certificate when given. */
  readonly address?: string;
}

/** Cluster networking, as kubeadm's `networking`. */
export interface NetworkingArgs {
  /**
   * Service CIDR, or two comma-separated CIDRs of different families for dual-stack. Default
   * `10.96.0.0/12`. The API server certificate gets the first address of the first CIDR only.
   */
  readonly serviceSubnet?: string;
  /** Cluster DNS domain. Default `cluster.local`. */
  readonly dnsDomain?: string;
}

/** API server settings, as kubeadm's `apiServer` and `localAPIEndpoint`. */
export interface ApiServerArgs {
  /** Extra SANs (IP addresses, DNS names or `*.` wildcards) for every API server certificate. */
  readonly certSANs?: readonly string[];
  /** Port the API servers listen on. Default 6443. */
  readonly bindPort?: number;
}

/** etcd settings, as kubeadm's `etcd.local`, plus optional dedicated members. */
export interface EtcdArgs {
  /** Extra SANs for every etcd server certificate. */
  readonly serverCertSANs?: readonly string[];
  /** Extra SANs for every etcd peer certificate. */
  readonly peerCertSANs?: readonly string[];
  /**
   * Dedicated etcd members. When given, etcd runs on these hosts instead of on the control-plane
   * nodes (no etcd server or peer certificate is issued to a control-plane node).
   */
  readonly members?: readonly EtcdMember[];
}

/** Arguments to {@link KubernetesPki}. */
export interface KubernetesPkiArgs {
  /** Cluster name, used for kubeconfig cluster and context names. Default `kubernetes`. */
  readonly clusterName?: string;
  /**
   * `host[:port]` that clients use to reach the API servers (a load balancer or DNS name), e.g.
   * `api.example.com:6443`; IPv6 hosts in brackets. Default: the first control-plane node's address
   * and `apiServer.bindPort`.
   */
  readonly controlPlaneEndpoint?: string;
  /** Service CIDR(s) and DNS domain. */
  readonly networking?: NetworkingArgs;
  /** API server SANs and port. */
  readonly apiServer?: ApiServerArgs;
  /**
   * Control-plane nodes, at least one. Plain values, not Inputs: certificates are created per node
   * name when the component is constructed. Adding or removing a node re-issues nothing for the others.
   */
  readonly controlPlane: readonly ControlPlaneNode[];
  /** etcd SANs and optional dedicated members. Without members, every control-plane node runs etcd. */
  readonly etcd?: EtcdArgs;
  /** Worker nodes; each gets a kubelet identity, a kubelet serving certificate and a kube-proxy identity. */
  readonly workers?: readonly WorkerNode[];
  /** Key algorithm of every key. Default `RSA-2048`. */
  readonly encryptionAlgorithm?: EncryptionAlgorithm;
  /** Per trust domain overrides of `encryptionAlgorithm`, e.g. `{ etcd: "ECDSA-P256" }`. */
  readonly trustDomainAlgorithms?: Partial<Record<TrustDomain, EncryptionAlgorithm>>;
  /** Validity of every leaf certificate, as a Go duration in whole hours. Default `8760h` (1 year). */
  readonly certificateValidityPeriod?: string;
  /** Validity of the CA certificates, as a Go duration in whole hours. Default `87600h` (10 years). */
  readonly caCertificateValidityPeriod?: string;
  /**
   * How long before expiry a plain `pulumi preview` plans to re-issue a leaf certificate with a new
   * key (and the tls provider's `earlyRenewalHours`). Default `720h` (30 days). Must be shorter than the validity.
   */
  readonly certificateRenewBefore?: string;
  /** Per trust domain overrides of `certificateRenewBefore`, e.g. `{ etcd: "1440h" }`. */
  readonly trustDomainCertificateRenewBefore?: Partial<Record<TrustDomain, string>>;
  /**
   * How long before a CA certificate expires every preview warns, naming the CA, its expiry and the
   * staged-rotation steps. CA certificates are never replaced automatically. Default `8760h`.
   */
  readonly caCertificateRenewBefore?: string;
  /** Deliberate re-issue (generation numbers) and staged rotation of the CAs and the service-account key. */
  readonly rotation?: RotationArgs;
  /** How every node's cloud-init user-data (`userData` output, `cloudInit()`) is rendered, and its size limit. */
  readonly userData?: CloudInitOptions;
  /** How every node's secret-store bundle (`nodeBundle()`) is encoded, and its size limit. */
  readonly bundles?: NodeBundleOptions;
  /**
   * What `kubeadm init` creates in the cluster besides the files: bootstrap tokens for nodes that
   * join with TLS bootstrapping, and optionally kube-proxy's objects. The RBAC bindings and
   * `cluster-info` are always part of the bootstrap objects.
   */
  readonly bootstrap?: BootstrapArgs;
  /**
   * Encryption at rest: an `EncryptionConfiguration` at `/etc/kubernetes/pki/encryption-config.yaml`
   * on every control-plane node, for kube-apiserver `--encryption-provider-config`. Off when absent.
   */
  readonly encryptionAtRest?: EncryptionAtRestArgs;
}

export {
  BootstrapArgs,
  BootstrapTokenArgs,
  BootstrapTokenUsage,
  EncryptionAtRestArgs,
  EncryptionKeyArgs,
  EncryptionProvider,
} from "./bootstrap/args";
