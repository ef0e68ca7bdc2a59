import { ClusterPlan, NodeContext, NodeRole, Sans } from "../plan";
import { TrustDomain } from "../types";

/** The three certificate authorities, by kubeadm name. */
export type CaId = "ca" | "etcd-ca" | "front-proxy-ca";

/** Extended key usages, in the tls provider's spelling. */
export type ExtendedUsage = "server_auth" | "client_auth";

/** Subject of a certificate. The tls provider takes one organization (one group) per certificate. */
export interface Subject {
  /** CN: the user name Kubernetes sees. */
  readonly commonName: string;
  /** O: the group Kubernetes sees. */
  readonly organization?: string;
}

/** A subject that is the same on every node, or a function of the node (e.g. `system:node:<name>`). */
export type SubjectRule = Subject | ((node: NodeContext) => Subject);

/** A self-signed certificate authority. */
export interface CaSpec {
  readonly kind: "ca";
  /** kubeadm's name of the CA. */
  readonly id: CaId;
  /** Trust domain whose key algorithm the CA and its leaves use. */
  readonly domain: TrustDomain;
  /** What the CA is, for people. */
  readonly description: string;
  /** Path on a node without extension; its files and their paths come from `rowFiles` (`placement.ts`) alone (`.crt`, `.key`). */
  readonly fileStem: string;
  /** Subject CN, also its one DNS SAN (as kubeadm). */
  readonly commonName: string;
  /** Nodes that get the CA certificate. */
  readonly certOn: readonly NodeRole[];
  /** Nodes that get the CA key: only those where a process signs with it. */
  readonly keyOn: readonly NodeRole[];
}

/** A bare key pair (the service-account token signing key). */
export interface KeyPairSpec {
  readonly kind: "key-pair";
  /** kubeadm's base name (`sa`). */
  readonly id: string;
  /** Trust domain whose key algorithm the pair uses. */
  readonly domain: TrustDomain;
  /** What the pair is for, for people. */
  readonly description: string;
  /** Path on a node without extension; its files and their paths come from `rowFiles` (`placement.ts`) alone (`.key` private PEM, `.pub` PKIX public key). */
  readonly fileStem: string;
  /** Nodes that get both halves. */
  readonly on: readonly NodeRole[];
}

/** A leaf certificate and its key, one per node that has `nodes`. */
export interface LeafSpec {
  readonly kind: "leaf";
  /** kubeadm's name (`kubeadm certs check-expiration`), or ours where kubeadm has none. */
  readonly id: string;
  /** The issuing CA. */
  readonly ca: CaId;
  /** What the certificate is for, for people. */
  readonly description: string;
  /** Path on a node without extension; its files and their paths come from `rowFiles` (`placement.ts`) alone (`.crt`, `.key`). */
  readonly fileStem: string;
  /** Nodes that get their own certificate. */
  readonly nodes: NodeRole;
  /** Subject, constant or per node. */
  readonly subject: SubjectRule;
  /** Extended key usages; every leaf also gets digitalSignature and keyEncipherment, as kubeadm. */
  readonly usages: readonly ExtendedUsage[];
  /** SANs, when the certificate is a server certificate. */
  readonly sans?: (node: NodeContext, plan: ClusterPlan) => Sans;
}

/** A kubeconfig with an embedded client certificate signed by the cluster CA. */
export interface KubeconfigSpec {
  readonly kind: "kubeconfig";
  /** kubeadm's file name (`admin.conf`), or ours where kubeadm has none. */
  readonly id: string;
  /** The issuing CA: always the cluster CA. */
  readonly ca: "ca";
  /** What the kubeconfig is for, for people. */
  readonly description: string;
  /** Absolute path on a node: the kubeconfig is one file, named in full. */
  readonly path: string;
  /** Nodes that get their own copy (own key and certificate); absent when no node gets one. */
  readonly nodes?: NodeRole;
  /** Also issued once for the cluster operator (not placed on any node). Needs a constant subject. */
  readonly operator?: boolean;
  /** Client certificate subject: the CN is the user, the O the group. */
  readonly subject: SubjectRule;
  /** API server URL the kubeconfig points at; `node` is absent for the operator's copy. */
  readonly server: (plan: ClusterPlan, node?: NodeContext) => string;
}

/** One row of the catalog. */
export type CatalogRow = CaSpec | KeyPairSpec | LeafSpec | KubeconfigSpec;

/** Rows that issue a certificate from a CA (leaves and kubeconfig client certificates). */
export type IssuedSpec = LeafSpec | KubeconfigSpec;

/** The subject of a row for a node (or, for a constant subject, for the operator). */
export function subjectFor(rule: SubjectRule, node?: NodeContext): Subject {
  if (typeof rule !== "function") return rule;
  if (node === undefined) throw new Error("a per-node subject needs a node");
  return rule(node);
}
