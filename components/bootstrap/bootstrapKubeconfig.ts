import { stringify } from "yaml";

/** The user a bootstrap kubeconfig names (kubeadm `TokenUser`). */
export const TOKEN_USER = "tls-bootstrap-token-user";

/** kubeadm's cluster name in a bootstrap kubeconfig (`CreateWithToken(server, "kubernetes", …)`). */
const BOOTSTRAP_CLUSTER = "kubernetes";

const base64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

/**
 * `/etc/kubernetes/bootstrap-kubelet.conf` as kubeadm's `CreateWithToken` writes it: cluster
 * `kubernetes`, user `tls-bootstrap-token-user` with `token: <id>.<secret>`, context
 * `tls-bootstrap-token-user@kubernetes`. Same inputs, same bytes. `caCertPem` is the cluster CA
 * bundle, as kubeadm copies it from `cluster-info`: both generations during a rotation.
 */
export function renderBootstrapKubeconfig(k: { server: string; caCertPem: string; token: string }): string {
  const context = `${TOKEN_USER}@${BOOTSTRAP_CLUSTER}`;
  return stringify({
    apiVersion: "v1",
    clusters: [{ cluster: { "certificate-authority-data": base64(k.caCertPem), server: k.server }, name: BOOTSTRAP_CLUSTER }],
    contexts: [{ context: { cluster: BOOTSTRAP_CLUSTER, user: TOKEN_USER }, name: context }],
    "current-context": context,
    kind: "Config",
    preferences: {},
    users: [{ name: TOKEN_USER, user: { token: k.token } }],
  }, { lineWidth: 0 });
}

/**
 * The `kubeconfig` of the `cluster-info` ConfigMap (docs/kubeadm-spec.md §5.3): the endpoint's cluster
 * entry under the empty name, nothing else. `caCertPem` is the cluster CA bundle: during a
 * rotation it holds both generations (docs/kubeadm-spec.md §7.4 step 9), so nodes joining in any phase
 * trust the API server and pass discovery with either CA's hash.
 */
export function renderClusterInfoKubeconfig(k: { server: string; caCertPem: string }): string {
  return stringify({
    apiVersion: "v1",
    clusters: [{ cluster: { "certificate-authority-data": base64(k.caCertPem), server: k.server }, name: "" }],
    contexts: null,
    "current-context": "",
    kind: "Config",
    preferences: {},
    users: null,
  }, { lineWidth: 0 });
}
