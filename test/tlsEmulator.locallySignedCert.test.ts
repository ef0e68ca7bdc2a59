import * as assert from "node:assert";
import { generateKeyPairSync, X509Certificate } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { AsnConvert } from "@peculiar/asn1-schema";
import { GeneralNames } from "@peculiar/asn1-x509";
import { unwrap, useEmulator, registrationError, der, pemType, parseCert, ext, OID, skidOf, akidOf, extValue, sha1, inTempDir, run, makeCa, makeLeaf } from "./helpers/tlsEmulatorFixtures";

describe("TlsEmulator: LocallySignedCert", () => {
  const warnings: string[] = [];
  useEmulator({ warn: (m) => warnings.push(m) });

  it("issues a chain openssl verifies, for sslserver where the leaf allows server_auth", async () => {
    const ca = makeCa("chain");
    const server = makeLeaf("server", ca);
    const client = makeLeaf("client", ca, { allowedUses: ["digital_signature", "client_auth"] });
    const [caPem, serverPem, clientPem] = await unwrap(pulumi.all([ca.ca.certPem, server.cert.certPem, client.cert.certPem]));
    inTempDir({ "ca.pem": caPem, "server.pem": serverPem, "client.pem": clientPem }, (dir) => {
      const verify = (...args: string[]) => run("openssl", ["verify", "-CAfile", "ca.pem", ...args], dir);
      for (const [args, ok] of [
        [["server.pem"], true], [["-purpose", "sslserver", "server.pem"], true], [["-purpose", "sslclient", "client.pem"], true],
        [["-purpose", "sslclient", "server.pem"], false], [["-purpose", "sslserver", "client.pem"], false],
      ] as const) {
        const r = verify(...args);
        assert.strictEqual(r.status === 0, ok, `openssl verify ${args.join(" ")}: ${r.out}`);
      }
    });
  });

  it("a CA with allowedUses [] (no KeyUsage at all) still verifies with openssl", async () => {
    const ca = makeCa("bare", { allowedUses: [] });
    const leaf = makeLeaf("bare-leaf", ca);
    const [caPem, leafPem] = await unwrap(pulumi.all([ca.ca.certPem, leaf.cert.certPem]));
    const r = inTempDir({ "ca.pem": caPem, "leaf.pem": leafPem }, (dir) =>
      run("openssl", ["verify", "-purpose", "sslserver", "-CAfile", "ca.pem", "leaf.pem"], dir));
    assert.strictEqual(r.status, 0, r.out);
  });

  it("the leaf AKID is the CA SKID; the leaf has no SKID unless setSubjectKeyId", async () => {
    const ca = makeCa("akid");
    const plain = makeLeaf("akid-plain", ca);
    const withSkid = makeLeaf("akid-skid", ca, { setSubjectKeyId: true });
    const [caPem, plainPem, skidPem] = await unwrap(pulumi.all([ca.ca.certPem, plain.cert.certPem, withSkid.cert.certPem]));
    const caSkid = skidOf(parseCert(caPem));
    assert.match(caSkid ?? "", /^[0-9a-f]{40}$/);
    assert.strictEqual(akidOf(parseCert(plainPem)), caSkid);
    assert.strictEqual(skidOf(parseCert(plainPem)), undefined);
    const leaf = parseCert(skidPem);
    assert.strictEqual(skidOf(leaf), sha1(Buffer.from(leaf.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey)));
    assert.deepStrictEqual(Array.from(leaf.tbsCertificate.extensions ?? [], (e) => e.extnID), [OID.ku, OID.eku, OID.bc, OID.skid, OID.akid]);
  });

  it("no AKID when the CSR subject is byte-identical to the CA subject", async () => {
    const ca = makeCa("same");
    const leaf = makeLeaf("same-leaf", ca, {}, { subject: { commonName: "same-ca", organization: "Example" } });
    const c = parseCert(await unwrap(leaf.cert.certPem));
    assert.deepStrictEqual(c.tbsCertificate.subject, c.tbsCertificate.issuer);
    assert.strictEqual(akidOf(c), undefined);
  });

  it("issuer is the CA subject; id is the decimal serial; signature from the CA key (P384 CA, RSA leaf)", async () => {
    const ca = makeCa("p384ca", {}, { ecdsaCurve: "P384" });
    const key = new tls.PrivateKey("rsa-leaf", { algorithm: "RSA", rsaBits: 1024 });
    const req = new tls.CertRequest("rsa-leaf", { privateKeyPem: key.privateKeyPem, subject: { commonName: "rsa-leaf" } });
    const cert = new tls.LocallySignedCert("rsa-leaf", {
      certRequestPem: req.certRequestPem, caCertPem: ca.ca.certPem, caPrivateKeyPem: ca.caKey.privateKeyPem,
      allowedUses: ["client_auth"], validityPeriodHours: 1,
    });
    const [caPem, pem, id, caAlg] = await unwrap(pulumi.all([ca.ca.certPem, cert.certPem, cert.id, cert.caKeyAlgorithm]));
    const c = parseCert(pem);
    assert.strictEqual(c.signatureAlgorithm.algorithm, "1.2.840.10045.4.3.3");
    assert.strictEqual(caAlg, "ECDSA");
    assert.ok(der(pem).includes(Buffer.from(AsnConvert.serialize(parseCert(caPem).tbsCertificate.subject))));
    assert.ok(new X509Certificate(pem).verify(new X509Certificate(caPem).publicKey));
    assert.strictEqual(id, BigInt(`0x${Buffer.from(c.tbsCertificate.serialNumber).toString("hex")}`).toString(10));
  });

  it("takes only subject and SANs from the CSR: requested KU and email SAN/emailAddress are dropped; the CSR signature is not checked", async () => {
    const ca = makeCa("csrpick");
    const caPem = await unwrap(ca.ca.certPem);
    const k = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    const csrPem = inTempDir({ "k.pem": k }, (dir) => {
      const r = run("openssl", ["req", "-new", "-key", "k.pem", "-subj", "/CN=picked/emailAddress=a@b.example",
        "-addext", "keyUsage=critical,keyCertSign", "-addext", "subjectAltName=DNS:picked.example,email:x@y.example,IP:10.1.2.3"], dir);
      assert.strictEqual(r.status, 0, r.out);
      return r.out;
    });
    const bytes = der(csrPem);
    bytes[bytes.length - 3] ^= 0xff; // break the CSR signature
    const broken = `-----BEGIN CERTIFICATE REQUEST-----\n${bytes.toString("base64")}\n-----END CERTIFICATE REQUEST-----\n`;
    const cert = new tls.LocallySignedCert("csrpick", {
      certRequestPem: broken, caCertPem: caPem, caPrivateKeyPem: ca.caKey.privateKeyPem, allowedUses: ["server_auth"], validityPeriodHours: 1,
    });
    const c = parseCert(await unwrap(cert.certPem));
    assert.strictEqual(ext(c, OID.ku), undefined, "the requested keyUsage is ignored");
    assert.deepStrictEqual(Array.from(c.tbsCertificate.subject, (rdn) => Array.from(rdn, (a) => `${a.type}=${a.value}`)), [["2.5.4.3=picked"]]);
    assert.strictEqual(c.tbsCertificate.subject[0][0].value.printableString, "picked", "re-encoded (openssl wrote a UTF8String)");
    const names = AsnConvert.parse(extValue(c, OID.san), GeneralNames);
    assert.deepStrictEqual(Array.from(names, (n) => n.dNSName ?? n.iPAddress ?? n.rfc822Name), ["picked.example", "10.1.2.3"]);
  });

  it("rejects a CA key that does not match the CA certificate", async () => {
    const ca = makeCa("mismatch");
    const other = new tls.PrivateKey("other", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    const leaf = makeLeaf("mismatch-leaf", { caKey: other, ca: ca.ca });
    assert.match(await registrationError(leaf.cert),
      /Failed to create certificate: x509: provided PrivateKey doesn't match parent's PublicKey/);
  });

  it("warns, and still issues, when the issuer is not a CA", async () => {
    warnings.length = 0;
    const notCa = makeCa("notca", { isCaCertificate: false });
    const leaf = makeLeaf("notca-leaf", notCa);
    assert.strictEqual(pemType(await unwrap(leaf.cert.certPem)), "CERTIFICATE");
    assert.deepStrictEqual(warnings.map((w) => w.split(":")[0]), ["Potentially Invalid Certificate Authority"]);
  });

  it("caPrivateKeyPem is secret, certPem is not; defaults echoed; bad CSR PEM type rejected", async () => {
    const ca = makeCa("secrets");
    const leaf = makeLeaf("secrets-leaf", ca);
    assert.strictEqual(await pulumi.isSecret(leaf.cert.caPrivateKeyPem), true);
    assert.strictEqual(await pulumi.isSecret(leaf.cert.certPem), false);
    assert.deepStrictEqual(await unwrap(pulumi.all([leaf.cert.earlyRenewalHours, leaf.cert.isCaCertificate, leaf.cert.setSubjectKeyId,
      leaf.cert.maxPathLength, leaf.cert.readyForRenewal])), [0, false, false, undefined, false]);
    const bad = new tls.LocallySignedCert("badcsr", {
      certRequestPem: ca.ca.certPem, caCertPem: ca.ca.certPem, caPrivateKeyPem: ca.caKey.privateKeyPem, allowedUses: [], validityPeriodHours: 1,
    });
    assert.match(await registrationError(bad),
      /Failed to parse certificate request PEM: invalid PEM type - expected "CERTIFICATE REQUEST", got "CERTIFICATE"/);
  });
});

// ---------------------------------------------------------------------------------------------
