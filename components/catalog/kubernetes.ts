import { controlPlaneEndpointUrl, localEndpointUrl } from "../endpoints";
import { KUBERNETES_DIR, pki } from "../layout";
import { NodeContext } from "../plan";
import { apiServerSans, kubeletServingSans } from "../sans";
import { CaSpec, CatalogRow, KeyPairSpec, KubeconfigSpec, LeafSpec, Subject } from "./types";

/** kubeadm's admin group (v1.29+), bound to `cluster-admin` by the `kubeadm:cluster-admins` ClusterRoleBinding. */
export const CLUSTER_ADMINS_GROUP = "kubeadm:cluster-admins";

/** The user the API server's kubelet client authenticates as, bound to `system:kubelet-api-admin` (kubeadm v1.35.5+). */
export const APISERVER_KUBELET_CLIENT_USER = "kube-apiserver-kubelet-client";

/** A kubelet's identity, as the Node authorizer expects it. */
export const kubeletIdentity = (node: NodeContext): Subject => ({
  commonName: `system:node:${node.name}`,
  organization: "system:nodes",
});

/** The cluster CA: signs the API server, its kubelet client and every kubeconfig identity. */
export const clusterCa: CaSpec = {
  kind: "ca",
  id: "ca",
  domain: "kubernetes",
  description: "cluster CA",
  fileStem: pki("ca"),
  commonName: "kubernetes",
  certOn: ["kubelet", "control-plane"],
  // kube-controller-manager signs kubelet CSRs with it (--cluster-signing-key-file).
  keyOn: ["control-plane"],
};

/** The service-account token signing key pair. */
export const serviceAccountKey: KeyPairSpec = {
  kind: "key-pair",
  id: "sa",
  domain: "service-account",
  description: "service-account token signing key",
  fileStem: pki("sa"),
  on: ["control-plane"],
};

/** The API server's serving certificate, with kubeadm's SANs for the node. */
export const apiServer: LeafSpec = {
  kind: "leaf",
  id: "apiserver",
  ca: "ca",
  description: "API server serving certificate",
  fileStem: pki("apiserver"),
  nodes: "control-plane",
  subject: { commonName: "kube-apiserver" },
  usages: ["server_auth"],
  sans: apiServerSans,
};

/**
 * The API server's client certificate to kubelets (logs, exec, proxy). No O since kubeadm v1.35.5:
 * kubelets authorise the user through the ClusterRoleBinding `kubeadm:apiserver-kubelet-client`
 * → `system:kubelet-api-admin`, not through cluster-admin rights.
 */
export const apiServerKubeletClient: LeafSpec = {
  kind: "leaf",
  id: "apiserver-kubelet-client",
  ca: "ca",
  description: "API server client certificate to kubelets",
  fileStem: pki("apiserver-kubelet-client"),
  nodes: "control-plane",
  subject: { commonName: APISERVER_KUBELET_CLIENT_USER },
  usages: ["client_auth"],
};

/** The kubelet's serving certificate, signed by the cluster CA (kubeadm leaves it self-signed). */
export const kubeletServing: LeafSpec = {
  kind: "leaf",
  id: "kubelet-serving",
  ca: "ca",
  description: "kubelet serving certificate",
  fileStem: "/var/lib/kubelet/pki/kubelet",
  nodes: "kubelet",
  subject: kubeletIdentity,
  usages: ["server_auth"],
  sans: kubeletServingSans,
};

/** `admin.conf`: an administrator in `kubeadm:cluster-admins`, on every control-plane node and for the operator. */
export const adminConf: KubeconfigSpec = {
  kind: "kubeconfig",
  id: "admin.conf",
  ca: "ca",
  description: "administrator kubeconfig",
  path: `${KUBERNETES_DIR}/admin.conf`,
  nodes: "control-plane",
  operator: true,
  subject: { commonName: "kubernetes-admin", organization: CLUSTER_ADMINS_GROUP },
  server: controlPlaneEndpointUrl,
};

/** `super-admin.conf`: break-glass `system:masters`, issued to the operator only, never placed on a node. */
export const superAdminConf: KubeconfigSpec = {
  kind: "kubeconfig",
  id: "super-admin.conf",
  ca: "ca",
  description: "break-glass super-administrator kubeconfig",
  path: `${KUBERNETES_DIR}/super-admin.conf`,
  operator: true,
  subject: { commonName: "kubernetes-super-admin", organization: "system:masters" },
  server: controlPlaneEndpointUrl,
};

/** kube-controller-manager's kubeconfig, pointing at the node's own API server. */
export const controllerManagerConf: KubeconfigSpec = {
  kind: "kubeconfig",
  id: "controller-manager.conf",
  ca: "ca",
  description: "kube-controller-manager kubeconfig",
  path: `${KUBERNETES_DIR}/controller-manager.conf`,
  nodes: "control-plane",
  subject: { commonName: "system:kube-controller-manager" },
  server: localEndpointUrl,
};

/** kube-scheduler's kubeconfig, pointing at the node's own API server. */
export const schedulerConf: KubeconfigSpec = {
  kind: "kubeconfig",
  id: "scheduler.conf",
  ca: "ca",
  description: "kube-scheduler kubeconfig",
  path: `${KUBERNETES_DIR}/scheduler.conf`,
  nodes: "control-plane",
  subject: { commonName: "system:kube-scheduler" },
  server: localEndpointUrl,
};

/** The kubelet's kubeconfig; control-plane kubelets talk to their local API server (kubeadm v1.33+). */
export const kubeletConf: KubeconfigSpec = {
  kind: "kubeconfig",
  id: "kubelet.conf",
  ca: "ca",
  description: "kubelet kubeconfig",
  path: `${KUBERNETES_DIR}/kubelet.conf`,
  nodes: "kubelet",
  subject: kubeletIdentity,
  server: localEndpointUrl,
};

/** kube-proxy's kubeconfig as `system:kube-proxy`, bound to `system:node-proxier` by default RBAC. */
export const kubeProxyConf: KubeconfigSpec = {
  kind: "kubeconfig",
  id: "kube-proxy.conf",
  ca: "ca",
  description: "kube-proxy kubeconfig",
  path: "/var/lib/kube-proxy/kubeconfig.conf",
  nodes: "kubelet",
  subject: { commonName: "system:kube-proxy" },
  server: controlPlaneEndpointUrl,
};

/** The cluster CA's trust domain. */
export const kubernetesDomain: readonly CatalogRow[] = [
  clusterCa,
  serviceAccountKey,
  apiServer,
  apiServerKubeletClient,
  kubeletServing,
  adminConf,
  superAdminConf,
  controllerManagerConf,
  schedulerConf,
  kubeletConf,
  kubeProxyConf,
];
