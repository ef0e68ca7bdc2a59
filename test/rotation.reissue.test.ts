import * as assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { KubernetesPkiArgs } from "../components";
import { named, Run, up } from "./helpers/consecutiveRuns";

const DAY = 86_400_000;
const args = (rotation: KubernetesPkiArgs["rotation"] = {}, more: Partial<KubernetesPkiArgs> = {}): KubernetesPkiArgs => ({
  encryptionAlgorithm: "ECDSA-P256",
  controlPlane: [{ name: "cp-1", address: "10.0.0.11" }, { name: "cp-2", address: "10.0.0.12" }],
  workers: [{ name: "worker-1" }],
  rotation,
  ...more,
});
const leafTypes = ["PrivateKey", "CertRequest", "LocallySignedCert"];

/** Every leaf name a run replaced, checked to be the same set for the key, the CSR and the certificate. */
function reissued(run: Run): string[] {
  const [keys, csrs, certs] = leafTypes.map((type) => named(run, type, "replace"));
  assert.deepEqual(csrs, keys, "every re-keyed leaf gets a new CSR");
  assert.deepEqual(certs, keys, "every re-keyed leaf gets a new certificate");
  return keys;
}

describe("deliberate re-issue and renewal with new keys (consecutive runs under the emulator)", function () {
  this.timeout(600_000);
  const start = new Date("2027-01-01T00:00:00Z");
  let first: Run;
  before(async () => (first = await up(args(), undefined, start)));

  it("puts a replacementTrigger on every leaf's key, CSR and certificate, and on nothing else", () => {
    const leaves = named(first, "LocallySignedCert", "create");
    assert.ok(leaves.includes("prod-etcd-peer-cp-1") && leaves.includes("prod-admin.conf"));
    for (const [key, step] of first.steps) {
      const [type, name] = key.split("::");
      const trigger = first.emulator.triggers.get(key);
      assert.equal(step.kind, "create");
      if (leafTypes.some((t) => type.endsWith(`:${t}`)) && leaves.includes(name)) {
        assert.match(String(trigger), /^generation 0\.0\.0 issuer 0 issued 2027-01-01T00:00:00\.000Z$/, key);
      } else {
        assert.equal(trigger, undefined, `${key} carries no trigger`);
      }
    }
    assert.deepEqual(named(first, "RenewalCheck", "create"), leaves, "one renewal check per leaf, named like it");
  });

  it("keeps everything when run again unchanged", async () => {
    const again = await up(args(), first.state, new Date(start.getTime() + DAY));
    assert.deepEqual([...again.steps.values()].filter((s) => s.kind !== "keep"), []);
    assert.deepEqual(again.files, first.files);
  });

  it("re-issues every etcd-peer certificate, with new keys, when its generation is bumped, and nothing else", async () => {
    const next = await up(args({ reissue: { certificates: { "etcd-peer": 1 } } }), first.state, start);
    assert.deepEqual(reissued(next), ["prod-etcd-peer-cp-1", "prod-etcd-peer-cp-2"]);
    assert.deepEqual(named(next, "RenewalCheck", "replace"), ["prod-etcd-peer-cp-1", "prod-etcd-peer-cp-2"]);
    const path = "/etc/kubernetes/pki/etcd/peer";
    assert.notEqual(next.files["cp-1"][`${path}.key`].content, first.files["cp-1"][`${path}.key`].content);
    assert.equal(next.files["cp-1"]["/etc/kubernetes/pki/etcd/server.key"].content, first.files["cp-1"]["/etc/kubernetes/pki/etcd/server.key"].content);
  });

  it("re-issues every certificate of one node (a compromised node), and nothing of the others", async () => {
    const next = await up(args({ reissue: { nodes: { "cp-2": 1 } } }), first.state, start);
    const names = reissued(next);
    assert.ok(names.length >= 10);
    for (const name of names) assert.match(name, /-cp-2$/);
    assert.deepEqual(named(next, "SelfSignedCert", "replace"), []);
  });

  it("re-issues every leaf and kubeconfig identity for reissue.all, but no CA and not the service-account key", async () => {
    const next = await up(args({ reissue: { all: 1 } }), first.state, start);
    assert.deepEqual(reissued(next), named(first, "LocallySignedCert", "create"));
    assert.deepEqual(named(next, "SelfSignedCert", "keep").length, 3);
    assert.equal(next.serviceAccount.privateKeyPem, first.serviceAccount.privateKeyPem);
  });

  it("renews every leaf with a new key once inside certificateRenewBefore, and not a minute before", async () => {
    const notAfter = new Date(new X509Certificate(first.files["cp-1"]["/etc/kubernetes/pki/apiserver.crt"].content).validTo).getTime();
    const before = await up(args(), first.state, new Date(notAfter - 30 * DAY - 60_000));
    assert.deepEqual(reissued(before), []);
    const at = await up(args(), first.state, new Date(notAfter - 30 * DAY + 60_000));
    assert.deepEqual(reissued(at), named(first, "LocallySignedCert", "create"));
    const renewed = new X509Certificate(at.files["cp-1"]["/etc/kubernetes/pki/apiserver.crt"].content);
    assert.ok(new Date(renewed.validTo).getTime() > notAfter, "the renewed certificate lives longer");
    assert.notEqual(at.files["cp-1"]["/etc/kubernetes/pki/apiserver.key"].content, first.files["cp-1"]["/etc/kubernetes/pki/apiserver.key"].content);
    assert.notEqual(at.files["cp-1"]["/etc/kubernetes/admin.conf"].content, first.files["cp-1"]["/etc/kubernetes/admin.conf"].content);
    assert.deepEqual(named(at, "SelfSignedCert", "replace"), [], "CA certificates are never replaced automatically");
  });

  it("renews one trust domain earlier with trustDomainCertificateRenewBefore", async () => {
    const notAfter = new Date(new X509Certificate(first.files["cp-1"]["/etc/kubernetes/pki/etcd/server.crt"].content).validTo).getTime();
    const next = await up(args({}, { trustDomainCertificateRenewBefore: { etcd: "2160h" } }), first.state, new Date(notAfter - 60 * DAY));
    const names = reissued(next);
    assert.ok(names.length > 0);
    for (const name of names) assert.match(name, /etcd/);
  });

  it("warns, naming the CA, its expiry and the staged steps, once a CA is inside caCertificateRenewBefore; replaces nothing", async () => {
    const caEnd = new Date(new X509Certificate(first.caCertificates["etcd-ca"]).validTo).getTime();
    const quiet = await up(args(), first.state, new Date(caEnd - 366 * DAY));
    assert.deepEqual(quiet.warnings, []);
    const late = await up(args(), first.state, new Date(caEnd - 364 * DAY));
    const etcd = late.warnings.find((w) => w.includes('CA "etcd-ca"'));
    assert.ok(etcd, late.warnings.join("\n"));
    assert.match(etcd, /expires \d{4}-\d\d-\d\dT.*caCertificateRenewBefore \(8760h\).*rotation\["etcd-ca"\] = \{ generation: 1, phase: "prepare" \}.*"switch".*"finish"/);
    assert.equal(late.warnings.length, 3, "one warning per CA");
    assert.deepEqual(named(late, "SelfSignedCert", "replace"), []);
  });
});
