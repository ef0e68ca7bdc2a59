import * as assert from "node:assert";
import { createHash, createPrivateKey, createPublicKey } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { unwrap, useEmulator, registrationError, der, pemType, sha1, inTempDir, run } from "./helpers/tlsEmulatorFixtures";

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

  it("ECDSA P256: SEC1 privateKeyPem and an ecdsa-sha2-nistp256 OpenSSH line ending in \\n", async () => {
    const k = new tls.PrivateKey("p256", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    const [pem, ssh] = await unwrap(pulumi.all([k.privateKeyPem, k.publicKeyOpenssh]));
    assert.strictEqual(pemType(pem), "EC PRIVATE KEY");
    assert.strictEqual(createPrivateKey(pem).asymmetricKeyDetails?.namedCurve, "prime256v1");
    assert.match(ssh, /^ecdsa-sha2-nistp256 [A-Za-z0-9+/]+=*\n$/);
  });

  it("ECDSA P384: secp384r1 key and an ecdsa-sha2-nistp384 OpenSSH line", async () => {
    const k = new tls.PrivateKey("p384", { algorithm: "ECDSA", ecdsaCurve: "P384" });
    const [pem, ssh] = await unwrap(pulumi.all([k.privateKeyPem, k.publicKeyOpenssh]));
    assert.strictEqual(createPrivateKey(pem).asymmetricKeyDetails?.namedCurve, "secp384r1");
    assert.match(ssh, /^ecdsa-sha2-nistp384 [A-Za-z0-9+/]+=*\n$/);
  });

  it("ED25519: privateKeyPem is PKCS#8 and byte-identical to privateKeyPemPkcs8", async () => {
    const k = new tls.PrivateKey("ed", { algorithm: "ED25519" });
    const [pem, pkcs8, ssh] = await unwrap(pulumi.all([k.privateKeyPem, k.privateKeyPemPkcs8, k.publicKeyOpenssh]));
    assert.strictEqual(pemType(pem), "PRIVATE KEY");
    assert.strictEqual(pem, pkcs8);
    assert.strictEqual(createPrivateKey(pem).asymmetricKeyType, "ed25519");
    assert.match(ssh, /^ssh-ed25519 [A-Za-z0-9+/]+=*\n$/);
  });

  it("echoes the defaults rsaBits 2048 and ecdsaCurve P224 whatever the algorithm", async () => {
    const k = new tls.PrivateKey("ed-defaults", { algorithm: "ED25519" });
    assert.deepStrictEqual(await unwrap(pulumi.all([k.algorithm, k.rsaBits, k.ecdsaCurve])), ["ED25519", 2048, "P224"]);
  });

  it("P224 (the default curve): every SSH output is the empty string", async () => {
    const k = new tls.PrivateKey("p224", { algorithm: "ECDSA" });
    const outs = await unwrap(pulumi.all([k.publicKeyOpenssh, k.publicKeyFingerprintMd5, k.publicKeyFingerprintSha256, k.privateKeyOpenssh]));
    assert.deepStrictEqual(outs, ["", "", "", ""]);
    assert.strictEqual(createPrivateKey(await unwrap(k.privateKeyPem)).asymmetricKeyDetails?.namedCurve, "secp224r1");
  });

  for (const algorithm of ["RSA", "ECDSA", "ED25519"] as const) {
    it(`${algorithm}: fingerprints equal a recomputation from the OpenSSH line and ssh-keygen's`, async () => {
      const k = new tls.PrivateKey(`fp-${algorithm}`, { algorithm, ecdsaCurve: "P521" });
      const [line, md5, sha256] = await unwrap(pulumi.all([k.publicKeyOpenssh, k.publicKeyFingerprintMd5, k.publicKeyFingerprintSha256]));
      const wire = Buffer.from(line.split(" ")[1], "base64");
      assert.strictEqual(md5, createHash("md5").update(wire).digest("hex").match(/../g)?.join(":"));
      assert.match(md5, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
      assert.strictEqual(sha256, `SHA256:${createHash("sha256").update(wire).digest("base64").replace(/=+$/, "")}`);
      const keygen = inTempDir({ "k.pub": line }, (dir) => run("ssh-keygen", ["-l", "-E", "sha256", "-f", "k.pub"], dir));
      assert.strictEqual(keygen.status, 0, keygen.out);
      assert.ok(keygen.out.includes(sha256), keygen.out);
    });

    it(`${algorithm}: privateKeyOpenssh is read by ssh-keygen and yields publicKeyOpenssh`, async () => {
      const k = new tls.PrivateKey(`ossh-${algorithm}`, { algorithm, ecdsaCurve: "P384", rsaBits: 1024 });
      const [priv, pub] = await unwrap(pulumi.all([k.privateKeyOpenssh, k.publicKeyOpenssh]));
      assert.strictEqual(pemType(priv), "OPENSSH PRIVATE KEY");
      const keygen = inTempDir({ k: priv }, (dir) => run("ssh-keygen", ["-y", "-f", "k"], dir));
      assert.strictEqual(keygen.status, 0, keygen.out);
      assert.strictEqual(keygen.out.trim().split(" ").slice(0, 2).join(" "), pub.trim());
    });
  }

  it("id is the hex SHA-1 of the SPKI DER (an RSA SPKI, which the TrimSpace quirk never shortens)", async () => {
    const k = new tls.PrivateKey("id", { algorithm: "RSA", rsaBits: 1024 });
    const [id, pub] = await unwrap(pulumi.all([k.id, k.publicKeyPem]));
    assert.strictEqual(id, sha1(der(pub)));
  });

  it("private outputs are secret, public outputs are not", async () => {
    const k = new tls.PrivateKey("secrets", { algorithm: "ED25519" });
    for (const o of [k.privateKeyPem, k.privateKeyPemPkcs8, k.privateKeyOpenssh]) {
      assert.strictEqual(await pulumi.isSecret(o), true);
    }
    for (const o of [k.publicKeyPem, k.publicKeyOpenssh, k.publicKeyFingerprintSha256, k.algorithm]) {
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
    const k = new tls.PrivateKey("recorded", { algorithm: "ED25519" });
    const pem = await unwrap(k.privateKeyPem);
    const record = h.emulator.resources.find((r) => r.name === "recorded");
    assert.strictEqual(record?.type, "tls:index/privateKey:PrivateKey");
    assert.strictEqual(record?.state.privateKeyPem, pem);
    assert.deepStrictEqual(record?.inputs, { algorithm: "ED25519" });
  });
});

// ---------------------------------------------------------------------------------------------
