import * as assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { PeerCertificate } from "node:tls";
import { apiServer, clusterCa } from "../../components/catalog/kubernetes";
import { etcdCa } from "../../components/catalog/etcd";
import { frontProxyCa } from "../../components/catalog/frontProxy";
import { readText } from "./harness/cluster";
import { verifyServerAs } from "./harness/https";
import { readTopology } from "./harness/topology";
import { e2eCluster } from "./hooks";

const topology = readTopology();
const plan = topology.plan;

/** Every name a client may use for an API server, as docs/kubeadm-spec.md §2.2 gives them. */
function namesClientsUse(node: { name: string; address: string }): string[] {
  return [...new Set([
    node.address,
    plan.endpointHost,
    plan.apiServerServiceIp,
    node.name,
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    `kubernetes.default.svc.${plan.dnsDomain}`,
  ])];
}

/** Names outside the certificate: another node's address, loopback names kubeadm leaves out, a near miss. */
function namesOutside(node: { address: string }): string[] {
  const others = topology.controlPlane.filter((n) => n.address !== node.address && n.address !== plan.endpointHost).map((n) => n.address);
  return [...others, "127.0.0.1", "localhost", "kubernetes.default.svc.cluster", "10.96.0.2"];
}

async function tlsError(promise: Promise<PeerCertificate>): Promise<NodeJS.ErrnoException> {
  try {
    await promise;
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
  assert.fail("the TLS handshake succeeded");
}

describe("API server serving certificate: verifies for every name clients use, and no other", () => {
  for (const n of topology.controlPlane) {
    describe(`${n.name} (${n.address}:${plan.bindPort})`, () => {
      for (const name of namesClientsUse(n)) {
        it(`verifies against ca.crt as "${name}"`, async () => {
          const node = e2eCluster().node(n.name);
          const cert = await verifyServerAs(n.address, plan.bindPort, name, readText(node.crt(clusterCa)));
          assert.equal(cert.subject.CN, "kube-apiserver");
          assert.equal(new X509Certificate(readText(node.crt(apiServer))).fingerprint256, cert.fingerprint256, "it serves the rendered apiserver.crt");
        });
      }
      for (const name of namesOutside(n)) {
        it(`is refused as "${name}" (not a SAN)`, async () => {
          const node = e2eCluster().node(n.name);
          const error = await tlsError(verifyServerAs(n.address, plan.bindPort, name, readText(node.crt(clusterCa))));
          assert.equal(error.code, "ERR_TLS_CERT_ALTNAME_INVALID", error.message);
        });
      }
      it("does not verify against etcd-ca or front-proxy-ca", async () => {
        const node = e2eCluster().node(n.name);
        for (const other of [etcdCa, frontProxyCa]) {
          const error = await tlsError(verifyServerAs(n.address, plan.bindPort, n.address, readText(node.crt(other))));
          assert.match(String(error.code), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/, error.message);
        }
      });
    });
  }

  it("kubectl (Go's TLS) reaches every API server as kubernetes.default.svc with --tls-server-name", async () => {
    const cluster = e2eCluster();
    for (const node of cluster.controlPlane) {
      const out = await cluster.kubectlOk(cluster.superAdminConf, `--server=${cluster.apiServerUrl(node)}`,
        "--tls-server-name=kubernetes.default.svc", "get", "--raw", "/readyz");
      assert.equal(out.trim(), "ok");
    }
  });
});
