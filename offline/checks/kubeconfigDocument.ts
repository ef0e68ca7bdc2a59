import { parse } from "yaml";

/** What the checks read from a kubeconfig: its current context's cluster and user. */
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

interface RawKubeconfig {
  "current-context"?: string;
  contexts?: { name?: string; context?: { cluster?: string; user?: string } }[];
  clusters?: { name?: string; cluster?: { server?: string; "certificate-authority-data"?: string } }[];
  users?: { name?: string; user?: { "client-certificate-data"?: string; "client-key-data"?: string } }[];
}

const decode = (data: string | undefined): string | undefined =>
  data === undefined ? undefined : Buffer.from(data, "base64").toString("utf8");

/** Reads a kubeconfig's current context, cluster and user. Throws when the text is not YAML. */
export function parseKubeconfig(text: string): KubeconfigDocument {
  const doc = (parse(text, { prettyErrors: false }) ?? {}) as RawKubeconfig;
  const currentContext = doc["current-context"];
  const context = doc.contexts?.find((c) => c.name === currentContext)?.context;
  const cluster = doc.clusters?.find((c) => c.name === context?.cluster)?.cluster;
  const user = doc.users?.find((u) => u.name === context?.user)?.user;
  return {
    currentContext,
    cluster: cluster === undefined ? undefined : context?.cluster,
    user: user === undefined ? undefined : context?.user,
    server: cluster?.server,
    caPem: decode(cluster?.["certificate-authority-data"]),
    clientCertificatePem: decode(user?.["client-certificate-data"]),
    clientKeyPem: decode(user?.["client-key-data"]),
  };
}
