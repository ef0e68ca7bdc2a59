import * as assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { SECRET_SIG, SIG_KEY } from "../offline/tls/secret";
import { CLOCK_ENV, emulatorProvider, pluginNow, resourceTypeOf } from "./engine/plugins/emulatorProvider";

// The tls plugin's provider object, called the way the provider host calls it: wire values
// (secrets as signature objects, unknowns as the sentinel string), URNs carrying the parent chain.
const URN = (type: string, name: string) => `urn:pulumi:dev::kubernetes-pki::kubernetes-pki:index:KubernetesPki$${type}::${name}`;
const KEY = URN("tls:index/privateKey:PrivateKey", "k");
const CSR = URN("tls:index/certRequest:CertRequest", "k");
const CA = URN("tls:index/selfSignedCert:SelfSignedCert", "ca");
const LEAF = URN("tls:index/locallySignedCert:LocallySignedCert", "leaf");
const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });
const T0 = new Date("2030-01-01T00:00:00Z");
const HOUR = 3_600_000;

/** A provider whose clock the test moves. */
function withClock(start: Date) {
  const clock = { now: start };
  return { clock, tls: emulatorProvider("tls", "5.6.1", () => clock.now) };
}

/** A CA and one leaf it signed, created through the provider: the inputs and the wire state of each. */
async function caAndLeaf(tls: ReturnType<typeof emulatorProvider>) {
  const caKey = await tls.create!(KEY, { algorithm: "ECDSA", ecdsaCurve: "P256" });
  const caKeyPem = (caKey.outs.privateKeyPem as { value: string }).value;
  const caInputs = {
    privateKeyPem: secret(caKeyPem), validityPeriodHours: 1000, earlyRenewalHours: 100,
    allowedUses: ["cert_signing"], isCaCertificate: true, subject: { commonName: "ca" },
  };
  const ca = await tls.create!(CA, caInputs);
  const leafKey = await tls.create!(KEY, { algorithm: "ECDSA", ecdsaCurve: "P256" });
  const csr = await tls.create!(CSR, { privateKeyPem: leafKey.outs.privateKeyPem, subject: { commonName: "leaf" } });
  const leafInputs = {
    certRequestPem: csr.outs.certRequestPem, caCertPem: ca.outs.certPem, caPrivateKeyPem: secret(caKeyPem),
    validityPeriodHours: 100, earlyRenewalHours: 10, allowedUses: ["client_auth"],
  };
  const leaf = await tls.create!(LEAF, leafInputs);
  return { caInputs, ca, leafInputs, leaf };
}

