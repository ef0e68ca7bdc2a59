/**
 * What `kubeadm init` creates in the cluster (docs/kubeadm-spec.md §4, §5.2–§5.4), written out
 * independently of the component's object table so that the tests compare the two.
 */

/** One object kubeadm creates: kind, name, namespace, the role it binds (bindings), its subjects, its data keys. */
export interface ExpectedObject {
  readonly kind: string;
  readonly apiVersion: string;
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly roleRef?: { kind: string; name: string };
  /** `Kind/name` or `ServiceAccount/namespace/name`. */
  readonly subjects?: string[];
  readonly rules?: { resources: string[]; verbs: string[]; resourceNames?: string[] }[];
  readonly dataKeys?: string[];
}

const RBAC = "rbac.authorization.k8s.io/v1";
const BOOTSTRAPPERS = "Group/system:bootstrappers:kubeadm:default-node-token";

/** §5.3, §5.4, and the v1.35.5 kubelet-client binding (§2.5). */
export const EXPECTED_CLUSTER_OBJECTS: ExpectedObject[] = [
  { kind: "ClusterRoleBinding", apiVersion: RBAC, name: "kubeadm:cluster-admins", roleRef: { kind: "ClusterRole", name: "cluster-admin" }, subjects: ["Group/kubeadm:cluster-admins"] },
  { kind: "ClusterRoleBinding", apiVersion: RBAC, name: "kubeadm:apiserver-kubelet-client", roleRef: { kind: "ClusterRole", name: "system:kubelet-api-admin" }, subjects: ["User/kube-apiserver-kubelet-client"] },
  { kind: "ClusterRoleBinding", apiVersion: RBAC, name: "kubeadm:kubelet-bootstrap", roleRef: { kind: "ClusterRole", name: "system:node-bootstrapper" }, subjects: [BOOTSTRAPPERS] },
  { kind: "ClusterRole", apiVersion: RBAC, name: "kubeadm:get-nodes", rules: [{ resources: ["nodes"], verbs: ["get"] }] },
  { kind: "ClusterRoleBinding", apiVersion: RBAC, name: "kubeadm:get-nodes", roleRef: { kind: "ClusterRole", name: "kubeadm:get-nodes" }, subjects: [BOOTSTRAPPERS] },
  {
    kind: "ClusterRoleBinding", apiVersion: RBAC, name: "kubeadm:node-autoapprove-bootstrap",
    roleRef: { kind: "ClusterRole", name: "system:certificates.k8s.io:certificatesigningrequests:nodeclient" }, subjects: [BOOTSTRAPPERS],
  },
  {
    kind: "ClusterRoleBinding", apiVersion: RBAC, name: "kubeadm:node-autoapprove-certificate-rotation",
    roleRef: { kind: "ClusterRole", name: "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient" }, subjects: ["Group/system:nodes"],
  },
  { kind: "ConfigMap", apiVersion: "v1", name: "cluster-info", namespace: "kube-public", dataKeys: ["kubeconfig"] },
  {
    kind: "Role", apiVersion: RBAC, name: "kubeadm:bootstrap-signer-clusterinfo", namespace: "kube-public",
    rules: [{ resources: ["configmaps"], verbs: ["get"], resourceNames: ["cluster-info"] }],
  },
  {
    kind: "RoleBinding", apiVersion: RBAC, name: "kubeadm:bootstrap-signer-clusterinfo", namespace: "kube-public",
    roleRef: { kind: "Role", name: "kubeadm:bootstrap-signer-clusterinfo" }, subjects: ["User/system:anonymous"],
  },
];

/** §4: kube-proxy's objects. */
export const EXPECTED_KUBE_PROXY_OBJECTS: ExpectedObject[] = [
  { kind: "ServiceAccount", apiVersion: "v1", name: "kube-proxy", namespace: "kube-system" },
  { kind: "ClusterRoleBinding", apiVersion: RBAC, name: "kubeadm:node-proxier", roleRef: { kind: "ClusterRole", name: "system:node-proxier" }, subjects: ["ServiceAccount/kube-system/kube-proxy"] },
  { kind: "Role", apiVersion: RBAC, name: "kube-proxy", namespace: "kube-system", rules: [{ resources: ["configmaps"], verbs: ["get"], resourceNames: ["kube-proxy"] }] },
  { kind: "RoleBinding", apiVersion: RBAC, name: "kube-proxy", namespace: "kube-system", roleRef: { kind: "Role", name: "kube-proxy" }, subjects: [BOOTSTRAPPERS] },
  { kind: "ConfigMap", apiVersion: "v1", name: "kube-proxy", namespace: "kube-system", labels: { app: "kube-proxy" }, dataKeys: ["config.conf", "kubeconfig.conf"] },
];

/** §5.2: the data keys of a token Secret with both usages, a description, an expiration and extra groups. */
export const EXPECTED_TOKEN_DATA_KEYS = [
  "auth-extra-groups", "description", "expiration", "token-id", "token-secret", "usage-bootstrap-authentication", "usage-bootstrap-signing",
];
