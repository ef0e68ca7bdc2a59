/**
 * kubeadm's certificate table (docs/kubeadm-spec.md §1–§3), written out independently of the
 * component's catalog so that the tests compare the two.
 */

/** Who gets a file: control-plane nodes, nodes running etcd, or every node running a kubelet. */
export type Holder = "control-plane" | "etcd" | "kubelet";

/** The cluster as the expectations see it. */
export interface ExpectedCluster {
  readonly clusterName: string;
  readonly endpointUrl: string;
  readonly bindPort: number;
  readonly serviceIp: string;
  readonly dnsDomain: string;
  readonly endpointHost: string;
}

/** A node as the expectations see it. */
export interface ExpectedNode {
  readonly name: string;
  readonly address?: string;
  readonly holds: ReadonlySet<Holder>;
}

/** One leaf certificate kubeadm writes under /etc/kubernetes/pki (or the kubelet's serving pair). */
export interface ExpectedLeaf {
  readonly file: string;
  readonly issuerCN: "kubernetes" | "etcd-ca" | "front-proxy-ca";
  readonly holder: Holder;
  readonly cn: (node: ExpectedNode) => string;
  readonly o: string[];
  readonly ekus: string[];
  readonly sans?: (node: ExpectedNode, cluster: ExpectedCluster) => { dns: string[]; ip: string[] };
}

/** One kubeconfig with an embedded client certificate. */
export interface ExpectedKubeconfig {
  readonly file: string;
  readonly holder: Holder;
  readonly cn: (node: ExpectedNode) => string;
  readonly o: string[];
  readonly server: (node: ExpectedNode, cluster: ExpectedCluster) => string;
}

const url = (host: string, port: number): string => `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
const local = (node: ExpectedNode, cluster: ExpectedCluster): string => url(node.address!, cluster.bindPort);
/** kubeadm's etcd server and peer SANs (docs/kubeadm-spec.md §2.3). */
const etcdSans = (node: ExpectedNode) => ({ dns: [node.name, "localhost"], ip: [node.address!, "127.0.0.1", "::1"] });

export const EXPECTED_CAS = [
  { file: "/etc/kubernetes/pki/ca", cn: "kubernetes", certOn: ["kubelet"] as Holder[], keyOn: ["control-plane"] as Holder[] },
  { file: "/etc/kubernetes/pki/etcd/ca", cn: "etcd-ca", certOn: ["etcd", "control-plane"] as Holder[], keyOn: [] as Holder[] },
  { file: "/etc/kubernetes/pki/front-proxy-ca", cn: "front-proxy-ca", certOn: ["control-plane"] as Holder[], keyOn: [] as Holder[] },
];

export const EXPECTED_LEAVES: ExpectedLeaf[] = [
  {
    file: "/etc/kubernetes/pki/apiserver",
    issuerCN: "kubernetes",
    holder: "control-plane",
    cn: () => "kube-apiserver",
    o: [],
    ekus: ["serverAuth"],
    sans: (node, c) => ({
      dns: [node.name, "kubernetes", "kubernetes.default", "kubernetes.default.svc", `kubernetes.default.svc.${c.dnsDomain}`],
      ip: [c.serviceIp, node.address!],
    }),
  },
  { file: "/etc/kubernetes/pki/apiserver-kubelet-client", issuerCN: "kubernetes", holder: "control-plane", cn: () => "kube-apiserver-kubelet-client", o: [], ekus: ["clientAuth"] },
  { file: "/etc/kubernetes/pki/front-proxy-client", issuerCN: "front-proxy-ca", holder: "control-plane", cn: () => "front-proxy-client", o: [], ekus: ["clientAuth"] },
  { file: "/etc/kubernetes/pki/apiserver-etcd-client", issuerCN: "etcd-ca", holder: "control-plane", cn: () => "kube-apiserver-etcd-client", o: [], ekus: ["clientAuth"] },
  {
    file: "/etc/kubernetes/pki/etcd/server",
    issuerCN: "etcd-ca",
    holder: "etcd",
    cn: (node) => node.name,
    o: [],
    ekus: ["serverAuth", "clientAuth"],
    sans: etcdSans,
  },
  {
    file: "/etc/kubernetes/pki/etcd/peer",
    issuerCN: "etcd-ca",
    holder: "etcd",
    cn: (node) => node.name,
    o: [],
    ekus: ["serverAuth", "clientAuth"],
    sans: etcdSans,
  },
  { file: "/etc/kubernetes/pki/etcd/healthcheck-client", issuerCN: "etcd-ca", holder: "etcd", cn: () => "kube-etcd-healthcheck-client", o: [], ekus: ["clientAuth"] },
  {
    file: "/var/lib/kubelet/pki/kubelet",
    issuerCN: "kubernetes",
    holder: "kubelet",
    cn: (node) => `system:node:${node.name}`,
    o: ["system:nodes"],
    ekus: ["serverAuth"],
    sans: (node) => ({ dns: [node.name], ip: node.address ? [node.address] : [] }),
  },
];

export const EXPECTED_KUBECONFIGS: ExpectedKubeconfig[] = [
  { file: "/etc/kubernetes/admin.conf", holder: "control-plane", cn: () => "kubernetes-admin", o: ["kubeadm:cluster-admins"], server: (_, c) => c.endpointUrl },
  { file: "/etc/kubernetes/controller-manager.conf", holder: "control-plane", cn: () => "system:kube-controller-manager", o: [], server: local },
  { file: "/etc/kubernetes/scheduler.conf", holder: "control-plane", cn: () => "system:kube-scheduler", o: [], server: local },
  {
    file: "/etc/kubernetes/kubelet.conf",
    holder: "kubelet",
    cn: (node) => `system:node:${node.name}`,
    o: ["system:nodes"],
    server: (node, c) => (node.holds.has("control-plane") ? local(node, c) : c.endpointUrl),
  },
  { file: "/var/lib/kube-proxy/kubeconfig.conf", holder: "kubelet", cn: () => "system:kube-proxy", o: [], server: (_, c) => c.endpointUrl },
];