describe("the emulator as a provider plugin", () => {
  it("reads the resource type from the last segment of a URN's type chain", () => {
    assert.equal(resourceTypeOf("tls", LEAF), "tls:index/locallySignedCert:LocallySignedCert");
    assert.throws(() => resourceTypeOf("tls", URN("tls:index/getCertificate:getCertificate", "x")), /unknown resource type tls:index\/getCertificate/);
    assert.throws(() => resourceTypeOf("tls", URN("random:index/randomString:RandomString", "x")), /unknown resource type random:/);
  });

  it("takes its clock from KUBERNETES_PKI_TLS_NOW, and refuses a value that is not a time", () => {
    assert.equal(pluginNow({ [CLOCK_ENV]: "2031-02-03T04:05:06Z" }).toISOString(), "2031-02-03T04:05:06.000Z");
    assert.throws(() => pluginNow({ [CLOCK_ENV]: "tomorrow" }), /KUBERNETES_PKI_TLS_NOW: "tomorrow" is not an RFC 3339 time/);
  });

  it("reports check failures with the provider's messages", async () => {
    const { tls } = withClock(T0);
    const result = await tls.check!(KEY, {}, { algorithm: "DSA" });
    assert.match(result.failures?.[0].reason ?? "", /Attribute algorithm value must be one of: .*got: "DSA"/);
    assert.deepEqual(await tls.check!(KEY, {}, { algorithm: "RSA" }), { inputs: { algorithm: "RSA" } });
  });

  it("creates key material as secret outputs and public outputs in plain text", async () => {
    const { tls } = withClock(T0);
    const key = await tls.create!(KEY, { algorithm: "ECDSA", ecdsaCurve: "P256" });
    assert.match(key.id, /^[0-9a-f]{40}$/);
    assert.equal((key.outs.privateKeyPem as Record<string, unknown>)[SIG_KEY], SECRET_SIG);
    assert.match(key.outs.publicKeyPem as string, /^-----BEGIN PUBLIC KEY-----\n/);
  });

  it("issues certificates at the plugin's clock", async () => {
    const { tls } = withClock(T0);
    const { leaf } = await caAndLeaf(tls);
    assert.equal(leaf.outs.validityStartTime, "2030-01-01T00:00:00Z");
    assert.equal(new X509Certificate(leaf.outs.certPem as string).validFrom, "Jan  1 00:00:00 2030 GMT");
  });

  it("plans no change for the same inputs, an in-place update for earlyRenewalHours", async () => {
    const { tls } = withClock(T0);
    const { leafInputs, leaf } = await caAndLeaf(tls);
    assert.deepEqual(await tls.diff!(leaf.id, LEAF, leaf.outs, leafInputs), { changes: false, replaces: [] });
    assert.deepEqual(await tls.diff!(leaf.id, LEAF, leaf.outs, { ...leafInputs, earlyRenewalHours: 20 }), { changes: true, replaces: [] });
  });

  it("replaces on a changed or unknown PEM input", async () => {
    const { tls } = withClock(T0);
    const { leafInputs, leaf } = await caAndLeaf(tls);
    const unknownCa = { ...leafInputs, caCertPem: pulumi.runtime.unknownValue };
    assert.deepEqual((await tls.diff!(leaf.id, LEAF, leaf.outs, unknownCa)).replaces, ["caCertPem"]);
    assert.deepEqual((await tls.diff!(leaf.id, LEAF, leaf.outs, { ...leafInputs, allowedUses: ["server_auth"] })).replaces, ["allowedUses"]);
  });

  it("replaces a certificate on diff once its renewal window is reached, and only then", async () => {
    const { tls, clock } = withClock(T0);
    const { caInputs, ca, leafInputs, leaf } = await caAndLeaf(tls);
    clock.now = new Date(T0.getTime() + 89 * HOUR);
    assert.deepEqual((await tls.diff!(leaf.id, LEAF, leaf.outs, leafInputs)).replaces, []);
    clock.now = new Date(T0.getTime() + 90 * HOUR);
    assert.deepEqual(await tls.diff!(leaf.id, LEAF, leaf.outs, leafInputs), { changes: true, replaces: ["readyForRenewal"] });
    assert.deepEqual((await tls.diff!(ca.id, CA, ca.outs, caInputs)).replaces, []);
  });

  it("sets readyForRenewal on read inside the window and returns the state unchanged outside it", async () => {
    const { tls, clock } = withClock(T0);
    const { leaf } = await caAndLeaf(tls);
    assert.deepEqual(await tls.read!(leaf.id, LEAF, leaf.outs), { id: leaf.id, props: leaf.outs });
    clock.now = new Date(T0.getTime() + 95 * HOUR);
    const read = await tls.read!(leaf.id, LEAF, leaf.outs);
    assert.equal(read.props.readyForRenewal, true);
    assert.equal(read.props.certPem, leaf.outs.certPem);
  });

  it("serves random resources under the random package, replaced on any input change", async () => {
    const random = emulatorProvider("random", "4.21.2");
    const urn = URN("random:index/randomString:RandomString", "token-id");
    const inputs = { length: 6, special: false, upper: false };
    const created = await random.create!(urn, inputs);
    assert.match(created.id, /^[a-z0-9]{6}$/);
    assert.deepEqual(await random.diff!(created.id, urn, created.outs, inputs), { changes: false, replaces: [] });
    assert.deepEqual(await random.diff!(created.id, urn, created.outs, { ...inputs, length: 8 }), { changes: true, replaces: ["length"] });
  });

  it("updates in place by storing the new inputs over the old state", async () => {
    const { tls } = withClock(T0);
    const { leafInputs, leaf } = await caAndLeaf(tls);
    const updated = await tls.update!(leaf.id, LEAF, leaf.outs, { ...leafInputs, earlyRenewalHours: 20 });
    assert.equal(updated.outs.earlyRenewalHours, 20);
    assert.equal(updated.outs.certPem, leaf.outs.certPem);
  });
});
