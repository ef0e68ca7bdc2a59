import * as assert from "node:assert";
import { generateKeyPairSync, X509Certificate } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { AsnConvert } from "@peculiar/asn1-schema";
import { BasicConstraints, ExtendedKeyUsage, GeneralNames, KeyUsage } from "@peculiar/asn1-x509";
import { unwrap, useEmulator, registrationError, der, parseCert, ext, OID, skidOf, akidOf, extHex, extValue, sha1 } from "./helpers/tlsEmulatorFixtures";

describe("TlsEmulator: SelfSignedCert", () => {
  const NOW = new Date("2030-01-02T03:04:05.120Z");
  useEmulator({ now: () => NOW });

  function selfSigned(name: string, args: Partial<tls.SelfSignedCertArgs>, keyArgs: Partial<tls.PrivateKeyArgs> = {}) {
    const key = new tls.PrivateKey(name, { algorithm: "ECDSA", ecdsaCurve: "P256", ...keyArgs });
    const cert = new tls.SelfSignedCert(name, {
      privateKeyPem: key.privateKeyPem, subject: { commonName: name }, allowedUses: [], validityPeriodHours: 24, ...args,
    });
    return { key, cert };
  }

  it("a CA with allowedUses [] has no KeyUsage and no ExtendedKeyUsage, only critical CA:TRUE and an SKID", async () => {
    const { cert } = selfSigned("ca-nouses", { isCaCertificate: true });
    const c = parseCert(await unwrap(cert.certPem));
    assert.strictEqual(ext(c, OID.ku), undefined);
    assert.strictEqual(ext(c, OID.eku), undefined);
    const bc = ext(c, OID.bc);
    assert.strictEqual(bc?.critical, true);
    assert.strictEqual(extHex(c, OID.bc), "30030101ff");
    assert.match(skidOf(c) ?? "", /^[0-9a-f]{40}$/);
    assert.deepStrictEqual(Array.from(c.tbsCertificate.extensions ?? [], (e) => e.extnID), [OID.bc, OID.skid]);
  });

  it("isCaCertificate does NOT add cert_signing: KeyUsage holds only the listed bits", async () => {
    const { cert } = selfSigned("ca-ds", { isCaCertificate: true, allowedUses: ["digital_signature"] });
    const c = parseCert(await unwrap(cert.certPem));
    assert.strictEqual(ext(c, OID.ku)?.critical, true);
    assert.strictEqual(extHex(c, OID.ku), "03020780");
    assert.strictEqual(AsnConvert.parse(extValue(c, OID.ku), KeyUsage).toNumber(), 1);
  });

  it("maps allowedUses to KU bits and EKUs in list order, duplicates kept", async () => {
    const { cert } = selfSigned("uses", { allowedUses: ["client_auth", "key_encipherment", "server_auth", "digital_signature", "client_auth"] });
    const c = parseCert(await unwrap(cert.certPem));
    assert.strictEqual(extHex(c, OID.ku), "030205a0");
    const eku = AsnConvert.parse(extValue(c, OID.eku), ExtendedKeyUsage);
    assert.deepStrictEqual([...eku], ["1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
    assert.strictEqual(ext(c, OID.eku)?.critical, false);
  });

  it("maxPathLength 0 is dropped, 2 is a pathLenConstraint; state keeps what was given and omits it otherwise", async () => {
    const zero = selfSigned("pl0", { isCaCertificate: true, maxPathLength: 0 }).cert;
    const two = selfSigned("pl2", { isCaCertificate: true, maxPathLength: 2 }).cert;
    const unset = selfSigned("plx", { isCaCertificate: true }).cert;
    const bc = async (c: tls.SelfSignedCert) =>
      AsnConvert.parse(extValue(parseCert(await unwrap(c.certPem)), OID.bc), BasicConstraints);
    assert.strictEqual((await bc(zero)).pathLenConstraint, undefined);
    assert.strictEqual((await bc(two)).pathLenConstraint, 2);
    assert.deepStrictEqual(await unwrap(pulumi.all([zero.maxPathLength, two.maxPathLength, unset.maxPathLength])), [0, 2, undefined]);
  });

  it("echoes the defaults: earlyRenewalHours 0, isCaCertificate/setSubjectKeyId/setAuthorityKeyId false", async () => {
    const { cert } = selfSigned("defaults", {});
    const got = await unwrap(pulumi.all([cert.earlyRenewalHours, cert.isCaCertificate, cert.setSubjectKeyId, cert.setAuthorityKeyId,
      cert.readyForRenewal, cert.keyAlgorithm, cert.allowedUses]));
    assert.deepStrictEqual(got, [0, false, false, false, false, "ECDSA", []]);
  });

  it("encodes the subject in the fixed RDN order with PrintableString/UTF8String/IA5String; organization is one string", async () => {
    const { cert } = selfSigned("subject", {
      subject: {
        emailAddress: "ops@example.com", serialNumber: "42", commonName: "*.example.com", organizationalUnit: "R&D",
        organization: "system:masters", postalCode: "94000", streetAddresses: ["2 B st", "1 A st"], locality: "SF",
        province: "CA", country: "US",
      },
    });
    const [pem, subject] = await unwrap(pulumi.all([cert.certPem, cert.subject]));
    assert.strictEqual(subject?.organization, "system:masters");
    const rdns = Array.from(parseCert(pem).tbsCertificate.subject, (rdn) => Array.from(rdn, (atv) => {
      const kind = atv.value.printableString !== undefined ? "P" : atv.value.utf8String !== undefined ? "U"
        : atv.value.ia5String !== undefined ? "I" : "?";
      return `${atv.type}=${kind}:${atv.value.toString()}`;
    }));
    assert.deepStrictEqual(rdns, [
      ["2.5.4.6=P:US"], ["2.5.4.8=P:CA"], ["2.5.4.7=P:SF"], ["2.5.4.9=P:1 A st", "2.5.4.9=P:2 B st"], ["2.5.4.17=P:94000"],
      ["2.5.4.10=P:system:masters"], ["2.5.4.11=U:R&D"], ["2.5.4.3=U:*.example.com"], ["2.5.4.5=P:42"],
      ["1.2.840.113549.1.9.1=I:ops@example.com"],
    ]);
    assert.deepStrictEqual(parseCert(pem).tbsCertificate.issuer, parseCert(pem).tbsCertificate.subject);
  });

  it("SANs: DNS, then IP, then URI; IPv4 (also IPv4-mapped) as 4 bytes; non-critical with a subject", async () => {
    const { cert } = selfSigned("sans", {
      uris: ["spiffe://cluster.local/ns/a"], ipAddresses: ["10.96.0.1", "::ffff:192.168.0.1", "fd00::1"], dnsNames: ["b.example", "a.example"],
    });
    const c = parseCert(await unwrap(cert.certPem));
    assert.strictEqual(ext(c, OID.san)?.critical, false);
    const names = AsnConvert.parse(extValue(c, OID.san), GeneralNames);
    assert.deepStrictEqual(Array.from(names, (n) => n.dNSName ?? n.iPAddress ?? n.uniformResourceIdentifier),
      ["b.example", "a.example", "10.96.0.1", "192.168.0.1", "fd00::1", "spiffe://cluster.local/ns/a"]);
    assert.ok(extHex(c, OID.san).includes("87040a600001"), "IPv4 is [7] with 4 bytes");
    assert.deepStrictEqual(Array.from(c.tbsCertificate.extensions ?? [], (e) => e.extnID), [OID.bc, OID.san]);
  });

  it("SAN is critical when the subject is empty (Name = 30 00)", async () => {
    const key = new tls.PrivateKey("nosubject", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    const cert = new tls.SelfSignedCert("nosubject", { privateKeyPem: key.privateKeyPem, dnsNames: ["x"], allowedUses: [], validityPeriodHours: 1 });
    const c = parseCert(await unwrap(cert.certPem));
    assert.strictEqual(Buffer.from(AsnConvert.serialize(c.tbsCertificate.subject)).toString("hex"), "3000");
    assert.strictEqual(ext(c, OID.san)?.critical, true);
  });

  it("a leaf has BasicConstraints 30 00 (critical) and no SKID unless setSubjectKeyId", async () => {
    const plain = parseCert(await unwrap(selfSigned("leaf", {}).cert.certPem));
    assert.strictEqual(extHex(plain, OID.bc), "3000");
    assert.strictEqual(ext(plain, OID.bc)?.critical, true);
    assert.strictEqual(skidOf(plain), undefined);
    const { cert } = selfSigned("leaf-skid", { setSubjectKeyId: true, setAuthorityKeyId: true });
    const withSkid = parseCert(await unwrap(cert.certPem));
    const point = Buffer.from(withSkid.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey);
    assert.strictEqual(skidOf(withSkid), sha1(point));
    assert.strictEqual(akidOf(withSkid), sha1(point), "setAuthorityKeyId: AKID = own SKID");
  });

  it("chooses the signature algorithm from the key: RSA sha256WithRSA+NULL, P384 ecdsa-with-SHA384, P256 ecdsa-with-SHA256", async () => {
    const rsa = parseCert(await unwrap(selfSigned("sig-rsa", {}, { algorithm: "RSA", rsaBits: 1024 }).cert.certPem));
    const p384 = parseCert(await unwrap(selfSigned("sig-384", {}, { ecdsaCurve: "P384" }).cert.certPem));
    const p256Pem = await unwrap(selfSigned("sig-256", {}, { ecdsaCurve: "P256" }).cert.certPem);
    assert.strictEqual(rsa.signatureAlgorithm.algorithm, "1.2.840.113549.1.1.11");
    assert.strictEqual(Buffer.from(AsnConvert.serialize(rsa.signatureAlgorithm)).toString("hex"), "300d06092a864886f70d01010b0500",
      "sha256WithRSAEncryption with NULL parameters");
    assert.strictEqual(p384.signatureAlgorithm.algorithm, "1.2.840.10045.4.3.3");
    assert.strictEqual(parseCert(p256Pem).signatureAlgorithm.algorithm, "1.2.840.10045.4.3.2");
    const x = new X509Certificate(p256Pem);
    assert.ok(x.verify(x.publicKey), "a P-256 self-signed certificate verifies");
  });

  it("validity: notBefore = now truncated to seconds, notAfter = + validityPeriodHours; RFC 3339 strings keep trimmed ms", async () => {
    const { cert } = selfSigned("validity", { validityPeriodHours: 36 });
    const [pem, start, end, id] = await unwrap(pulumi.all([cert.certPem, cert.validityStartTime, cert.validityEndTime, cert.id]));
    assert.strictEqual(start, "2030-01-02T03:04:05.12Z");
    assert.strictEqual(end, "2030-01-03T15:04:05.12Z");
    const v = parseCert(pem).tbsCertificate.validity;
    assert.strictEqual(v.notBefore.getTime().toISOString(), "2030-01-02T03:04:05.000Z");
    assert.strictEqual(v.notAfter.getTime().toISOString(), "2030-01-03T15:04:05.000Z");
    const serial = BigInt(`0x${Buffer.from(parseCert(pem).tbsCertificate.serialNumber).toString("hex")}`);
    assert.strictEqual(id, serial.toString(10), "id is the decimal serial");
    assert.ok(serial > 0n && serial < 2n ** 128n);
    assert.strictEqual(new X509Certificate(pem).serialNumber.replace(/^0+/, ""), serial.toString(16).toUpperCase());
  });

  it("readyForRenewal is true on create when earlyRenewalHours >= validityPeriodHours, else false", async () => {
    const due = selfSigned("due", { validityPeriodHours: 10, earlyRenewalHours: 10 }).cert;
    const zero = selfSigned("zero", { validityPeriodHours: 0 }).cert;
    const fine = selfSigned("fine", { validityPeriodHours: 10, earlyRenewalHours: 9 }).cert;
    assert.deepStrictEqual(await unwrap(pulumi.all([due.readyForRenewal, zero.readyForRenewal, fine.readyForRenewal])), [true, true, false]);
  });

  it("privateKeyPem (input echo) is secret, certPem is not", async () => {
    const { key, cert } = selfSigned("secret-echo", {});
    assert.strictEqual(await pulumi.isSecret(cert.privateKeyPem), true);
    assert.strictEqual(await pulumi.isSecret(cert.certPem), false);
    assert.strictEqual(await unwrap(cert.privateKeyPem), await unwrap(key.privateKeyPem));
  });

  it("rejects bad allowedUses (camelCase) and negative hours with the provider's messages", async () => {
    const bad = selfSigned("bad-uses", { allowedUses: ["digital_signature", "serverAuth"], validityPeriodHours: -1, earlyRenewalHours: -2 }).cert;
    const message = await registrationError(bad);
    assert.match(message, /Invalid Attribute Value Match: Attribute allowed_uses\[1\] value must be one of: \["\\"any_extended\\"" .*got: "serverAuth"/);
    assert.ok(message.includes("Invalid Attribute Value: Attribute validity_period_hours value must be at least 0, got: -1"), message);
    assert.ok(message.includes("Attribute early_renewal_hours value must be at least 0, got: -2"), message);
  });

  it("rejects a CA without subject, an AKID without SKID, and maxPathLength >= 1 on a leaf", async () => {
    const key = new tls.PrivateKey("errs", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    const base = { privateKeyPem: key.privateKeyPem, allowedUses: [], validityPeriodHours: 1 };
    assert.match(await registrationError(new tls.SelfSignedCert("e1", { ...base, isCaCertificate: true })),
      /Invalid Certificate Subject: Must contain at least one Distinguished Name when creating Certificate Authority \(CA\)/);
    assert.match(await registrationError(new tls.SelfSignedCert("e2", { ...base, subject: { commonName: "x" }, setAuthorityKeyId: true })),
      /Invalid Certificate Authority: Could not determine Authority Key Identifier/);
    assert.match(await registrationError(new tls.SelfSignedCert("e3", { ...base, subject: { commonName: "x" }, maxPathLength: 1 })),
      /Failed to create certificate: x509: only CAs are allowed to specify MaxPathLen/);
  });

  it("rejects a private key that is not PEM, or a PUBLIC KEY PEM", async () => {
    const base = { allowedUses: [], validityPeriodHours: 1 };
    assert.match(await registrationError(new tls.SelfSignedCert("np", { ...base, privateKeyPem: "garbage" })),
      /Failed to parse private key PEM: failed to decode PEM block: decoded bytes 0, undecoded 7/);
    const pub = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }) as string;
    assert.match(await registrationError(new tls.SelfSignedCert("pub", { ...base, privateKeyPem: pub })),
      /unable to determine parser for PEM preamble: PUBLIC KEY/);
  });
});

describe("TlsEmulator: validity encoding around 2050", () => {
  useEmulator({ now: () => new Date("2049-12-31T23:30:00.000Z") });

  it("uses UTCTime before 2050 and GeneralizedTime from 2050 on, without fractional seconds", async () => {
    const key = new tls.PrivateKey("y2050", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    const cert = new tls.SelfSignedCert("y2050", { privateKeyPem: key.privateKeyPem, allowedUses: [], validityPeriodHours: 1 });
    const [pem, start, end] = await unwrap(pulumi.all([cert.certPem, cert.validityStartTime, cert.validityEndTime]));
    const v = parseCert(pem).tbsCertificate.validity;
    assert.ok(v.notBefore.utcTime !== undefined && v.notAfter.generalTime !== undefined);
    assert.ok(der(pem).includes(Buffer.from("180f32303530303130313030333030305a", "hex")), "GeneralizedTime 20500101003000Z");
    assert.deepStrictEqual([start, end], ["2049-12-31T23:30:00Z", "2050-01-01T00:30:00Z"]);
  });
});

// ---------------------------------------------------------------------------------------------
