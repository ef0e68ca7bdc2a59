import { etcdCa, etcdPeer, etcdServer } from "../../components/catalog/etcd";
import { CatalogRow } from "../../components/catalog";
import { rowPath } from "../../components/placement";

/** kubeadm's etcd ports (constants.go `EtcdListenClientPort`, `EtcdListenPeerPort`, `EtcdMetricsPort`). */
export const ETCD_PORTS = { client: 2379, peer: 2380, metrics: 2381 } as const;

/** An etcd member: its name, its address, and where its node's files are in a rendered tree. */
export interface EtcdMemberFiles {
  readonly name: string;
  readonly address: string;
  /** The file in the rendered tree for an absolute path on the member, e.g. `/etc/kubernetes/pki/etcd/ca.crt`. */
  file(nodePath: string): string;
}

/** `https://<address>:2379`, a member's client URL. */
export const etcdClientUrl = (member: { readonly address: string }): string => `https://${member.address}:${ETCD_PORTS.client}`;

/** `https://<address>:2380`, a member's peer URL. */
export const etcdPeerUrl = (member: { readonly address: string }): string => `https://${member.address}:${ETCD_PORTS.peer}`;

/**
 * The command line kubeadm's `getEtcdCommand` gives a stacked member (docs/kubeadm-spec.md §6.4), every
 * certificate from the member's own files (paths from the catalog rows). Two differences, none about
 * certificates: the member listens on its own address only (kubeadm's extra 127.0.0.1 client and
 * metrics URLs would collide between members on one machine), and all members bootstrap together
 * (`--initial-cluster` lists every member, state `new`) where kubeadm adds them one by one.
 */
export function kubeadmEtcdFlags(member: EtcdMemberFiles, members: readonly { name: string; address: string }[], dataDir: string, token: string): string[] {
  const crt = (row: CatalogRow): string => member.file(rowPath(row, "certificate"));
  const key = (row: CatalogRow): string => member.file(rowPath(row, "private-key"));
  return [
    `--name=${member.name}`,
    `--data-dir=${dataDir}`,
    `--cert-file=${crt(etcdServer)}`,
    `--key-file=${key(etcdServer)}`,
    `--trusted-ca-file=${crt(etcdCa)}`,
    "--client-cert-auth=true",
    `--peer-cert-file=${crt(etcdPeer)}`,
    `--peer-key-file=${key(etcdPeer)}`,
    `--peer-trusted-ca-file=${crt(etcdCa)}`,
    "--peer-client-cert-auth=true",
    `--listen-client-urls=${etcdClientUrl(member)}`,
    `--advertise-client-urls=${etcdClientUrl(member)}`,
    `--listen-peer-urls=${etcdPeerUrl(member)}`,
    `--initial-advertise-peer-urls=${etcdPeerUrl(member)}`,
    `--listen-metrics-urls=http://${member.address}:${ETCD_PORTS.metrics}`,
    `--initial-cluster=${members.map((m) => `${m.name}=${etcdPeerUrl(m)}`).join(",")}`,
    "--initial-cluster-state=new",
    `--initial-cluster-token=${token}`,
    "--snapshot-count=10000",
  ];
}
