import * as assert from "node:assert/strict";
import { CATALOG } from "../components/catalog";
import { validate } from "../components/validate";
import { sampleArgs } from "./helpers/sampleArgs";

describe("catalog", () => {
  it("lists every CA before the certificates it signs", () => {
    const seen = new Set<string>();
    for (const row of CATALOG) {
      if (row.kind === "leaf" || row.kind === "kubeconfig") assert.ok(seen.has(row.ca), `${row.id} is listed before its CA ${row.ca}`);
      seen.add(row.id);
    }
  });

  it("has one row per id and kind", () => {
    const keys = CATALOG.map((row) => `${row.kind}:${row.id}`);
    assert.equal(new Set(keys).size, keys.length);
  });

  it("places every file at a distinct path", () => {
    const paths = CATALOG.flatMap((row) => {
      switch (row.kind) {
        case "ca":
        case "leaf":
          return [`${row.file}.crt`, `${row.file}.key`];
        case "key-pair":
          return [`${row.file}.key`, `${row.file}.pub`];
        case "kubeconfig":
          return [row.file];
      }
    });
    assert.equal(new Set(paths).size, paths.length);
    for (const path of paths) assert.match(path, /^\/(etc\/kubernetes|var\/lib\/kubelet|var\/lib\/kube-proxy)\//);
  });

  it("gives operator kubeconfigs a subject that does not depend on the node", () => {
    for (const row of CATALOG) {
      if (row.kind === "kubeconfig" && row.operator) assert.equal(typeof row.subject, "object", row.id);
    }
  });

  it("issues something to every node it names", () => {
    const plan = validate("t", sampleArgs());
    const selected = new Set(CATALOG.flatMap((row) => (row.kind === "leaf" || row.kind === "kubeconfig" ? [row.nodes] : [])));
    for (const role of selected) {
      if (role !== undefined) assert.ok(plan.nodes.some((node) => node.roles.has(role)), role);
    }
  });

  it("keeps the etcd and front-proxy CA keys off every node, and the cluster CA key on control-plane nodes only", () => {
    const keyOn = Object.fromEntries(CATALOG.flatMap((row) => (row.kind === "ca" ? [[row.id, row.keyOn]] : [])));
    assert.deepEqual(keyOn, { ca: ["control-plane"], "etcd-ca": [], "front-proxy-ca": [] });
  });

  it("uses kubeadm's file names", () => {
    const files = CATALOG.map((row) => row.file).sort();
    assert.deepEqual(files, [
      "/etc/kubernetes/admin.conf",
      "/etc/kubernetes/controller-manager.conf",
      "/etc/kubernetes/kubelet.conf",
      "/etc/kubernetes/pki/apiserver",
      "/etc/kubernetes/pki/apiserver-etcd-client",
      "/etc/kubernetes/pki/apiserver-kubelet-client",
      "/etc/kubernetes/pki/ca",
      "/etc/kubernetes/pki/etcd/ca",
      "/etc/kubernetes/pki/etcd/healthcheck-client",
      "/etc/kubernetes/pki/etcd/peer",
      "/etc/kubernetes/pki/etcd/server",
      "/etc/kubernetes/pki/front-proxy-ca",
      "/etc/kubernetes/pki/front-proxy-client",
      "/etc/kubernetes/pki/sa",
      "/etc/kubernetes/scheduler.conf",
      "/etc/kubernetes/super-admin.conf",
      "/var/lib/kube-proxy/kubeconfig.conf",
      "/var/lib/kubelet/pki/kubelet",
    ]);
  });
});
