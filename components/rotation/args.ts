import { AuthorityStage } from "./stages";

/**
 * Generation numbers of a deliberate re-issue. Bumping one re-issues exactly its set of leaf
 * certificates and kubeconfig identities, each with a new key, and nothing else. Every number
 * defaults to 0; start counting from there and only ever increase.
 */
export interface ReissueArgs {
  /** Every leaf certificate and kubeconfig identity of the cluster. */
  readonly all?: number;
  /** Every certificate of one kind on every node, by catalog id, e.g. `{ "etcd-peer": 1, "admin.conf": 2 }`. */
  readonly certificates?: Readonly<Record<string, number>>;
  /** Every certificate of one node (e.g. a compromised node), by node name, e.g. `{ "cp-2": 1 }`. */
  readonly nodes?: Readonly<Record<string, number>>;
}

/**
 * Deliberate re-issue and staged rotation of the CAs and the service-account key. Each stage is
 * one previewable `pulumi up`; see {@link AuthorityStage}.
 */
export interface RotationArgs {
  /** Generation numbers of deliberate re-issues. */
  readonly reissue?: ReissueArgs;
  /** The cluster CA (`ca.crt`): every kubeconfig and API server certificate, kubelet serving certificates. */
  readonly ca?: AuthorityStage;
  /** The etcd CA (`etcd/ca.crt`). */
  readonly "etcd-ca"?: AuthorityStage;
  /** The front-proxy CA (`front-proxy-ca.crt`). */
  readonly "front-proxy-ca"?: AuthorityStage;
  /** The service-account token signing key (`sa.key`, `sa.pub`). */
  readonly sa?: AuthorityStage;
}
