import { kubeletConf } from "../../../components/catalog/kubernetes";
import { Cluster, E2eNode } from "./cluster";
import { HttpsResponse, httpsRequest } from "./https";
import { readKubeconfig } from "./kubeconfigFile";
import { CommandResult } from "./run";

/** A minimal Node object, as a kubelet registers it. */
export function nodeObject(name: string): object {
  return { apiVersion: "v1", kind: "Node", metadata: { name, labels: { "kubernetes.io/hostname": name } } };
}

/** The node's own kubelet.conf from the rendered tree. */
export const kubeletKubeconfig = (node: E2eNode): string => node.file(kubeletConf.path);

/** Creates the Node object `name` as `asNode`'s kubelet identity. */
export function createNodeAs(cluster: Cluster, asNode: E2eNode, name: string): Promise<CommandResult> {
  return cluster.create(kubeletKubeconfig(asNode), nodeObject(name));
}

/**
 * A merge PATCH of Node `name` (or its status) as `asNode`'s kubelet, sent straight to the API as a
 * kubelet does: `kubectl patch` would GET first, and the Node authorizer lets a kubelet update its
 * status but not read `nodes/status`, nor read another node at all.
 */
export function patchNodeAs(asNode: E2eNode, name: string, patch: object, subresource?: "status"): Promise<HttpsResponse> {
  const credentials = readKubeconfig(kubeletKubeconfig(asNode));
  const path = `/api/v1/nodes/${name}${subresource === undefined ? "" : `/${subresource}`}`;
  return httpsRequest(`${credentials.server}${path}`, credentials, {
    method: "PATCH",
    headers: { "Content-Type": "application/merge-patch+json" },
    body: JSON.stringify(patch),
  });
}

/**
 * What a kubelet does at start, done as the node's own identity (kubelet.conf): register the Node
 * (if absent) and publish its InternalIP and kubelet port in the status, which is where the API
 * server looks for the kubelet (`--kubelet-preferred-address-types`, `daemonEndpoints`).
 */
export async function registerNode(cluster: Cluster, node: E2eNode, kubeletPort: number): Promise<void> {
  const created = await createNodeAs(cluster, node, node.name);
  if (created.code !== 0 && !/AlreadyExists|already exists/.test(created.stderr)) throw new Error(`registering ${node.name}: ${created.stderr}`);
  const status = {
    status: {
      addresses: [{ type: "InternalIP", address: node.address }, { type: "Hostname", address: node.name }],
      daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
    },
  };
  const r = await patchNodeAs(node, node.name, status, "status");
  if (r.status !== 200) throw new Error(`status of ${node.name}: ${r.status} ${r.body}`);
}
