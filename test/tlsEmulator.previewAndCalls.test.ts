import * as assert from "node:assert";
import { generateKeyPairSync } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { SECRET_SIG, SIG_KEY } from "../offline/tls/secret";
import { unwrap, useEmulator, registrationError } from "./helpers/tlsEmulatorFixtures";

describe("TlsEmulator: preview", () => {
  useEmulator({}, true);

  it("leaves key material, certPem, ids and validity unknown; keeps defaults, echoes and readyForRenewal known", async () => {
    const key = new tls.PrivateKey("pv", { algorithm: "RSA" });
    const cert = new tls.SelfSignedCert("pv", {
      privateKeyPem: key.privateKeyPem, subject: { commonName: "pv" }, allowedUses: ["server_auth"], validityPeriodHours: 5, earlyRenewalHours: 6,
    });
    const known = (o: pulumi.Output<unknown>): Promise<boolean> => (o as unknown as { isKnown: Promise<boolean> }).isKnown;
    for (const o of [key.privateKeyPem, key.publicKeyPem, key.id, cert.certPem, cert.validityEndTime, cert.keyAlgorithm, cert.id, cert.maxPathLength]) {
      assert.strictEqual(await known(o), false);
    }
    for (const o of [key.rsaBits, key.ecdsaCurve, cert.allowedUses, cert.readyForRenewal, cert.isCaCertificate, cert.earlyRenewalHours]) {
      assert.strictEqual(await known(o), true);
    }
    assert.deepStrictEqual(await unwrap(pulumi.all([key.rsaBits, cert.readyForRenewal, cert.allowedUses])), [2048, true, ["server_auth"]]);
  });

  it("still validates known inputs", async () => {
    assert.match(await registrationError(new tls.PrivateKey("pv-bad", { algorithm: "rsa" })), /got: "rsa"/);
  });
});

// ---------------------------------------------------------------------------------------------

describe("TlsEmulator: other resources and calls", () => {
  const h = useEmulator();

  class Group extends pulumi.ComponentResource {
    readonly key: tls.PrivateKey;
    constructor(name: string) {
      super("test:index:Group", name, {}, {});
      this.key = new tls.PrivateKey(`${name}-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent: this });
      this.registerOutputs({});
    }
  }

  it("answers components and lets their children through; records both", async () => {
    const g = new Group("g");
    assert.match(await unwrap(g.key.publicKeyPem), /^-----BEGIN PUBLIC KEY-----\n/);
    assert.match(await unwrap(g.urn), /test:index:Group::g$/);
    assert.deepStrictEqual(h.emulator.resources.map((r) => [r.type, r.custom]).sort(),
      [["test:index:Group", false], ["tls:index/privateKey:PrivateKey", true]]);
  });

  it("throws Mock not implemented for calls and unknown resource types", async () => {
    assert.throws(() => h.emulator.call({ token: "tls:index/getPublicKey:getPublicKey", inputs: {} }),
      /^Error: Mock not implemented: tls:index\/getPublicKey:getPublicKey$/);
    await assert.rejects(h.emulator.newResource({ type: "aws:s3/bucket:Bucket", name: "b", inputs: {}, custom: true }),
      /^Error: Mock not implemented: aws:s3\/bucket:Bucket$/);
  });

  it("unwraps secret inputs handed over in wire form and re-wraps them in state", async () => {
    const key = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    const wrapped = { [SIG_KEY]: SECRET_SIG, value: key };
    const result = await h.emulator.newResource({
      type: "tls:index/certRequest:CertRequest", name: "wire", inputs: { privateKeyPem: wrapped, subject: { commonName: "w" } }, custom: true,
    });
    assert.deepStrictEqual(result.state.privateKeyPem, wrapped);
    assert.strictEqual(result.state.keyAlgorithm, "ECDSA");
    assert.strictEqual(h.emulator.resources[0].inputs.privateKeyPem, key);
  });
});

// ---------------------------------------------------------------------------------------------
