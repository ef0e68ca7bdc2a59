import * as assert from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { goTrimSpaceRight, hashForState } from "../offline/tls/ids";
import { createTimeReadyForRenewal, isReadyForRenewal } from "../components/rotation/renewal";
import { requiresReplace } from "../offline/tls/renewal";
import { sha1 } from "./helpers/tlsEmulatorFixtures";
import { fakePem } from "./helpers/fakePem";

describe("renewal helpers", () => {
  const state = { validityEndTime: "2030-01-10T00:00:00Z", earlyRenewalHours: 24 };

  it("isReadyForRenewal: from validityEndTime − earlyRenewalHours on, not a millisecond before", () => {
    assert.strictEqual(isReadyForRenewal(state, new Date("2030-01-09T00:00:00Z")), true);
    assert.strictEqual(isReadyForRenewal(state, new Date("2030-01-08T23:59:59.999Z")), false);
    assert.strictEqual(isReadyForRenewal({ validityEndTime: "2030-01-10T00:00:00.5Z" }, new Date("2030-01-10T00:00:00.400Z")), false);
  });

  it("createTimeReadyForRenewal: validity 0 or early >= validity", () => {
    assert.deepStrictEqual([
      createTimeReadyForRenewal({ validityPeriodHours: 0 }), createTimeReadyForRenewal({ validityPeriodHours: 10, earlyRenewalHours: 10 }),
      createTimeReadyForRenewal({ validityPeriodHours: 10, earlyRenewalHours: 9 }), createTimeReadyForRenewal({ validityPeriodHours: 10 }),
    ], [true, true, false, false]);
  });

  const pem = fakePem("RSA PRIVATE KEY", "AAAA");
  const cert = {
    privateKeyPem: pem, validityPeriodHours: 240, allowedUses: ["server_auth"], earlyRenewalHours: 0, isCaCertificate: false,
    setSubjectKeyId: false, setAuthorityKeyId: false, maxPathLength: 1, certPem: "x", validityEndTime: "2030-01-10T00:00:00Z",
  };
  const before = new Date("2030-01-01T00:00:00Z");
  const inputs = { privateKeyPem: pem, validityPeriodHours: 240, allowedUses: ["server_auth"], maxPathLength: 1 };

  it("PrivateKey: a curve change replaces even an RSA key; explicit defaults do not", () => {
    const key = { algorithm: "RSA", rsaBits: 2048, ecdsaCurve: "P224", privateKeyPem: pem };
    assert.deepStrictEqual(requiresReplace(key, { algorithm: "RSA", ecdsaCurve: "P256" }, before), ["ecdsaCurve"]);
    assert.deepStrictEqual(requiresReplace(key, { algorithm: "RSA", rsaBits: 2048 }, before), []);
  });

  it("SelfSignedCert: unchanged inputs outside the window do not replace; earlyRenewalHours reaching the window does", () => {
    assert.deepStrictEqual(requiresReplace(cert, inputs, before), []);
    assert.deepStrictEqual(requiresReplace(cert, { ...inputs, earlyRenewalHours: 24 }, before), []);
    assert.deepStrictEqual(requiresReplace(cert, { ...inputs, earlyRenewalHours: 9 * 24 }, before), ["readyForRenewal"]);
    assert.deepStrictEqual(requiresReplace(cert, inputs, new Date("2030-01-10T00:00:00Z")), ["readyForRenewal"]);
  });

  it("SelfSignedCert: order of allowedUses, undefined → [] SANs and a new maxPathLength replace; removing maxPathLength does not", () => {
    assert.deepStrictEqual(requiresReplace({ ...cert, allowedUses: ["a", "b"] }, { ...inputs, allowedUses: ["b", "a"] }, before), ["allowedUses"]);
    assert.deepStrictEqual(requiresReplace(cert, { ...inputs, dnsNames: [] }, before), ["dnsNames"]);
    assert.deepStrictEqual(requiresReplace(cert, { ...inputs, maxPathLength: 2 }, before), ["maxPathLength"]);
    assert.deepStrictEqual(requiresReplace(cert, { ...inputs, maxPathLength: undefined }, before), []);
  });

  it("PEM inputs replace only when the prior state holds a PEM; unknown new values replace", () => {
    assert.deepStrictEqual(requiresReplace(cert, { ...inputs, privateKeyPem: pem.replace("AAAA", "BBBB") }, before), ["privateKeyPem"]);
    const crlf = { ...cert, privateKeyPem: pem.replace(/\n/g, "\r\n") };
    assert.deepStrictEqual(requiresReplace(crlf, { ...inputs, privateKeyPem: pem }, before), []);
    assert.deepStrictEqual(requiresReplace(cert, { ...inputs, privateKeyPem: pulumi.unknown }, before), ["privateKeyPem"]);
  });

  it("LocallySignedCert: a renewed CA certificate re-issues the leaf", () => {
    const leaf = { certRequestPem: pem, caCertPem: pem, caPrivateKeyPem: pem, validityPeriodHours: 1, allowedUses: [], validityEndTime: "2030-01-10T00:00:00Z" };
    const news = { certRequestPem: pem, caCertPem: pem.replace("AAAA", "CCCC"), caPrivateKeyPem: pem, validityPeriodHours: 1, allowedUses: [] };
    assert.deepStrictEqual(requiresReplace(leaf, news, before), ["caCertPem"]);
  });
});

describe("id hashing (Go TrimSpace quirk)", () => {
  it("right-trims ASCII whitespace and UTF-8 Unicode spaces, but not a lone 0x85 or other bytes", () => {
    const trim = (hex: string) => Buffer.from(goTrimSpaceRight(Buffer.from(hex, "hex"))).toString("hex");
    assert.strictEqual(trim("300120"), "3001");
    assert.strictEqual(trim("3001c2a00a"), "3001");
    assert.strictEqual(trim("3001e28080"), "3001");
    assert.strictEqual(trim("300185"), "300185");
    assert.strictEqual(trim("3001ff"), "3001ff");
    assert.strictEqual(hashForState(Buffer.from("300120", "hex")), sha1(Buffer.from("3001", "hex")));
  });
});
