export * from "./types";
export { KubernetesPki, OperatorKubeconfigs, ServiceAccountKeyPair } from "./kubernetesPki";
export { KubernetesPkiInputError } from "./validate";
export { NodeFile, NodeFiles, PKI_DIR } from "./layout";
export { CATALOG, CaId, CatalogRow } from "./catalog";
export { ClusterPlan, NodeContext, NodeRole } from "./plan";
export { renderKubeconfig, KubeconfigInput } from "./kubeconfig";
export { CloudInitOptions, UserDataCompression, USER_DATA_LIMITS, renderCloudInit } from "./cloudInit";
export {
  NodeBundleOptions,
  BundleEncoding,
  SECRET_STORE_LIMITS,
  renderNodeBundle,
  bundleInstallScript,
  awsSecretsManagerFetchCommand,
} from "./nodeBundle";
