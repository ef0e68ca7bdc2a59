import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { clusterNodeCount, heapFor, relaunchWithRoomFor } from "../offline/heapRoom";
import { writeStack } from "./helpers/renderCli";

const ROOT = join(__dirname, "..");

describe("render heap room", function () {
  this.timeout(300_000);

  it("counts control-plane nodes, workers and dedicated etcd members of the stack's cluster", () => {
    const cluster = {
      controlPlane: [{ name: "cp-1" }, { name: "cp-2" }],
      workers: [{ name: "w-1" }, { name: "w-2" }, { name: "w-3" }],
      etcd: { members: [{ name: "etcd-1" }] },
    };
    assert.equal(clusterNodeCount({ stack: "s", config: { "kubernetes-pki:cluster": JSON.stringify(cluster) } }), 6);
    assert.equal(clusterNodeCount({ stack: "s", config: {} }), 0);
    assert.equal(clusterNodeCount({ stack: "s", config: { "kubernetes-pki:cluster": "not json" } }), 0);
  });

  it("asks for half a MiB per node over a base, at most three quarters of the memory", () => {
    assert.equal(heapFor(1_000), 860);
    assert.equal(heapFor(5_003), 2_862);
    assert.equal(heapFor(10_000_000), Math.floor((0.75 * totalmem()) / 2 ** 20));
  });

  it("renders a large cluster in a child with a larger young generation, and only once", async () => {
    const said: string[] = [];
    const before = process.env.KUBERNETES_PKI_RENDER_RELAUNCHED_WITH;
    process.env.KUBERNETES_PKI_RENDER_RELAUNCHED_WITH = "--max-old-space-size=2862 --max-semi-space-size=32";
    try {
      assert.equal(await relaunchWithRoomFor(5_000, (line) => said.push(line)), false, "a relaunched render renders itself");
    } finally {
      if (before === undefined) delete process.env.KUBERNETES_PKI_RENDER_RELAUNCHED_WITH;
      else process.env.KUBERNETES_PKI_RENDER_RELAUNCHED_WITH = before;
    }
    assert.equal(said.length, 0, said.join("\n"));
    assert.equal(await relaunchWithRoomFor(10, (line) => said.push(line)), false, "a small cluster renders in this process");
    assert.equal(said.length, 0, said.join("\n"));
  });

  it("renders in a child with a larger heap when the process's heap is too small for the cluster", () => {
    const scratch = mkdtempSync(join(tmpdir(), "k8s-pki-heap-"));
    try {
      const stack = writeStack(scratch, "small", {
        encryptionAlgorithm: "ECDSA-P256",
        controlPlane: [{ name: "cp-1", address: "127.0.0.11" }],
        workers: [{ name: "worker-1", address: "127.0.0.21" }],
      });
      const out = join(scratch, "out");
      const run = spawnSync(
        process.execPath,
        ["--max-old-space-size=300", "-r", "ts-node/register", "offline/render.ts", "--config", stack, "--out", out],
        { cwd: ROOT, encoding: "utf8", env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" } },
      );
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stderr, /2 nodes need about 361 MiB of heap, over this process's \d+ MiB: rendering in a child process with --max-old-space-size=361/);
      assert.match(run.stdout, /stack small: 2 nodes, \d+ files written to /);
      assert.ok(existsSync(join(out, "nodes/worker-1/etc/kubernetes/kubelet.conf")));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
