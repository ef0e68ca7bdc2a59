import { pki } from "../layout";
import { NodeContext } from "../plan";
import { etcdPeerSans, etcdServerSans } from "../sans";
import { CaSpec, CatalogRow, LeafSpec, Subject } from "./types";

/** kubeadm's `setCommonNameToNodeName()`. */
const nodeNameSubject = (node: NodeContext): Subject => ({ commonName: node.name });

/** The etcd CA. Its key stays off the nodes: nothing there signs with it. */
export const etcdCa: CaSpec = {
  kind: "ca",
  id: "etcd-ca",
  domain: "etcd",
  description: "etcd CA",
  fileStem: pki("etcd/ca"),
  commonName: "etcd-ca",
  certOn: ["etcd", "control-plane"],
  keyOn: [],
};

/** etcd's serving certificate. serverAuth and clientAuth, as kubeadm for etcd 3.2+ (docs/kubeadm-spec.md §2.1). */
export const etcdServer: LeafSpec = {
  kind: "leaf",
  id: "etcd-server",
  ca: "etcd-ca",
  description: "etcd serving certificate",
  fileStem: pki("etcd/server"),
  nodes: "etcd",
  subject: nodeNameSubject,
  usages: ["server_auth", "client_auth"],
  sans: etcdServerSans,
};

/** etcd's peer certificate, presented in both directions between members. */
export const etcdPeer: LeafSpec = {
  kind: "leaf",
  id: "etcd-peer",
  ca: "etcd-ca",
  description: "etcd peer certificate",
  fileStem: pki("etcd/peer"),
  nodes: "etcd",
  subject: nodeNameSubject,
  usages: ["server_auth", "client_auth"],
  sans: etcdPeerSans,
};

/** The client certificate for health checks and member management. */
export const etcdHealthcheckClient: LeafSpec = {
  kind: "leaf",
  id: "etcd-healthcheck-client",
  ca: "etcd-ca",
  description: "etcd health-check client certificate",
  fileStem: pki("etcd/healthcheck-client"),
  nodes: "etcd",
  subject: { commonName: "kube-etcd-healthcheck-client" },
  usages: ["client_auth"],
};

/** The client certificate the API server uses to reach etcd. */
export const apiServerEtcdClient: LeafSpec = {
  kind: "leaf",
  id: "apiserver-etcd-client",
  ca: "etcd-ca",
  description: "API server client certificate to etcd",
  fileStem: pki("apiserver-etcd-client"),
  nodes: "control-plane",
  subject: { commonName: "kube-apiserver-etcd-client" },
  usages: ["client_auth"],
};

/** The etcd trust domain. */
export const etcdDomain: readonly CatalogRow[] = [etcdCa, etcdServer, etcdPeer, etcdHealthcheckClient, apiServerEtcdClient];
