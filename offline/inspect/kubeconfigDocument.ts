import { parse } from "yaml";
import { yamlErrorSummary } from "../yamlError";

/** What render and check read from a kubeconfig: its current context's cluster and user. */
export interface KubeconfigDocument {
  readonly currentContext?: string;
  readonly cluster?: string;
  readonly user?: string;
  readonly server?: string;
  /** PEM text of `certificate-authority-data`. */
  readonly caPem?: string;
  /** PEM text of `client-certificate-data`. */
  readonly clientCertificatePem?: string;
  /** PEM text of `client-key-data`. */
  readonly clientKeyPem?: string;
}

/** A kubeconfig that is not YAML. Its message gives the position and the parser's error code, never the file's text. */
export class KubeconfigSyntaxError extends Error {}

type Named<K extends string, V> = { name?: unknown } & { [key in K]?: V };

const decode = (data: unknown): string | undefined => (typeof data === "string" ? Buffer.from(data, "base64").toString("utf8") : undefined);
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const entries = <T>(list: unknown): T[] => (Array.isArray(list) ? list.filter((e) => typeof e === "object" && e !== null) : []);

/**
 * Reads a kubeconfig's current context, cluster and user; fields of the wrong type read as absent.
 * Throws {@link KubeconfigSyntaxError} when the text is not YAML. The parser's warnings are silenced
 * and its excerpts dropped: both quote the file, which holds a private key.
 */
export function parseKubeconfig(content: string): KubeconfigDocument {
  let parsed: unknown;
  try {
    parsed = parse(content, { prettyErrors: false, logLevel: "error" });
  } catch (error) {
    throw new KubeconfigSyntaxError(`is not valid YAML (${yamlErrorSummary(content, error)})`);
  }
  const doc = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const currentContext = text(doc["current-context"]);
  const context = entries<Named<"context", Record<string, unknown>>>(doc.contexts).find((c) => c.name === currentContext)?.context;
  const clusterName = text(context?.cluster);
  const userName = text(context?.user);
  const cluster = entries<Named<"cluster", Record<string, unknown>>>(doc.clusters).find((c) => c.name === clusterName)?.cluster;
  const user = entries<Named<"user", Record<string, unknown>>>(doc.users).find((u) => u.name === userName)?.user;
  return {
    currentContext,
    cluster: cluster === undefined ? undefined : clusterName,
    user: user === undefined ? undefined : userName,
    server: text(cluster?.server),
    caPem: decode(cluster?.["certificate-authority-data"]),
    clientCertificatePem: decode(user?.["client-certificate-data"]),
    clientKeyPem: decode(user?.["client-key-data"]),
  };
}
