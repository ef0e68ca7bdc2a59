import * as assert from "node:assert";
import { createPrivateKey, createPublicKey } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { unwrap, useEmulator, registrationError, der, pemType, sha1 } from "./helpers/tlsEmulatorFixtures";

describe("TlsEmulator: PrivateKey", () => {
  const h = useEmulator();

  it("RSA: PKCS#1 privateKeyPem, PKCS#8 privateKeyPemPkcs8, SPKI publicKeyPem, 2048 bits by default", async () => {
    const k = new tls.PrivateKey("rsa", { algorithm: "RSA" });
    const [pem, pkcs8, pub] = await unwrap(pulumi.all([k.privateKeyPem, k.privateKeyPemPkcs8, k.publicKeyPem]));
    assert.strictEqual(pemType(pem), "RSA PRIVATE KEY");
    assert.strictEqual(pemType(pkcs8), "PRIVATE KEY");
    assert.strictEqual(pemType(pub), "PUBLIC KEY");
    assert.strictEqual(createPrivateKey(pem).asymmetricKeyDetails?.modulusLength, 2048);
    assert.strictEqual(createPrivateKey(pem).asymmetricKeyDetails?.publicExponent, 65537n);
    assert.ok(createPublicKey(pem).equals(createPublicKey(pub)), "publicKeyPem is the key's public half");
  });

  it("ECDSA P256: SEC1 privateKeyPem, PKCS#8 privateKeyPemPkcs8, on prime256v1", async () => {
    const k = new tls.PrivateKey("p256", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    const [pem, pkcs8, pub] = await unwrap(pulumi.all([k.privateKeyPem, k.privateKeyPemPkcs8, k.publicKeyPem]));
    assert.strictEqual(pemType(pem), "EC PRIVATE KEY");
    assert.strictEqual(pemType(pkcs8), "PRIVATE KEY");
    assert.strictEqual(createPrivateKey(pem).asymmetricKeyDetails?.namedCurve, "prime256v1");
    assert.ok(createPublicKey(pkcs8).equals(createPublicKey(pub)), "privateKeyPemPkcs8 is the same key");
  });

  it("ECDSA P384: secp384r1 key", async () => {
    const k = new tls.PrivateKey("p384", { algorithm: "ECDSA", ecdsaCurve: "P384" });
    assert.strictEqual(createPrivateKey(await unwrap(k.privateKeyPem)).asymmetricKeyDetails?.namedCurve, "secp384r1");
  });

  it("echoes the defaults rsaBits 2048 and ecdsaCurve P224 whatever the algorithm", async () => {
    const ec = new tls.PrivateKey("ec-defaults", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    const rsa = new tls.PrivateKey("rsa-defaults", { algorithm: "RSA", rsaBits: 1024 });
    assert.deepStrictEqual(await unwrap(pulumi.all([ec.algorithm, ec.rsaBits, ec.ecdsaCurve])), ["ECDSA", 2048, "P256"]);
    assert.deepStrictEqual(await unwrap(pulumi.all([rsa.algorithm, rsa.rsaBits, rsa.ecdsaCurve])), ["RSA", 1024, "P224"]);
  });

  it("returns none of the OpenSSH and SSH fingerprint outputs", async () => {
    const k = new tls.PrivateKey("no-ssh", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    const outs = await unwrap(pulumi.all([k.privateKeyOpenssh, k.publicKeyOpenssh, k.publicKeyFingerprintMd5, k.publicKeyFingerprintSha256]));
    assert.deepStrictEqual(outs, [undefined, undefined, undefined, undefined]);
  });

  it("refuses ED25519 keys and the P224 (default) and P521 curves: Mock not implemented", async () => {
    assert.match(await registrationError(new tls.PrivateKey("ed", { algorithm: "ED25519" })), /Mock not implemented: ED25519 keys/);
    assert.match(await registrationError(new tls.PrivateKey("p224", { algorithm: "ECDSA" })), /Mock not implemented: ECDSA keys on curve P224/);
    assert.match(await registrationError(new tls.PrivateKey("p521", { algorithm: "ECDSA", ecdsaCurve: "P521" })),
      /Mock not implemented: ECDSA keys on curve P521/);
  });

  it("id is the hex SHA-1 of the SPKI DER (an RSA SPKI, which the TrimSpace quirk never shortens)", async () => {
    const k = new tls.PrivateKey("id", { algorithm: "RSA", rsaBits: 1024 });
    const [id, pub] = await unwrap(pulumi.all([k.id, k.publicKeyPem]));
    assert.strictEqual(id, sha1(der(pub)));
  });

  it("private outputs are secret, public outputs are not", async () => {
    const k = new tls.PrivateKey("secrets", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    for (const o of [k.privateKeyPem, k.privateKeyPemPkcs8]) {
      assert.strictEqual(await pulumi.isSecret(o), true);
    }
    for (const o of [k.publicKeyPem, k.algorithm]) {
      assert.strictEqual(await pulumi.isSecret(o), false);
    }
  });

  it("generates 8 RSA keys concurrently with the asynchronous generator", async () => {
    const nodeCrypto = require("node:crypto") as { generateKeyPair: (...args: unknown[]) => void };
    const original = nodeCrypto.generateKeyPair;
    let pending = 0;
    let maxPending = 0;
    nodeCrypto.generateKeyPair = (...args: unknown[]) => {
      const callback = args.pop() as (...r: unknown[]) => void;
      pending += 1;
      maxPending = Math.max(maxPending, pending);
      original(...args, (...r: unknown[]) => {
        pending -= 1;
        callback(...r);
      });
    };
    try {
      const keys = Array.from({ length: 8 }, (_, i) => new tls.PrivateKey(`many-${i}`, { algorithm: "RSA" }));
      const ids = await unwrap(pulumi.all(keys.map((k) => k.id)));
      assert.strictEqual(new Set(ids).size, 8);
      assert.ok(maxPending >= 2, `at most ${maxPending} generation(s) were in flight at once`);
    } finally {
      nodeCrypto.generateKeyPair = original;
    }
  });

  it("rejects an unknown algorithm with the provider's validation message", async () => {
    const message = await registrationError(new tls.PrivateKey("bad-alg", { algorithm: "DSA" }));
    assert.ok(message.includes('Invalid Attribute Value Match: Attribute algorithm value must be one of: ' +
      '["\\"RSA\\"" "\\"ECDSA\\"" "\\"ED25519\\""], got: "DSA"'), message);
  });

  it("rejects an unknown curve and RSA keys under 1024 bits", async () => {
    assert.match(await registrationError(new tls.PrivateKey("bad-curve", { algorithm: "ECDSA", ecdsaCurve: "P-256" })),
      /Attribute ecdsa_curve value must be one of: .*got: "P-256"/);
    assert.match(await registrationError(new tls.PrivateKey("small", { algorithm: "RSA", rsaBits: 512 })),
      /Unable to generate Key from configuration: crypto\/rsa: 512-bit keys are insecure/);
  });

  it("records every registration as plain values in emulator.resources", async () => {
    const k = new tls.PrivateKey("recorded", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    const pem = await unwrap(k.privateKeyPem);
    const record = h.emulator.resources.find((r) => r.name === "recorded");
    assert.strictEqual(record?.type, "tls:index/privateKey:PrivateKey");
    assert.strictEqual(record?.state.privateKeyPem, pem);
    assert.deepStrictEqual(record?.inputs, { algorithm: "ECDSA", ecdsaCurve: "P256" });
  });
});

// ---------------------------------------------------------------------------------------------
