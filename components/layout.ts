/** Where kubeadm keeps the control plane's certificates and keys. */
export const PKI_DIR = "/etc/kubernetes/pki";

/** Where kubeadm keeps kubeconfig files. */
export const KUBERNETES_DIR = "/etc/kubernetes";

/** A path under {@link PKI_DIR}, without extension, e.g. `pki("etcd/server")`. */
export const pki = (baseName: string): string => `${PKI_DIR}/${baseName}`;

/** File mode of a private key or a file that embeds one. */
export const SECRET_MODE = "0600";

/** File mode of a certificate or public key. */
export const PUBLIC_MODE = "0644";

/** One file to place on a node, e.g. path `/etc/kubernetes/pki/etcd/server.key`, mode `0600`. */
export interface NodeFile {
  /** Absolute path on the node. */
  readonly path: string;
  /** File content (PEM or YAML text). */
  readonly content: string;
  /** `0600` for keys and kubeconfigs, `0644` for certificates and public keys. */
  readonly mode: typeof SECRET_MODE | typeof PUBLIC_MODE;
}

/** Files of one node, keyed by absolute path. */
export type NodeFiles = Record<string, NodeFile>;
