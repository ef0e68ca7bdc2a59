import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";

/** A cluster the benchmark renders: the sample stack's shape with a number of workers. */
export interface BenchCluster {
  /** `sample` (Pulumi.dev.yaml's nodes) or `<n> workers`. */
  readonly title: string;
  readonly workers: number;
  readonly algorithm: "RSA-2048" | "ECDSA-P256";
}

interface BenchNode {
  readonly name: string;
  readonly role: "control-plane" | "worker";
  readonly address: string;
}

/** The sample stack's three control-plane nodes and `workers` workers, addressed as Pulumi.dev.yaml does. */
function nodesOf(cluster: BenchCluster): BenchNode[] {
  const controlPlane = [1, 2, 3].map((i): BenchNode => ({ name: `cp-${i}`, role: "control-plane", address: `10.0.0.${10 + i}` }));
  const workers = Array.from({ length: cluster.workers }, (_, i): BenchNode => ({
    name: `worker-${i + 1}`,
    role: "worker",
    address: `10.${1 + Math.floor(i / 50_000)}.${Math.floor(i / 200) % 250}.${(i % 200) + 21}`,
  }));
  return [...controlPlane, ...workers];
}

/**
 * Writes the cluster as a stack file for the render (`Pulumi.bench.yaml`, the sample stack's settings
 * with these nodes and keys) and as a nodes file for `openssl-tree.sh`; returns both paths.
 */
export function writeCluster(cluster: BenchCluster, dir: string): { stackFile: string; nodesFile: string } {
  const nodes = nodesOf(cluster);
  const clusterArgs = {
    clusterName: "kubernetes",
    controlPlaneEndpoint: "api.dev.example.com:6443",
    encryptionAlgorithm: cluster.algorithm,
    controlPlane: nodes.filter((n) => n.role === "control-plane").map(({ name, address }) => ({ name, address })),
    workers: nodes.filter((n) => n.role === "worker").map(({ name, address }) => ({ name, address })),
  };
  const stackFile = join(dir, "Pulumi.bench.yaml");
  writeFileSync(stackFile, stringify({ config: { "kubernetes-pki:cluster": clusterArgs } }));
  const nodesFile = join(dir, "nodes.txt");
  writeFileSync(nodesFile, nodes.map((n) => `${n.name} ${n.role} ${n.address}\n`).join(""));
  return { stackFile, nodesFile };
}
