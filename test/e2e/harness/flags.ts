import { ClusterPlan } from "../../../components";
import { apiServerEtcdClient, etcdCa } from "../../../components/catalog/etcd";
import { frontProxyCa, frontProxyClient } from "../../../components/catalog/frontProxy";
import {
  apiServer,
  apiServerKubeletClient,
  clusterCa,
  controllerManagerConf,
  schedulerConf,
  serviceAccountKey,
} from "../../../components/catalog/kubernetes";
import { ENCRYPTION_CONFIG_PATH } from "../../../components/bootstrap/encryption";
import { signingCertPath } from "../../../components/placement";
import { existsSync } from "node:fs";
import { etcdClientUrl, kubeadmEtcdFlags } from "../../helpers/kubeadmEtcdFlags";
import { PORTS, TopologyNode } from "./topology";
import { CatalogRow } from "../../../components/catalog";
import { rowPath } from "../../../components/placement";

/** Where a node's files are: a catalog path on the node → the file in the rendered tree. */
export interface NodeFiles {
  readonly node: TopologyNode;
  /** The tree file for an absolute path on the node, e.g. `/etc/kubernetes/pki/ca.crt`. */
  file(nodePath: string): string;
}

const crt = (n: NodeFiles, row: CatalogRow): string => n.file(rowPath(row, "certificate"));
const key = (n: NodeFiles, row: CatalogRow): string => n.file(rowPath(row, "private-key"));

export { etcdClientUrl } from "../../helpers/kubeadmEtcdFlags";

/**
 * etcd, as kubeadm's `getEtcdCommand` (docs/kubeadm-spec.md §6.4; see `kubeadmEtcdFlags`), every file from the
 * node's own tree; fsync is off and timeouts are longer for a loaded CI machine.
 */
export function etcdArgs(n: NodeFiles, members: readonly TopologyNode[], dataDir: string, clusterToken: string): string[] {
  return [
    ...kubeadmEtcdFlags({ name: n.node.name, address: n.node.address, file: (path) => n.file(path) }, members, dataDir, clusterToken),
    // Not kubeadm's: a throw-away cluster on a shared 2-core machine.
    "--unsafe-no-fsync=true",
    "--heartbeat-interval=250",
    "--election-timeout=2500",
  ];
}

/**
 * kube-apiserver, as kubeadm's `getAPIServerCommand` (docs/kubeadm-spec.md §6.1), every file from the node's
 * own tree, `--etcd-servers` listing all three members. Added, none about certificates:
 * `--bind-address` (the node address, so three API servers share the port);
 * `--endpoint-reconciler-type=none` (the `kubernetes` Service's endpoints may not be loopback
 * addresses: Endpoints/EndpointSlice validation refuses 127.0.0.0/8); and
 * `--feature-gates=APIServerIdentity=false` (the identity Lease is named after the hash of the
 * hostname, which the three API servers share here, so they would fight over one Lease).
 * `--encryption-provider-config` when the node has the rendered `EncryptionConfiguration` (kubeadm
 * sets it only through `apiServer.extraArgs`).
 */
export function apiServerArgs(n: NodeFiles, plan: ClusterPlan, members: readonly TopologyNode[]): string[] {
  return [
    `--advertise-address=${n.node.address}`,
    "--allow-privileged=true",
    "--authorization-mode=Node,RBAC",
    `--client-ca-file=${crt(n, clusterCa)}`,
    "--enable-admission-plugins=NodeRestriction",
    "--enable-bootstrap-token-auth=true",
    `--etcd-cafile=${crt(n, etcdCa)}`,
    `--etcd-certfile=${crt(n, apiServerEtcdClient)}`,
    `--etcd-keyfile=${key(n, apiServerEtcdClient)}`,
    `--etcd-servers=${members.map(etcdClientUrl).join(",")}`,
    `--kubelet-client-certificate=${crt(n, apiServerKubeletClient)}`,
    `--kubelet-client-key=${key(n, apiServerKubeletClient)}`,
    "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
    `--proxy-client-cert-file=${crt(n, frontProxyClient)}`,
    `--proxy-client-key-file=${key(n, frontProxyClient)}`,
    "--requestheader-allowed-names=front-proxy-client",
    `--requestheader-client-ca-file=${crt(n, frontProxyCa)}`,
    "--requestheader-extra-headers-prefix=X-Remote-Extra-",
    "--requestheader-group-headers=X-Remote-Group",
    "--requestheader-username-headers=X-Remote-User",
    `--secure-port=${plan.bindPort}`,
    `--service-account-issuer=https://kubernetes.default.svc.${plan.dnsDomain}`,
    `--service-account-key-file=${n.file(rowPath(serviceAccountKey, "public-key"))}`,
    `--service-account-signing-key-file=${key(n, serviceAccountKey)}`,
    `--service-cluster-ip-range=${plan.serviceSubnets.join(",")}`,
    `--tls-cert-file=${crt(n, apiServer)}`,
    `--tls-private-key-file=${key(n, apiServer)}`,
    ...(existsSync(n.file(ENCRYPTION_CONFIG_PATH)) ? [`--encryption-provider-config=${n.file(ENCRYPTION_CONFIG_PATH)}`] : []),
    // Not kubeadm's: three API servers on one host's loopback, no kubelets.
    `--bind-address=${n.node.address}`,
    "--endpoint-reconciler-type=none",
    "--feature-gates=APIServerIdentity=false",
  ];
}

/**
 * kube-controller-manager, as kubeadm's `getControllerManagerCommand` (docs/kubeadm-spec.md §6.2), with
 * `--bind-address` on the node address instead of 127.0.0.1. While the cluster CA rotates, its
 * signing certificate is `ca-signing.crt` (the issuing CA alone: the flag cannot take the bundle
 * `ca.crt` then is), as the README's rotation steps tell operators.
 */
export function controllerManagerArgs(n: NodeFiles, plan: ClusterPlan): string[] {
  const kubeconfig = n.file(controllerManagerConf.path);
  const signing = n.file(signingCertPath(clusterCa));
  return [
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    `--bind-address=${n.node.address}`,
    `--secure-port=${PORTS.controllerManager}`,
    `--client-ca-file=${crt(n, clusterCa)}`,
    `--cluster-name=${plan.clusterName}`,
    `--cluster-signing-cert-file=${existsSync(signing) ? signing : crt(n, clusterCa)}`,
    `--cluster-signing-key-file=${key(n, clusterCa)}`,
    "--controllers=*,bootstrapsigner,tokencleaner",
    `--kubeconfig=${kubeconfig}`,
    "--leader-elect=true",
    `--requestheader-client-ca-file=${crt(n, frontProxyCa)}`,
    `--root-ca-file=${crt(n, clusterCa)}`,
    `--service-account-private-key-file=${key(n, serviceAccountKey)}`,
    "--use-service-account-credentials=true",
  ];
}

/** kube-scheduler, as kubeadm's `getSchedulerCommand` (docs/kubeadm-spec.md §6.3), bound to the node address. */
export function schedulerArgs(n: NodeFiles): string[] {
  const kubeconfig = n.file(schedulerConf.path);
  return [
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    `--bind-address=${n.node.address}`,
    `--secure-port=${PORTS.scheduler}`,
    `--kubeconfig=${kubeconfig}`,
    "--leader-elect=true",
  ];
}
