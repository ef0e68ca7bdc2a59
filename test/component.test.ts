import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesPki, KubernetesPkiArgs, KubernetesPkiInputError } from "../components";
import { TlsEmulator } from "../offline/tlsEmulator";
import { unwrap } from "./helpers/unwrap";

/** A small stack (ECDSA keys are fast) for tests of the component's shape rather than its certificates. */
const smallArgs = (controlPlane = ["cp-1", "cp-2"], workers = ["worker-1"]): KubernetesPkiArgs => ({
  encryptionAlgorithm: "ECDSA-P256",
  controlPlane: controlPlane.map((name, i) => ({ name, address: `10.0.0.${11 + i}` })),
  workers: workers.map((name) => ({ name })),
});

async function construct(args: KubernetesPkiArgs, emulator = new TlsEmulator()): Promise<{ pki: KubernetesPki; emulator: TlsEmulator }> {
  await pulumi.runtime.setMocks(emulator, "kubernetes-pki", "test", false);
  const pki = new KubernetesPki("prod", args);
  await unwrap(pki.files);
  await unwrap(pki.kubeconfigs.superAdmin);
  return { pki, emulator };
}

const tlsNames = (emulator: TlsEmulator): string[] =>
  emulator.resources.filter((r) => r.type.startsWith("tls:")).map((r) => `${r.type}::${r.name}`).sort();

