import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { clusterCa } from "../../components/catalog/kubernetes";
import { BOOTSTRAP_DIR } from "../../offline/tree";
import { writeKubeconfig } from "./harness/kubeconfigFile";
import { newCsr } from "./harness/openssl";
import { waitFor } from "./harness/wait";
import { e2eCluster } from "./hooks";

const NODE = "e2e-autoscaled-1";

interface Csr {
  status: { certificate?: string; conditions?: { type: string; reason: string }[] };
}

interface WhoAmI {
  status: { userInfo: { username: string; groups: string[] } };
}

/**
 * docs/kubeadm-spec.md §5.1–§5.5: a node that joins with nothing but `ca.crt` and the rendered
 * `bootstrap-kubelet.conf` gets its kubelet client certificate through the CSR API: the token
 * authenticates as a bootstrapper, the kubeadm bindings let it submit a CSR that
 * kube-controller-manager's csrapproving controller approves and csrsigning signs; the node then
 * renews itself through the selfnodeclient binding.
 */
describe("TLS bootstrap: a kubelet-like client with the rendered bootstrap-kubelet.conf", () => {
  let dir = "";
  let bootstrapConf = "";
  let nodeConf = "";
  const created: string[] = [];

  /** Submits a kubelet client CSR (ECDSA P-256, as a kubelet makes) as `kubeconfig`; returns the key path and the signed PEM. */
  async function submit(kubeconfig: string, label: string): Promise<{ key: string; certPem: string; csr: Csr }> {
    const cluster = e2eCluster();
    const name = `node-csr-${label}-${randomBytes(4).toString("hex")}`;
    const { key, csrPem } = newCsr(dir, name, `/O=system:nodes/CN=system:node:${NODE}`);
    const object = {
      apiVersion: "certificates.k8s.io/v1",
      kind: "CertificateSigningRequest",
      metadata: { name },
      spec: {
        request: Buffer.from(csrPem).toString("base64"),
        signerName: "kubernetes.io/kube-apiserver-client-kubelet",
        usages: ["digital signature", "client auth"],
      },
    };
    const r = await cluster.create(kubeconfig, object);
    assert.equal(r.code, 0, r.stderr);
    created.push(name);
    const csr = await waitFor(`CSR ${name} approved and signed`, 120_000, async () => {
      const c = await cluster.kubectlJson<Csr>(kubeconfig, "get", "csr", name);
      return c.status.certificate === undefined ? undefined : c;
    });
    return { key, certPem: Buffer.from(csr.status.certificate!, "base64").toString("utf8"), csr };
  }

  before(async () => {
    const cluster = e2eCluster();
    await cluster.applyManifests();
    dir = cluster.scratch("tls-bootstrap");
    bootstrapConf = join(cluster.treeDir, BOOTSTRAP_DIR, "default", "bootstrap-kubelet.conf");
  });

  after(async () => {
    const cluster = e2eCluster();
    for (const name of created) await cluster.kubectl(cluster.superAdminConf, "delete", "csr", name, "--ignore-not-found");
  });

  it("the token authenticates as system:bootstrap:<id> in system:bootstrappers and kubeadm's default-node-token group", async () => {
    const cluster = e2eCluster();
    const who = await waitFor("the token Secret is seen by every API server", 60_000, async () => {
      const r = await cluster.kubectl(bootstrapConf, "auth", "whoami", "-o", "json");
      return r.code === 0 ? (JSON.parse(r.stdout) as WhoAmI) : undefined;
    });
    assert.match(who.status.userInfo.username, /^system:bootstrap:[a-z0-9]{6}$/);
    assert.ok(who.status.userInfo.groups.includes("system:bootstrappers"));
    assert.ok(who.status.userInfo.groups.includes("system:bootstrappers:kubeadm:default-node-token"));
  });

  it("the token may not do more than bootstrap: listing secrets is forbidden", async () => {
    const r = await e2eCluster().kubectl(bootstrapConf, "get", "secrets", "-n", "kube-system");
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /forbidden/i);
  });

  it("its CSR for system:node:<name> is auto-approved (kubeadm:node-autoapprove-bootstrap) and signed by the cluster CA; the certificate authenticates as system:node:<name>", async () => {
    const cluster = e2eCluster();
    const { key, certPem, csr } = await submit(bootstrapConf, "bootstrap");
    assert.ok(csr.status.conditions?.some((c) => c.type === "Approved" && c.reason === "AutoApproved"), JSON.stringify(csr.status.conditions));
    const certFile = join(dir, `${NODE}.crt`);
    writeFileSync(certFile, certPem);
    const cp = cluster.controlPlane[0];
    nodeConf = writeKubeconfig(join(dir, "kubelet.conf"), { server: cluster.apiServerUrl(cp), caFile: cp.crt(clusterCa), certFile, keyFile: key });
    const who = await cluster.kubectlJson<WhoAmI>(nodeConf, "auth", "whoami");
    assert.equal(who.status.userInfo.username, `system:node:${NODE}`);
    assert.ok(who.status.userInfo.groups.includes("system:nodes"));
  });

  it("the node renews its own certificate: a CSR it submits is auto-approved through kubeadm:node-autoapprove-certificate-rotation", async () => {
    assert.ok(nodeConf !== "", "made by the previous test");
    const { csr } = await submit(nodeConf, "rotation");
    assert.ok(csr.status.conditions?.some((c) => c.type === "Approved" && c.reason === "AutoApproved"), JSON.stringify(csr.status.conditions));
  });
});
