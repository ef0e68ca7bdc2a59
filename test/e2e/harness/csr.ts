import { Cluster } from "./cluster";
import { newCsr } from "./openssl";
import { waitFor } from "./wait";

/** The signer of kubelet client certificates, which kube-controller-manager's csrsigning controller signs with the cluster CA. */
export const KUBELET_CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client-kubelet";

/**
 * Creates (as admin.conf) a kubelet client CSR for `system:node:<node>` in `system:nodes`: a new
 * ECDSA P-256 key in `dir`, signer {@link KUBELET_CLIENT_SIGNER}, an hour of validity. Returns the key file.
 */
export async function createKubeletClientCsr(cluster: Cluster, name: string, node: string, dir: string): Promise<string> {
  await cluster.kubectl(cluster.adminConf, "delete", "csr", name, "--ignore-not-found");
  const csr = newCsr(dir, node, `/O=system:nodes/CN=system:node:${node}`);
  const object = {
    apiVersion: "certificates.k8s.io/v1",
    kind: "CertificateSigningRequest",
    metadata: { name },
    spec: {
      request: Buffer.from(csr.csrPem).toString("base64"),
      signerName: KUBELET_CLIENT_SIGNER,
      usages: ["digital signature", "client auth"],
      expirationSeconds: 3600,
    },
  };
  const r = await cluster.create(cluster.adminConf, object);
  if (r.code !== 0) throw new Error(`creating CSR ${name}: ${r.stderr.trim()}`);
  return csr.key;
}

/** `kubectl certificate approve`, then waits until kube-controller-manager has signed it; returns the certificate (PEM). */
export async function approveAndWaitSigned(cluster: Cluster, name: string): Promise<string> {
  await cluster.kubectlOk(cluster.adminConf, "certificate", "approve", name);
  return waitFor(`CSR ${name} signed`, 120_000, async () => {
    const csr = await cluster.kubectlJson<{ status: { certificate?: string } }>(cluster.adminConf, "get", "csr", name);
    return csr.status.certificate === undefined ? undefined : Buffer.from(csr.status.certificate, "base64").toString("utf8");
  });
}
