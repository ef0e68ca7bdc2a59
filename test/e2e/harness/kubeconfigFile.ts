import { readFileSync, writeFileSync } from "node:fs";
import { parse, stringify } from "yaml";

/** What a kubeconfig's current context holds: server, trusted CA, client credentials (PEM texts). */
export interface KubeconfigCredentials {
  readonly server: string;
  readonly ca: string;
  /** Empty for a kubeconfig that authenticates with a token. */
  readonly cert: string;
  readonly key: string;
  /** A bearer token (`bootstrap-kubelet.conf`), when the kubeconfig has one. */
  readonly token?: string;
}

/** The parts of a kubeconfig file the tests read. */
export interface KubeconfigDocument {
  readonly clusters: { name: string; cluster: Record<string, string> }[];
  readonly users: { name: string; user: Record<string, string> }[];
  readonly contexts: { name: string; context: { cluster: string; user: string } }[];
  readonly "current-context": string;
}

/** Decodes a kubeconfig's base64 `-data` field (empty when absent). */
export const fromBase64 = (text: string | undefined): string => Buffer.from(text ?? "", "base64").toString("utf8");

/** The current context of a kubeconfig with embedded (`-data`) certificates or a token, as the tree holds them. */
export function readKubeconfig(path: string): KubeconfigCredentials {
  const doc = parse(readFileSync(path, "utf8")) as KubeconfigDocument;
  const context = doc.contexts.find((c) => c.name === doc["current-context"])?.context;
  const cluster = doc.clusters.find((c) => c.name === context?.cluster)?.cluster;
  const user = doc.users.find((u) => u.name === context?.user)?.user;
  if (context === undefined || cluster === undefined || user === undefined) throw new Error(`${path}: no complete current context`);
  return {
    server: cluster.server,
    ca: fromBase64(cluster["certificate-authority-data"]),
    cert: fromBase64(user["client-certificate-data"]),
    key: fromBase64(user["client-key-data"]),
    ...(user.token !== undefined && { token: user.token }),
  };
}

/** A kubeconfig the tests make for an identity that is not in the tree (a token, a freshly signed certificate). */
export interface KubeconfigFileSpec {
  readonly server: string;
  readonly caFile: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly token?: string;
}

/** Writes a one-context kubeconfig (mode 0600) that refers to files by path. */
export function writeKubeconfig(path: string, spec: KubeconfigFileSpec): string {
  const user: Record<string, string> = {};
  if (spec.certFile !== undefined) user["client-certificate"] = spec.certFile;
  if (spec.keyFile !== undefined) user["client-key"] = spec.keyFile;
  if (spec.token !== undefined) user.token = spec.token;
  const doc = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "e2e", cluster: { server: spec.server, "certificate-authority": spec.caFile } }],
    users: [{ name: "e2e", user }],
    contexts: [{ name: "e2e", context: { cluster: "e2e", user: "e2e" } }],
    "current-context": "e2e",
  };
  writeFileSync(path, stringify(doc), { mode: 0o600 });
  return path;
}
