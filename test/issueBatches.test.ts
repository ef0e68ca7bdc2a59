import * as assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { WORKERS_PER_BATCH } from "../components/issueBatches";
import { runProgram, stackEmulator } from "../offline/runProgram";
import { LOCALLY_SIGNED_CERT } from "../offline/tls/tokens";

const WORKERS = 2 * WORKERS_PER_BATCH + 7;

/** A cluster of 3 control-plane nodes and {@link WORKERS} workers: three batches of workers. */
function bigCluster(): { stack: string; config: Record<string, string> } {
  const cluster = {
    clusterName: "kubernetes",
    controlPlaneEndpoint: "api.batches.example.com:6443",
    encryptionAlgorithm: "ECDSA-P256",
    controlPlane: [1, 2, 3].map((i) => ({ name: `cp-${i}`, address: `10.0.0.${10 + i}` })),
    workers: Array.from({ length: WORKERS }, (_, i) => ({ name: `worker-${i + 1}`, address: `10.1.${Math.floor(i / 200)}.${(i % 200) + 21}` })),
  };
  return { stack: "batches", config: { "kubernetes-pki:cluster": JSON.stringify(cluster) } };
}

/** The batch of a worker's resource by its name (`…-worker-<n>`), or 0 for the control plane and the operator. */
function batchOf(resourceName: string): number {
  const match = /-worker-(\d+)$/.exec(resourceName);
  return match === null ? 0 : Math.floor((Number(match[1]) - 1) / WORKERS_PER_BATCH);
}

describe("workers issued in batches (components/issueBatches.ts)", function () {
  this.timeout(300_000);

  it("registers each batch of workers once every certificate of the batch before is answered, and issues every node's files", async () => {
    const emulator = stackEmulator({ record: true });
    const rendered = await runProgram(bigCluster(), emulator);
    const certificates = emulator.resources.filter((r) => r.type === LOCALLY_SIGNED_CERT);
    assert.equal(certificates.length, 3 * 13 + 2 + 3 * WORKERS);
    for (let batch = 1; batch <= 2; batch++) {
      const lastBefore = Math.max(...emulator.resources.flatMap((r, i) => (r.type === LOCALLY_SIGNED_CERT && batchOf(r.name) === batch - 1 ? [i] : [])));
      const firstOfBatch = emulator.resources.findIndex((r) => r.custom && batchOf(r.name) === batch);
      assert.ok(firstOfBatch > lastBefore, `batch ${batch} answered a resource (#${firstOfBatch}) before batch ${batch - 1}'s last certificate (#${lastBefore})`);
    }
    assert.equal(Object.keys(rendered.files).length, 3 + WORKERS);
    const ca = new X509Certificate(rendered.caCertificates.ca);
    for (const worker of ["worker-1", `worker-${WORKERS_PER_BATCH + 1}`, `worker-${WORKERS}`]) {
      const files = rendered.files[worker];
      const serving = new X509Certificate(files["/var/lib/kubelet/pki/kubelet.crt"].content);
      assert.ok(serving.verify(ca.publicKey), `${worker}'s kubelet serving certificate is not signed by the cluster CA`);
      assert.match(serving.subject, new RegExp(`CN=system:node:${worker}`));
      assert.match(files["/etc/kubernetes/kubelet.conf"].content, /client-key-data: /);
    }
    assert.equal(rendered.expiryReport.filter((row) => row.node === `worker-${WORKERS}`).length, 3);
  });
});
