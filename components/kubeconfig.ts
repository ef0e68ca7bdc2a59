/** Everything a kubeconfig with an embedded client certificate holds. */
export interface KubeconfigInput {
  /** Cluster name (kubeadm `clusterName`). */
  readonly clusterName: string;
  /** API server URL. */
  readonly server: string;
  /**
   * The trusted CA certificates (PEM), embedded whole: the one cluster CA, or during a staged
   * rotation both generations, so the client trusts the API server before and after its re-issue.
   */
  readonly caCertPem: string;
  /** Client identity: the certificate's CN, used as the user name. */
  readonly user: string;
  /** The client certificate PEM. */
  readonly clientCertPem: string;
  /** The client certificate's private key PEM. */
  readonly clientKeyPem: string;
}

const base64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

/**
 * kubeconfig YAML in client-go's shape (kubeadm `CreateWithCerts`): cluster `<clusterName>`,
 * user `<CN>`, context `<CN>@<clusterName>`. Same inputs, same bytes.
 */
export function renderKubeconfig(k: KubeconfigInput): string {
  const context = `${k.user}@${k.clusterName}`;
  return [
    "apiVersion: v1",
    "clusters:",
    "- cluster:",
    `    certificate-authority-data: ${base64(k.caCertPem)}`,
    `    server: ${k.server}`,
    `  name: ${k.clusterName}`,
    "contexts:",
    "- context:",
    `    cluster: ${k.clusterName}`,
    `    user: ${yamlString(k.user)}`,
    `  name: ${yamlString(context)}`,
    `current-context: ${yamlString(context)}`,
    "kind: Config",
    "preferences: {}",
    "users:",
    `- name: ${yamlString(k.user)}`,
    "  user:",
    `    client-certificate-data: ${base64(k.clientCertPem)}`,
    `    client-key-data: ${base64(k.clientKeyPem)}`,
    "",
  ].join("\n");
}

/** Leaves names such as `system:node:cp-1` plain, as client-go writes them; quotes anything YAML would misread. */
function yamlString(value: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._@/:-]*$/.test(value) ? value : JSON.stringify(value);
}
