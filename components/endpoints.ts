import { httpsUrl } from "./addresses";
import { ClusterPlan, NodeContext } from "./plan";

/** The control-plane endpoint URL (`https://<controlPlaneEndpoint>`), used by admin and worker kubeconfigs. */
export function controlPlaneEndpointUrl(plan: ClusterPlan): string {
  return httpsUrl(plan.endpointHost, plan.endpointPort);
}

/** The node's own API server (`https://<advertiseAddress>:<bindPort>`); the endpoint when there is none. */
export function localEndpointUrl(plan: ClusterPlan, node?: NodeContext): string {
  if (node?.address === undefined || !node.roles.has("control-plane")) return controlPlaneEndpointUrl(plan);
  return httpsUrl(node.address, plan.bindPort);
}
