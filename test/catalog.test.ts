import * as assert from "node:assert/strict";
import { CATALOG } from "../components/catalog";
import { partnerPath, rowFiles } from "../components/placement";
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
    const paths = CATALOG.flatMap(rowFiles).map((file) => file.path);
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

  it("uses kubeadm's file names, with .crt, .key and .pub after each stem", () => {
    const paths = CATALOG.flatMap(rowFiles).map((file) => file.path).sort();
    assert.deepEqual(paths, [
      "/etc/kubernetes/admin.conf",
      "/etc/kubernetes/controller-manager.conf",
      "/etc/kubernetes/kubelet.conf",
      "/etc/kubernetes/pki/apiserver-etcd-client.crt",
      "/etc/kubernetes/pki/apiserver-etcd-client.key",
      "/etc/kubernetes/pki/apiserver-kubelet-client.crt",
      "/etc/kubernetes/pki/apiserver-kubelet-client.key",
      "/etc/kubernetes/pki/apiserver.crt",
      "/etc/kubernetes/pki/apiserver.key",
      "/etc/kubernetes/pki/ca.crt",
      "/etc/kubernetes/pki/ca.key",
      "/etc/kubernetes/pki/etcd/ca.crt",
      "/etc/kubernetes/pki/etcd/ca.key",
      "/etc/kubernetes/pki/etcd/healthcheck-client.crt",
      "/etc/kubernetes/pki/etcd/healthcheck-client.key",
      "/etc/kubernetes/pki/etcd/peer.crt",
      "/etc/kubernetes/pki/etcd/peer.key",
      "/etc/kubernetes/pki/etcd/server.crt",
      "/etc/kubernetes/pki/etcd/server.key",
      "/etc/kubernetes/pki/front-proxy-ca.crt",
      "/etc/kubernetes/pki/front-proxy-ca.key",
      "/etc/kubernetes/pki/front-proxy-client.crt",
      "/etc/kubernetes/pki/front-proxy-client.key",
      "/etc/kubernetes/pki/sa.key",
      "/etc/kubernetes/pki/sa.pub",
      "/etc/kubernetes/scheduler.conf",
      "/etc/kubernetes/super-admin.conf",
      "/var/lib/kube-proxy/kubeconfig.conf",
      "/var/lib/kubelet/pki/kubelet.crt",
      "/var/lib/kubelet/pki/kubelet.key",
    ]);
  });

  it("names the other half of every key: certificate or public key ↔ private key; none for a kubeconfig", () => {
    const files = CATALOG.flatMap(rowFiles);
    for (const file of files) {
      const partner = partnerPath(file);
      if (file.role === "kubeconfig") {
        assert.equal(partner, undefined, file.path);
        continue;
      }
      const other = files.find((f) => f.path === partner);
      assert.ok(other !== undefined && other.row === file.row, `${file.path} ↔ ${partner}`);
      assert.ok((file.role === "private-key") !== (other.role === "private-key"), `${file.path} ↔ ${partner}: one half is the private key`);
    }
  });
});
