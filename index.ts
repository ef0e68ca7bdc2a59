import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_USER_DATA_COMPRESSION, KubernetesBootstrap, KubernetesPki, KubernetesPkiArgs, manifestFiles } from "./components";

// The stack program: the same code runs under `pulumi up` and under the offline renderer.
const config = new pulumi.Config("kubernetes-pki");
const cluster = config.requireObject<KubernetesPkiArgs>("cluster");
const pki = new KubernetesPki(pulumi.getStack(), cluster);

/** CA certificates by CA id. */
export const caCertificates = pki.caCertificates;
/** `sa.pub`. */
export const serviceAccountPublicKey = pki.serviceAccount.publicKeyPem;
/** The operator's `admin.conf` (secret). */
export const adminKubeconfig = pki.kubeconfigs.admin;
/** The operator's break-glass `super-admin.conf` (secret). */
export const superAdminKubeconfig = pki.kubeconfigs.superAdmin;
/** Every node's files, by node name and path (secret). */
export const files = pki.files;
/** Every node's cloud-init user-data (secret), rendered with the stack's `userData` options. */
export const userData = pki.userData;
/** How `userData` is compressed (`document`: base64 of gzip bytes). */
export const userDataCompression = cluster.userData?.compression ?? DEFAULT_USER_DATA_COMPRESSION;
/** Every node's user-data size in bytes. */
export const userDataSizes = pki.userDataSizes;
/** Every node's secret-store bundle size in bytes. */
export const bundleSizes = pki.bundleSizes;
/** What `kubeadm init` creates in the cluster, one YAML file per object (secret when they hold tokens). */
export const bootstrapManifestFiles = pki.bootstrapManifests.apply((manifests) => manifestFiles(pki.bootstrap.objects, manifests));
/** Bootstrap tokens by name, with `bootstrap-kubelet.conf` and the join files (secret). */
export const bootstrapTokens = pki.bootstrapTokens;
/** Cloud-init user-data of a node joining with each token, rendered with the stack's `userData` options (secret). */
export const joinUserData = pulumi.all(Object.fromEntries(pki.plan.bootstrap.tokens.map((token) => [token.name, pki.joinUserData(token.name)])));
/** Every `--discovery-token-ca-cert-hash` for `kubeadm join`, issuing CA first (two during a cluster-CA rotation). */
export const discoveryTokenCaCertHashes = pki.discoveryTokenCaCertHashes;

// With `kubernetes-pki:applyBootstrap: true` the stack also creates the bootstrap objects in the
// running cluster, through the admin kubeconfig; the offline render only writes them as manifests.
if (config.getBoolean("applyBootstrap") === true) {
  new KubernetesBootstrap(pulumi.getStack(), { pki });
}
/** One row per certificate: expiry, renewal time, issuing CA and generations. */
export const expiryReport = pki.expiryReport;