describe("KubernetesPki component", function () {
  this.timeout(300_000);

  it("marks every private key, kubeconfig and file map secret, and CA certificates public", async () => {
    const { pki } = await construct(smallArgs());
    assert.equal(await pulumi.isSecret(pki.caPrivateKeys), true, "caPrivateKeys");
    assert.equal(await pulumi.isSecret(pki.serviceAccount.privateKeyPem), true, "serviceAccount.privateKeyPem");
    assert.equal(await pulumi.isSecret(pki.kubeconfigs.admin), true, "kubeconfigs.admin");
    assert.equal(await pulumi.isSecret(pki.kubeconfigs.superAdmin), true, "kubeconfigs.superAdmin");
    assert.equal(await pulumi.isSecret(pki.files), true, "files");
    assert.equal(await pulumi.isSecret(pki.nodeFiles("worker-1")), true, "nodeFiles(worker-1)");
    assert.equal(await pulumi.isSecret(pki.caCertificates), false, "caCertificates");
    assert.equal(await pulumi.isSecret(pki.serviceAccount.publicKeyPem), false, "serviceAccount.publicKeyPem");
  });

  it("names every child after its asset and node, each name once", async () => {
    const { emulator } = await construct(smallArgs());
    const names = tlsNames(emulator);
    assert.equal(new Set(names).size, names.length, "duplicate child names (the engine would reject them)");
    assert.ok(names.includes("tls:index/privateKey:PrivateKey::prod-ca"));
    assert.ok(names.includes("tls:index/locallySignedCert:LocallySignedCert::prod-etcd-server-cp-2"));
    assert.ok(names.includes("tls:index/locallySignedCert:LocallySignedCert::prod-kubelet.conf-worker-1"));
    assert.ok(names.includes("tls:index/locallySignedCert:LocallySignedCert::prod-super-admin.conf"));
  });

  it("adds only the new node's resources when a node is added, and removes only its own when removed", async () => {
    const before = tlsNames((await construct(smallArgs(["cp-1", "cp-2"], ["worker-1"]))).emulator);
    const after = tlsNames((await construct(smallArgs(["cp-1", "cp-2", "cp-3"], ["worker-1"]))).emulator);
    assert.deepEqual(before.filter((n) => !after.includes(n)), [], "a resource of another node was renamed");
    const added = after.filter((n) => !before.includes(n));
    assert.ok(added.length > 0);
    for (const name of added) assert.match(name, /-cp-3$/);
    const withoutFirst = tlsNames((await construct(smallArgs(["cp-2"], ["worker-1"]))).emulator);
    for (const name of before.filter((n) => !withoutFirst.includes(n))) assert.match(name, /-cp-1$/);
  });

  it("creates leaves from CSRs with kubeadm's usages and the configured validity and renewal window", async () => {
    const { emulator } = await construct({ ...smallArgs(), certificateValidityPeriod: "4380h", certificateRenewBefore: "336h" });
    const apiserver = emulator.resources.find((r) => r.type === "tls:index/locallySignedCert:LocallySignedCert" && r.name === "prod-apiserver-cp-1");
    assert.deepEqual(apiserver?.inputs.allowedUses, ["digital_signature", "key_encipherment", "server_auth"]);
    assert.equal(apiserver?.inputs.validityPeriodHours, 4380);
    assert.equal(apiserver?.inputs.earlyRenewalHours, 336);
    const ca = emulator.resources.find((r) => r.type === "tls:index/selfSignedCert:SelfSignedCert" && r.name === "prod-ca");
    assert.deepEqual(ca?.inputs.allowedUses, ["cert_signing", "digital_signature", "key_encipherment"]);
    assert.equal(ca?.inputs.isCaCertificate, true);
    // CA certificates carry no renewal window: they are rotated in stages, never replaced automatically.
    assert.equal(ca?.inputs.earlyRenewalHours, undefined);
    const key = emulator.resources.find((r) => r.type === "tls:index/privateKey:PrivateKey" && r.name === "prod-ca");
    assert.deepEqual({ algorithm: key?.inputs.algorithm, ecdsaCurve: key?.inputs.ecdsaCurve }, { algorithm: "ECDSA", ecdsaCurve: "P256" });
  });

  it("gives dedicated etcd members only etcd's files, and control-plane nodes no etcd server or peer certificate", async () => {
    const { pki } = await construct({ ...smallArgs(["cp-1"], []), etcd: { members: [{ name: "etcd-1", address: "10.0.2.1" }] } });
    const files = await unwrap(pki.files);
    assert.deepEqual(Object.keys(files["etcd-1"]).sort(), [
      "/etc/kubernetes/pki/etcd/ca.crt",
      "/etc/kubernetes/pki/etcd/healthcheck-client.crt",
      "/etc/kubernetes/pki/etcd/healthcheck-client.key",
      "/etc/kubernetes/pki/etcd/peer.crt",
      "/etc/kubernetes/pki/etcd/peer.key",
      "/etc/kubernetes/pki/etcd/server.crt",
      "/etc/kubernetes/pki/etcd/server.key",
    ]);
    assert.equal(files["cp-1"]["/etc/kubernetes/pki/etcd/server.crt"], undefined);
    assert.ok(files["cp-1"]["/etc/kubernetes/pki/apiserver-etcd-client.crt"]);
  });

  it("throws before creating any child when the input is invalid", async () => {
    const emulator = new TlsEmulator();
    await pulumi.runtime.setMocks(emulator, "kubernetes-pki", "test", false);
    assert.throws(() => new KubernetesPki("bad", { controlPlane: [{ name: "cp-1", address: "300.0.0.1" }] }), KubernetesPkiInputError);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(emulator.resources.filter((r) => r.type.startsWith("tls:")), []);
  });

  for (const [what, args] of [
    ["a misspelt field", { controlPlane: [{ name: "cp-1", address: "10.0.0.11" }], certSans: ["10.0.0.100"] }],
    ["a scalar where a list belongs", { controlPlane: [{ name: "cp-1", address: "10.0.0.11" }], workers: "w-1" }],
    ["a zoned address", { controlPlane: [{ name: "cp-1", address: "fe80::1%eth0" }] }],
    ["a validity X.509 cannot hold", { controlPlane: [{ name: "cp-1", address: "10.0.0.11" }], certificateValidityPeriod: "900000000h" }],
  ] as const) {
    it(`throws at construction, before creating any child, for ${what}`, async () => {
      const emulator = new TlsEmulator();
      await pulumi.runtime.setMocks(emulator, "kubernetes-pki", "test", false);
      assert.throws(() => new KubernetesPki("bad", args as unknown as KubernetesPkiArgs), KubernetesPkiInputError);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(emulator.resources.filter((r) => r.type.startsWith("tls:")), []);
    });
  }

  it("names the nodes it has when asked for an unknown node's files", async () => {
    const { pki } = await construct(smallArgs());
    assert.throws(() => pki.nodeFiles("cp-9"), /KubernetesPki has no node "cp-9"; nodes are cp-1, cp-2, worker-1/);
  });

  it("previews without key material: the files are unknown, nothing fails", async () => {
    await pulumi.runtime.setMocks(new TlsEmulator({ preview: true }), "kubernetes-pki", "test", true);
    const pki = new KubernetesPki("prod", smallArgs());
    assert.equal(await (pki.files as unknown as { isKnown: Promise<boolean> }).isKnown, false);
    assert.equal(await (pki.kubeconfigs.admin as unknown as { isKnown: Promise<boolean> }).isKnown, false);
  });
});
