import * as assert from "node:assert";
import { generateKeyPairSync } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { hashForState } from "../offline/tls/ids";
import { unwrap, useEmulator, registrationError, der, pemType, inTempDir, run } from "./helpers/tlsEmulatorFixtures";

describe("TlsEmulator: CertRequest", () => {
  useEmulator();

  it("builds a CSR openssl verifies, with the subject, SANs in an extensionRequest, and keyAlgorithm", async () => {
    const key = new tls.PrivateKey("csr", { algorithm: "RSA", rsaBits: 1024 });
    const csr = new tls.CertRequest("csr", {
      privateKeyPem: key.privateKeyPem, subject: { commonName: "node-1", organization: "system:nodes" },
      ipAddresses: ["10.0.0.1"], dnsNames: ["node-1.local"],
    });
    const [pem, alg, id] = await unwrap(pulumi.all([csr.certRequestPem, csr.keyAlgorithm, csr.id]));
    assert.strictEqual(pemType(pem), "CERTIFICATE REQUEST");
    assert.strictEqual(alg, "RSA");
    assert.strictEqual(id, hashForState(der(pem)), "id is the hex SHA-1 of the CSR DER");
    const text = inTempDir({ "r.pem": pem }, (dir) => run("openssl", ["req", "-in", "r.pem", "-noout", "-text", "-verify"], dir));
    assert.strictEqual(text.status, 0, text.out);
    assert.match(text.out, /Subject: O ?= ?system:nodes, CN ?= ?node-1/);
    assert.match(text.out, /DNS:node-1\.local, IP Address:10\.0\.0\.1/);
    assert.match(text.out, /verify OK/i);
  });

  it("without SANs the attribute set is empty (A0 00)", async () => {
    const key = new tls.PrivateKey("nosan", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    const csr = new tls.CertRequest("nosan", { privateKeyPem: key.privateKeyPem, subject: { commonName: "x" } });
    assert.ok(der(await unwrap(csr.certRequestPem)).includes(Buffer.from("a000", "hex")));
  });

  it("unwraps the secret privateKeyPem input and echoes it secret; certRequestPem is not secret", async () => {
    const key = new tls.PrivateKey("echo", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    const csr = new tls.CertRequest("echo", { privateKeyPem: key.privateKeyPem });
    assert.strictEqual(await pulumi.isSecret(csr.privateKeyPem), true);
    assert.strictEqual(await pulumi.isSecret(csr.certRequestPem), false);
    assert.strictEqual(await unwrap(csr.privateKeyPem), await unwrap(key.privateKeyPem));
  });

  it("rejects an invalid IP address and an empty IP string", async () => {
    const key = new tls.PrivateKey("badip", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    assert.match(await registrationError(new tls.CertRequest("badip", { privateKeyPem: key.privateKeyPem, ipAddresses: ["10.0.0.01"] })),
      /Invalid IP address: Failed to parse "10\.0\.0\.01"/);
    assert.match(await registrationError(new tls.CertRequest("emptyip", { privateKeyPem: key.privateKeyPem, ipAddresses: [""] })),
      /Invalid Attribute Value Length: Attribute ip_addresses\[0\] string length must be at least 1, got: 0/);
  });

  it("refuses a write-only key input and an Ed25519 key: Mock not implemented", async () => {
    const key = new tls.PrivateKey("wo", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    assert.match(await registrationError(new tls.CertRequest("wo", { privateKeyPemWo: key.privateKeyPem, privateKeyPemWoVersion: 1 })),
      /Mock not implemented: tls:index\/certRequest:CertRequest input privateKeyPemWo \(write-only\)/);
    const ed = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    assert.match(await registrationError(new tls.CertRequest("ed", { privateKeyPem: ed, subject: { commonName: "ed" } })),
      /Mock not implemented: ED25519 keys/);
  });
});

// ---------------------------------------------------------------------------------------------
