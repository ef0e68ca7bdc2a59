import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import { ClusterPlan, KubernetesPkiArgs, NodeContext } from "../../../components";
import { validate } from "../../../components/validate";
import { StackConfig } from "../../../offline/stackConfig";
import { runCommand } from "./run";

/** The Kubernetes version the e2e binaries are built at; kubeadm then never asks the network for one. */
export const KUBERNETES_VERSION = "v1.35.8";

/** A CA (or the service-account key pair) handed to kubeadm: its files, relative to the certificates dir. */
export interface SharedKeyPair {
  /** e.g. `etcd/ca.crt` or `sa.pub`. */
  readonly publicFile: string;
  /** e.g. `etcd/ca.key` or `sa.key`. */
  readonly privateFile: string;
  readonly publicPem: string;
  readonly privatePem: string;
}

const CONFIG_KEY = "kubernetes-pki:cluster";

/** The stack's config and the component's validated view of it. */
export interface RoutableStack {
  readonly stack: StackConfig;
  readonly plan: ClusterPlan;
}

/**
 * The stack with every node address (and so the endpoint) replaced, one for one, by an address of
 * 198.51.100.0/24 (RFC 5737 TEST-NET-2); nothing else changes. kubeadm cannot take the e2e stack's
 * loopback addresses: it reads a loopback `advertiseAddress` as "use the global address on `lo`"
 * and fails where `lo` has none.
 */
export function withRoutableAddresses(stack: StackConfig): RoutableStack {
  const raw = stack.config[CONFIG_KEY];
  if (raw === undefined) throw new Error(`stack ${stack.stack}: no ${CONFIG_KEY}`);
  const addresses = validate(stack.stack, JSON.parse(raw) as KubernetesPkiArgs).nodes.flatMap((n) => (n.address === undefined ? [] : [n.address]));
  if (addresses.length > 254) throw new Error(`${addresses.length} node addresses do not fit in 198.51.100.0/24`);
  const replacement = new Map(addresses.map((address, i) => [address, `198.51.100.${i + 1}`]));
  const anyAddress = new RegExp(`(?<![0-9.])(${addresses.map((a) => a.replace(/[.:]/g, "\\$&")).join("|")})(?![0-9])`, "g");
  const mapped = raw.replace(anyAddress, (address) => replacement.get(address) ?? address);
  const routable = { stack: stack.stack, config: { ...stack.config, [CONFIG_KEY]: mapped } };
  return { stack: routable, plan: validate(stack.stack, JSON.parse(mapped) as KubernetesPkiArgs) };
}

/** What kubeadm made for one node. */
export interface KubeadmOutput {
  /** `certificatesDir` of the configuration: the shared key pairs plus every leaf kubeadm issued. */
  readonly certificatesDir: string;
  /** `--kubeconfig-dir`: the kubeconfig files kubeadm wrote. */
  readonly kubeconfigDir: string;
}

/**
 * kubeadm's v1beta4 InitConfiguration + ClusterConfiguration for one node of the plan: the node's
 * name and address, and every cluster field that shapes a certificate or a kubeconfig.
 */
export function kubeadmConfig(plan: ClusterPlan, node: NodeContext, certificatesDir: string): string {
  const init = {
    apiVersion: "kubeadm.k8s.io/v1beta4",
    kind: "InitConfiguration",
    localAPIEndpoint: { advertiseAddress: node.address, bindPort: plan.bindPort },
    // criSocket given, so kubeadm does not probe the machine for a container runtime.
    nodeRegistration: { name: node.name, criSocket: "unix:///var/run/containerd/containerd.sock" },
  };
  const cluster = {
    apiVersion: "kubeadm.k8s.io/v1beta4",
    kind: "ClusterConfiguration",
    kubernetesVersion: KUBERNETES_VERSION,
    clusterName: plan.clusterName,
    controlPlaneEndpoint: `${plan.endpointHost}:${plan.endpointPort}`,
    certificatesDir,
    encryptionAlgorithm: plan.algorithms.kubernetes,
    certificateValidityPeriod: `${plan.leafValidityHours}h0m0s`,
    caCertificateValidityPeriod: `${plan.caValidityHours}h0m0s`,
    networking: { serviceSubnet: plan.serviceSubnets.join(","), dnsDomain: plan.dnsDomain },
    apiServer: { certSANs: [...plan.apiServerCertSans, ...node.certSANs] },
    etcd: { local: { serverCertSANs: [...plan.etcdServerCertSans], peerCertSANs: [...plan.etcdPeerCertSans] } },
  };
  return `${stringify(init)}---\n${stringify(cluster)}`;
}

/**
 * Runs kubeadm's own certificate and kubeconfig phases for one node in `workDir`, after placing
 * the shared key pairs (our CAs and service-account key) where kubeadm looks for them, so that
 * kubeadm signs with our CAs instead of making its own. `phases` are `kubeadm init phase` argv
 * lists, e.g. `["certs", "all"]`.
 */
export async function runKubeadm(
  kubeadm: string,
  plan: ClusterPlan,
  node: NodeContext,
  shared: readonly SharedKeyPair[],
  phases: readonly (readonly string[])[],
  workDir: string,
): Promise<KubeadmOutput> {
  const certificatesDir = join(workDir, "pki");
  const kubeconfigDir = join(workDir, "kubeconfig");
  mkdirSync(kubeconfigDir, { recursive: true });
  for (const pair of shared) {
    for (const [file, pem, mode] of [[pair.publicFile, pair.publicPem, 0o644], [pair.privateFile, pair.privatePem, 0o600]] as const) {
      mkdirSync(dirname(join(certificatesDir, file)), { recursive: true });
      writeFileSync(join(certificatesDir, file), pem, { mode });
    }
  }
  const configFile = join(workDir, "kubeadm.yaml");
  writeFileSync(configFile, kubeadmConfig(plan, node, certificatesDir));
  for (const phase of phases) {
    const args = ["init", "phase", ...phase, "--config", configFile, ...(phase[0] === "kubeconfig" ? ["--kubeconfig-dir", kubeconfigDir] : [])];
    const result = await runCommand(kubeadm, args);
    if (result.code !== 0) throw new Error(`kubeadm ${args.join(" ")} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  }
  return { certificatesDir, kubeconfigDir };
}
