export * from "./types";
export { KubernetesPki, OperatorKubeconfigs, ServiceAccountKeyPair } from "./kubernetesPki";
export { KubernetesPkiInputError } from "./validate";
export { NodeFile, NodeFiles, PKI_DIR } from "./layout";
export { CATALOG, CaId, CatalogRow } from "./catalog";
export { ClusterPlan, NodeContext, NodeRole } from "./plan";
export { renderKubeconfig, KubeconfigInput } from "./kubeconfig";
export { CloudInitOptions, DEFAULT_USER_DATA_COMPRESSION, UserDataCompression, USER_DATA_LIMITS, renderCloudInit } from "./cloudInit";
export {
  NodeBundleOptions,
  BundleEncoding,
  SECRET_STORE_LIMITS,
  renderNodeBundle,
  bundleInstallScript,
  awsSecretsManagerFetchCommand,
} from "./nodeBundle";
export { KubernetesBootstrap, KubernetesBootstrapArgs } from "./bootstrap/kubernetesBootstrap";
export { BootstrapToken, BOOTSTRAP_KUBECONFIG_PATH } from "./bootstrap/clusterBootstrap";
export { BootstrapObject, Manifest, ManifestKind, NODE_BOOTSTRAP_TOKEN_GROUP, bootstrapObjects, bootstrapManifests } from "./bootstrap/objects";
export { ManifestFile, manifestFiles } from "./bootstrap/manifestFiles";
export { ENCRYPTION_CONFIG_PATH, renderEncryptionConfiguration, EncryptionKey } from "./bootstrap/encryption";
export { discoveryTokenCaCertHash, discoveryTokenCaCertHashes } from "./bootstrap/discoveryHash";
export { tokenPeriod, TokenPeriod } from "./bootstrap/tokenSchedule";
export { ExpiryReportRow, formatExpiryReport } from "./expiryReport";
export { RotationArgs, ReissueArgs } from "./rotation/args";
export { AuthorityId, AuthorityStage, RotationPhase } from "./rotation/stages";
export { CLOCK_ENV } from "./rotation/clock";
