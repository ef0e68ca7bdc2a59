import { CertificateEntry } from "../inspect/inventory";

/** What problems and report rows name as the node of the operator's files (`admin/` of a rendered tree). */
export { OPERATOR } from "../tree";

/** One PKI file, read from a node's root or a rendered tree. */
export interface InspectedFile {
  /** Absolute path on the node, as the catalog names it, e.g. `/etc/kubernetes/pki/apiserver.crt`. */
  readonly path: string;
  /** How problems name the file: the path on the node, or `admin/<name>` for the operator's files. */
  readonly label: string;
  readonly content: string;
  /** Permission bits, e.g. `0o600`. */
  readonly mode: number;
}

/** The PKI files of one node (or of the operator) and the certificates they hold. */
export interface InspectedNode {
  /** Node name, or {@link OPERATOR}. */
  readonly name: string;
  /** Files by path on the node. */
  readonly files: ReadonlyMap<string, InspectedFile>;
  /** Certificates of the catalog found in the files (CA, leaf and kubeconfig client certificates). */
  readonly certificates: readonly CertificateEntry[];
}

/** Everything a check looks at: every node of a rendered tree, or one real node. */
export interface InspectedTree {
  /** The directory that was read. */
  readonly root: string;
  /** Nodes by name order; the operator, when present, last. */
  readonly nodes: readonly InspectedNode[];
}

/** The checks, by the job of their file in `offline/checks/`. */
export type CheckName = "read" | "missing" | "chain" | "bundle" | "key-pair" | "sans" | "identity" | "kubeconfig" | "mode" | "validity";

/** One thing wrong with one file. */
export interface Problem {
  readonly node: string;
  /** Path on the node (or `admin/<name>`). */
  readonly file: string;
  readonly check: CheckName;
  /** What is wrong, never any key material. */
  readonly message: string;
}

/** Settings of a check run. */
export interface CheckOptions {
  /** The time certificates are judged at. */
  readonly now: Date;
  /** Certificates expiring within this many hours of `now` are problems. */
  readonly warnWithinHours: number;
  /** DNS domain the apiserver certificates must name; inferred from the tree when absent. */
  readonly dnsDomain?: string;
  /** SANs every apiserver certificate must carry besides kubeadm's (e.g. the first service IP). */
  readonly apiServerSans: readonly string[];
}

/** A check: every problem of its kind in the tree. */
export type Check = (tree: InspectedTree, options: CheckOptions) => Problem[];

