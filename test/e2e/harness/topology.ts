import { isIP } from "node:net";
import { join } from "node:path";
import { ClusterPlan, KubernetesPkiArgs, NodeContext } from "../../../components";
import { validate } from "../../../components/validate";
import { readStackConfig, StackConfig } from "../../../offline/stackConfig";

/** The dedicated end-to-end stack at the repository root. */
export const E2E_STACK_FILE = join(__dirname, "..", "..", "..", "Pulumi.e2e.yaml");

const CONFIG_KEY = "kubernetes-pki:cluster";

/**
 * Ports each process binds on its own node's address: kubeadm's defaults. The API server's port is
 * the stack's `apiServer.bindPort`. Several nodes share a port number because each has its own
 * 127.0.0.0/8 address.
 */
export const PORTS = {
  etcdClient: 2379,
  etcdPeer: 2380,
  /** kubeadm: http://127.0.0.1:2381; here on the node address. */
  etcdMetrics: 2381,
  controllerManager: 10257,
  scheduler: 10259,
  kubelet: 10250,
} as const;

/** A node of the e2e stack: always with an address. */
export interface TopologyNode {
  readonly name: string;
  readonly address: string;
  readonly controlPlane: boolean;
  /** The node as the catalog's subject and SAN functions see it. */
  readonly context: NodeContext;
}

/** The e2e stack as the harness needs it. */
export interface Topology {
  readonly stack: StackConfig;
  /** The component's own validated, defaulted view of the stack (endpoint, ports, subnets). */
  readonly plan: ClusterPlan;
  readonly controlPlane: readonly TopologyNode[];
  readonly workers: readonly TopologyNode[];
}

/**
 * Reads the stack file and checks that it is safe to run on a developer machine: stacked etcd,
 * every node on its own 127.0.0.0/8 address other than 127.0.0.1, the endpoint on a control-plane
 * node. Defaults come from the component's own validation, so nothing here re-derives kubeadm's.
 */
export function readTopology(stackFile: string = E2E_STACK_FILE): Topology {
  const stack = readStackConfig(stackFile);
  const raw = stack.config[CONFIG_KEY];
  if (raw === undefined) throw new Error(`${stackFile}: no ${CONFIG_KEY}`);
  const plan = validate(stack.stack, JSON.parse(raw) as KubernetesPkiArgs);
  const problems: string[] = [];
  const nodes = plan.nodes.map((context): TopologyNode => {
    const address = context.address ?? "";
    if (isIP(address) !== 4 || !address.startsWith("127.") || address === "127.0.0.1") {
      problems.push(`${context.name}: address "${address}" must be an IPv4 loopback address other than 127.0.0.1`);
    }
    if (context.roles.has("control-plane") !== context.roles.has("etcd")) {
      problems.push(`${context.name}: the suite runs stacked etcd only (no etcd.members)`);
    }
    return { name: context.name, address, controlPlane: context.roles.has("control-plane"), context };
  });
  const controlPlane = nodes.filter((n) => n.controlPlane);
  if (!controlPlane.some((n) => n.address === plan.endpointHost && plan.endpointPort === plan.bindPort)) {
    problems.push(`controlPlaneEndpoint ${plan.endpointHost}:${plan.endpointPort} must be a control-plane node's address and bindPort`);
  }
  if (new Set(nodes.map((n) => n.address)).size !== nodes.length) problems.push("every node needs its own address");
  if (problems.length > 0) throw new Error(`${stackFile} cannot run on loopback:\n  - ${problems.join("\n  - ")}`);
  return { stack, plan, controlPlane, workers: nodes.filter((n) => !n.controlPlane) };
}
