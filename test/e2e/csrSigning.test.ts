import * as assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { clusterCa } from "../../components/catalog/kubernetes";
import { readText } from "./harness/cluster";
import { writeKubeconfig } from "./harness/kubeconfigFile";
import { approveAndWaitSigned, createKubeletClientCsr } from "./harness/csr";
import { openssl } from "./harness/openssl";
import { e2eCluster } from "./hooks";

const NODE = "e2e-joiner";
const CSR = `e2e-${NODE}-client`;

/**
 * docs/kubeadm-spec.md §5.5: a kubelet's client certificate comes from a CSR with signer
 * `kubernetes.io/kube-apiserver-client-kubelet`, signed by kube-controller-manager's csrsigning
 * controller with `--cluster-signing-cert-file/--cluster-signing-key-file` (the rendered ca.crt/ca.key).
 */
describe("CSR signing: kube-controller-manager signs an approved kubelet client CSR with the rendered cluster CA", () => {
  let certPem = "";
  let dir = "";
  let key = "";

  before(async () => {
    const cluster = e2eCluster();
    await cluster.ensureClusterAdmins();
    dir = cluster.scratch("csr");
    key = await createKubeletClientCsr(cluster, CSR, NODE, dir);
  });

  after(async () => {
    const cluster = e2eCluster();
    await cluster.kubectl(cluster.adminConf, "delete", "csr", CSR, "--ignore-not-found");
  });

  it("kubectl certificate approve, then kube-controller-manager issues the certificate", async () => {
    const cluster = e2eCluster();
    certPem = await approveAndWaitSigned(cluster, CSR);
    assert.match(certPem, /BEGIN CERTIFICATE/);
  });

  it("the certificate chains to the rendered ca.crt, with CN system:node:e2e-joiner, O system:nodes, clientAuth", () => {
    assert.ok(certPem !== "", "issued by the previous test");
    const caPem = readText(e2eCluster().controlPlane[0].crt(clusterCa));
    const ca = new X509Certificate(caPem);
    const cert = new X509Certificate(certPem);
    assert.equal(cert.checkIssued(ca), true);
    assert.equal(cert.verify(ca.publicKey), true);
    assert.equal(cert.issuer, ca.subject);
    assert.match(cert.subject, new RegExp(`CN=system:node:${NODE}`));
    assert.match(cert.subject, /O=system:nodes/);
    const caFile = join(dir, "ca.crt");
    const leafFile = join(dir, `${NODE}.crt`);
    writeFileSync(caFile, caPem);
    writeFileSync(leafFile, certPem);
    assert.match(openssl(["verify", "-CAfile", caFile, "-purpose", "sslclient", leafFile]), /OK/);
  });

  it("the signed certificate authenticates as system:node:e2e-joiner in system:nodes", async () => {
    assert.ok(certPem !== "", "issued by the first test");
    const cluster = e2eCluster();
    const cp = cluster.controlPlane[0];
    const certFile = join(dir, `${NODE}.crt`);
    writeFileSync(certFile, certPem);
    const kubeconfig = writeKubeconfig(join(dir, "kubelet.conf"), { server: cluster.apiServerUrl(cp), caFile: cp.crt(clusterCa), certFile, keyFile: key });
    const review = await cluster.kubectlJson<{ status: { userInfo: { username: string; groups: string[] } } }>(kubeconfig, "auth", "whoami");
    assert.equal(review.status.userInfo.username, `system:node:${NODE}`);
    assert.ok(review.status.userInfo.groups.includes("system:nodes"));
  });
});
