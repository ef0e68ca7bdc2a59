import { APISERVER_KUBELET_CLIENT_USER, clusterCa, kubeletServing } from "../../../components/catalog/kubernetes";
import { FakeKubelet, KubeletAuthorizer } from "../fakes/kubelet";
import { Cluster, E2eNode, readText } from "./cluster";
import { httpsRequest } from "./https";
import { readKubeconfig } from "./kubeconfigFile";
import { kubeletKubeconfig, registerNode } from "./nodes";
import { PORTS } from "./topology";
import { waitFor } from "./wait";

/** kubeadm v1.35.5+: the only grant of the API server's kubelet client (kubeadm-spec §5.4). */
export const KUBELET_CLIENT_BINDING = "kubeadm:apiserver-kubelet-client";
/** The rendered manifest of that binding. */
export const KUBELET_CLIENT_BINDING_MANIFEST = "crb-kubeadm-apiserver-kubelet-client";

/** Waits until the SubjectAccessReview a kubelet makes for the API server's client gives `allowed` on every API server. */
export async function waitKubeletClientAllowed(cluster: Cluster, allowed: boolean): Promise<void> {
  for (const cp of cluster.controlPlane) {
    await waitFor(`${KUBELET_CLIENT_BINDING} ${allowed ? "in force" : "gone"} on ${cp.name}`, 60_000, async () => {
      const r = await cluster.kubectl(cluster.superAdminConf, `--server=${cluster.apiServerUrl(cp)}`, "auth", "can-i", "get", "nodes/proxy", `--as=${APISERVER_KUBELET_CLIENT_USER}`);
      return (r.stdout.trim() === "yes") === allowed ? true : undefined;
    }, { intervalMs: 500 });
  }
}

/**
 * Webhook authorization as a kubelet does it: a SubjectAccessReview POSTed with the node's own
 * kubelet.conf credentials (the Node authorizer grants nodes `create subjectaccessreviews`).
 */
export function subjectAccessReviewAs(node: E2eNode): KubeletAuthorizer {
  const credentials = readKubeconfig(kubeletKubeconfig(node));
  return async (user, groups, attributes) => {
    const review = { apiVersion: "authorization.k8s.io/v1", kind: "SubjectAccessReview", spec: { user, groups, resourceAttributes: attributes } };
    const r = await httpsRequest(`${credentials.server}/apis/authorization.k8s.io/v1/subjectaccessreviews`, credentials, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(review),
    });
    if (r.status !== 201 && r.status !== 200) throw new Error(`SubjectAccessReview as ${node.name}: ${r.status} ${r.body}`);
    return (JSON.parse(r.body) as { status: { allowed?: boolean } }).status.allowed === true;
  };
}

/**
 * Starts the node's kubelet as kubeadm configures it, from the node's files as they are now: serving
 * `/var/lib/kubelet/pki/kubelet.crt`, trusting `ca.crt` for clients, authorising with kubelet.conf.
 * A kubelet reads them when it starts, so after new files it is restarted: close, then start again.
 */
export function startKubelet(node: E2eNode): Promise<FakeKubelet> {
  return FakeKubelet.start({
    nodeName: node.name,
    address: node.address,
    port: PORTS.kubelet,
    cert: readText(node.crt(kubeletServing)),
    key: readText(node.key(kubeletServing)),
    clientCa: readText(node.crt(clusterCa)),
    authorize: subjectAccessReviewAs(node),
  });
}

/**
 * What `kubectl logs <pod>` needs before a kubelet answers: the rendered kubelet-client binding
 * (and admin.conf's), the node registered with its kubelet endpoint, and a pod bound to it (never
 * run, only registered), re-created if a previous run left it.
 */
export async function prepareKubeletLogs(cluster: Cluster, node: E2eNode, pod: string): Promise<void> {
  await cluster.ensureClusterAdmins();
  await cluster.applyManifests(cluster.manifest(KUBELET_CLIENT_BINDING_MANIFEST));
  await waitKubeletClientAllowed(cluster, true);
  await registerNode(cluster, node, PORTS.kubelet);
  const object = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: pod, namespace: "default" },
    spec: { nodeName: node.name, automountServiceAccountToken: false, containers: [{ name: "app", image: "registry.invalid/e2e:none" }] },
  };
  await deletePod(cluster, pod);
  // The ServiceAccount admission plugin needs default/default, which kube-controller-manager creates.
  await waitFor(`pod ${pod} created`, 120_000, async () => {
    const r = await cluster.create(cluster.adminConf, object);
    if (r.code !== 0) throw new Error(r.stderr.trim());
    return true;
  });
}

/** Deletes the pod at once (it never ran). */
export async function deletePod(cluster: Cluster, pod: string): Promise<void> {
  await cluster.kubectl(cluster.superAdminConf, "delete", "pod", pod, "--ignore-not-found", "--grace-period=0", "--force");
}
