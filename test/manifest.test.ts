import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { catalogFile } from "../offline/inspect/catalogFiles";
import { buildManifest, Manifest, ManifestFile } from "../offline/manifest";
import { RenderedStack } from "../offline/runProgram";
import { stackCertificates, treeFiles } from "../offline/tree";
import { renderDevStack } from "./helpers/checkTree";

describe("buildManifest (manifest.json)", () => {
  let rendered: RenderedStack;
  let manifest: Manifest;
  const at = (treePath: string): ManifestFile => {
    const file = manifest.files.find((f) => f.treePath === treePath);
    assert.ok(file, `manifest has no ${treePath}`);
    return file;
  };

  before(async function () {
    this.timeout(600_000);
    rendered = await renderDevStack();
    manifest = buildManifest(rendered, new Date("2030-01-02T03:04:05Z"));
  });

  it("lists every file of the rendered tree once, at the path treeFiles writes it", () => {
    const treePaths = treeFiles(rendered).map((f) => f.path).sort();
    assert.deepEqual(manifest.files.map((f) => f.treePath), treePaths);
  });

  it("records each file's mode and the SHA-256 of its content", () => {
    for (const file of treeFiles(rendered)) {
      const entry = at(file.path);
      assert.equal(entry.mode, file.mode, file.path);
      assert.equal(entry.sha256, createHash("sha256").update(file.content).digest("hex"), file.path);
    }
  });

  it("names each file's node and path on the node, and (operator) for the admin/ kubeconfigs", () => {
    assert.deepEqual(
      { node: at("nodes/cp-2/etc/kubernetes/pki/etcd/server.key").node, path: at("nodes/cp-2/etc/kubernetes/pki/etcd/server.key").path },
      { node: "cp-2", path: "/etc/kubernetes/pki/etcd/server.key" },
    );
    const admin = at("admin/super-admin.conf");
    assert.equal(admin.node, "(operator)");
    assert.equal(admin.path, "/etc/kubernetes/super-admin.conf");
  });

  it("tells certificates, private keys, public keys and kubeconfigs apart, with their catalog row", () => {
    const kinds = (treePath: string): [string, string | undefined] => [at(treePath).kind, at(treePath).row];
    assert.deepEqual(kinds("nodes/cp-1/etc/kubernetes/pki/apiserver.crt"), ["certificate", "apiserver"]);
    assert.deepEqual(kinds("nodes/cp-1/etc/kubernetes/pki/apiserver.key"), ["private-key", "apiserver"]);
    assert.deepEqual(kinds("nodes/cp-1/etc/kubernetes/pki/sa.pub"), ["public-key", "sa"]);
    assert.deepEqual(kinds("nodes/cp-1/etc/kubernetes/pki/sa.key"), ["private-key", "sa"]);
    assert.deepEqual(kinds("nodes/worker-1/var/lib/kube-proxy/kubeconfig.conf"), ["kubeconfig", "kube-proxy.conf"]);
    assert.deepEqual(kinds("nodes/worker-1/etc/kubernetes/pki/ca.crt"), ["certificate", "ca"]);
    assert.deepEqual(kinds("cloud-init/worker-1.yaml"), ["user-data", undefined]);
    assert.equal(at("cloud-init/worker-1.yaml").node, "worker-1");
  });

  it("describes every certificate the inventory finds, CAs and kubeconfig client certificates included", () => {
    const described = manifest.files.filter((f) => f.certificate !== undefined);
    const entries = stackCertificates(rendered);
    assert.equal(described.length, entries.length);
    for (const entry of entries) {
      const file = manifest.files.find((f) => f.node === (entry.node ?? "(operator)") && f.path === entry.path);
      assert.ok(file?.certificate, `${entry.node}:${entry.path} is not described`);
      assert.equal(file.certificate.row, entry.name);
      assert.equal(file.certificate.issuingCa, entry.ca);
      assert.equal(file.certificate.notAfter, new Date(entry.certificate.validTo).toISOString());
      assert.equal(file.certificate.notBefore, new Date(entry.certificate.validFrom).toISOString());
      assert.equal(file.certificate.fingerprintSha256, entry.certificate.fingerprint256);
    }
    assert.ok(manifest.files.filter((f) => f.kind === "private-key" || f.kind === "public-key").every((f) => f.certificate === undefined));
  });

  it("gives subject, issuer and SANs of a node's apiserver certificate", () => {
    const cert = at("nodes/cp-2/etc/kubernetes/pki/apiserver.crt").certificate!;
    assert.equal(cert.subject, "CN=kube-apiserver");
    assert.equal(cert.issuer, "CN=kubernetes");
    assert.equal(cert.issuingCa, "ca");
    for (const name of ["cp-2", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "api.dev.example.com"]) {
      assert.ok(cert.dnsNames.includes(name), name);
    }
    assert.deepEqual(cert.ipAddresses, ["10.96.0.1", "10.0.0.12", "10.0.0.100"]);
  });

  it("describes a kubeconfig's client certificate and a CA certificate", () => {
    const admin = at("admin/admin.conf").certificate!;
    assert.deepEqual([admin.row, admin.issuingCa, admin.subject, admin.issuer], ["admin.conf", "ca", "O=kubeadm:cluster-admins, CN=kubernetes-admin", "CN=kubernetes"]);
    const etcdCa = at("nodes/cp-3/etc/kubernetes/pki/etcd/ca.crt").certificate!;
    assert.deepEqual([etcdCa.row, etcdCa.issuingCa, etcdCa.subject, etcdCa.issuer], ["etcd-ca", "etcd-ca", "CN=etcd-ca", "CN=etcd-ca"]);
  });

  it("is plain JSON stamped with the time passed in, and holds no key material", () => {
    assert.equal(manifest.stack, "dev");
    assert.equal(manifest.generatedAt, "2030-01-02T03:04:05.000Z");
    const text = JSON.stringify(manifest);
    assert.deepEqual(JSON.parse(text), manifest);
    assert.doesNotMatch(text, /-----BEGIN|PRIVATE KEY/);
    const keyBody = (pem: string): string => pem.split("\n")[1];
    for (const files of Object.values(rendered.files)) {
      for (const file of Object.values(files)) if (catalogFile(file.path)?.role === "private-key") assert.ok(!text.includes(keyBody(file.content)), file.path);
    }
  });
});
