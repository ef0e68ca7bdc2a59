import { pki } from "../layout";
import { CaSpec, CatalogRow, LeafSpec } from "./types";

/** The front-proxy CA: the API server's `--requestheader-client-ca-file`. Its key stays off the nodes. */
export const frontProxyCa: CaSpec = {
  kind: "ca",
  id: "front-proxy-ca",
  domain: "front-proxy",
  description: "front-proxy CA",
  fileStem: pki("front-proxy-ca"),
  commonName: "front-proxy-ca",
  certOn: ["control-plane"],
  keyOn: [],
};

/** The API server's client certificate to aggregated API servers; CN = `--requestheader-allowed-names`. */
export const frontProxyClient: LeafSpec = {
  kind: "leaf",
  id: "front-proxy-client",
  ca: "front-proxy-ca",
  description: "front-proxy client certificate",
  fileStem: pki("front-proxy-client"),
  nodes: "control-plane",
  subject: { commonName: "front-proxy-client" },
  usages: ["client_auth"],
};

/** The front-proxy trust domain. */
export const frontProxyDomain: readonly CatalogRow[] = [frontProxyCa, frontProxyClient];
