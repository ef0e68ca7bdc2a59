import * as assert from "node:assert";
import { spawnSync } from "node:child_process";
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { AsnConvert } from "@peculiar/asn1-schema";
import {
  BasicConstraints, Certificate, ExtendedKeyUsage, GeneralNames, KeyUsage, SubjectKeyIdentifier, AuthorityKeyIdentifier,
} from "@peculiar/asn1-x509";
import { TlsEmulator, TlsEmulatorOptions } from "../offline/tlsEmulator";
import { goTrimSpaceRight, hashForState } from "../offline/tls/ids";
import { createTimeReadyForRenewal, isReadyForRenewal, requiresReplace } from "../offline/tls/renewal";
import { SECRET_SIG, SIG_KEY } from "../offline/tls/secret";

// ---------------------------------------------------------------------------------------------
// helpers

/** Resolves an Output through `apply` (Output.promise is internal). */
function unwrap<T>(o: pulumi.Input<T>): Promise<pulumi.Unwrap<T>> {
  return new Promise((resolve) => pulumi.output(o).apply((v) => {
    resolve(v);
    return v;
  }));
}

/** Installs a fresh emulator as the mocks for the next test, and returns it. */
function useEmulator(options: TlsEmulatorOptions = {}, preview = false): { emulator: TlsEmulator } {
  const holder = { emulator: new TlsEmulator(options) };
  beforeEach(() => {
    holder.emulator = new TlsEmulator(options);
    return pulumi.runtime.setMocks(holder.emulator, "project", "stack", preview);
  });
  return holder;
}

/** The registration error of a resource. `urn.promise()` is internal but the only way to see a rejection. */
async function registrationError(res: pulumi.CustomResource): Promise<string> {
  try {
    await (res.urn as unknown as { promise(): Promise<string> }).promise();
  } catch (e) {
    return (e as Error).message;
  }
  return "(no error)";
}

const der = (pem: string): Buffer =>
  Buffer.from(pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, "").replace(/\s+/g, ""), "base64");
const pemType = (pem: string): string => /^-----BEGIN ([A-Z ]+)-----\n/.exec(pem)?.[1] ?? "(none)";
const parseCert = (pem: string): Certificate => AsnConvert.parse(der(pem), Certificate);
const ext = (c: Certificate, oid: string) => c.tbsCertificate.extensions?.find((e) => e.extnID === oid);
const OID = { ku: "2.5.29.15", eku: "2.5.29.37", bc: "2.5.29.19", skid: "2.5.29.14", akid: "2.5.29.35", san: "2.5.29.17" };
const skidOf = (c: Certificate): string | undefined => {
  const e = ext(c, OID.skid);
  return e && Buffer.from(AsnConvert.parse(e.extnValue.buffer, SubjectKeyIdentifier).buffer).toString("hex");
};
const akidOf = (c: Certificate): string | undefined => {
  const e = ext(c, OID.akid);
  const id = e && AsnConvert.parse(e.extnValue.buffer, AuthorityKeyIdentifier).keyIdentifier;
  return id && Buffer.from(id.buffer).toString("hex");
};
/** Hex of an extension's DER value, `"(absent)"` when the certificate lacks it. */
const extHex = (c: Certificate, oid: string): string => {
  const e = ext(c, oid);
  return e === undefined ? "(absent)" : Buffer.from(e.extnValue.buffer).toString("hex");
};
const extValue = (c: Certificate, oid: string): ArrayBuffer => ext(c, oid)?.extnValue.buffer ?? new ArrayBuffer(0);
const sha1 = (b: Uint8Array): string => createHash("sha1").update(b).digest("hex");

/** Writes files to a fresh temp dir, runs `fn` there, and removes the dir. */
function inTempDir<T>(files: Record<string, string>, fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tls-emulator-"));
  try {
    for (const [name, content] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, name), content, { mode: 0o600 });
    }
    return fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a CLI, returning its exit status and combined output. */
function run(cmd: string, args: string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const CA_USES = ["cert_signing", "crl_signing", "digital_signature", "key_encipherment"];

/** A CA (key + self-signed cert) for chain tests. */
function makeCa(name: string, args: Partial<tls.SelfSignedCertArgs> = {}, key: Partial<tls.PrivateKeyArgs> = {}) {
  const caKey = new tls.PrivateKey(name, { algorithm: "ECDSA", ecdsaCurve: "P256", ...key });
  const ca = new tls.SelfSignedCert(name, {
    privateKeyPem: caKey.privateKeyPem, subject: { commonName: `${name}-ca`, organization: "Example" },
    allowedUses: CA_USES, validityPeriodHours: 48, isCaCertificate: true, ...args,
  });
  return { caKey, ca };
}

/** A leaf key, CSR and certificate signed by `ca`. */
function makeLeaf(name: string, ca: ReturnType<typeof makeCa>, leaf: Partial<tls.LocallySignedCertArgs> = {},
  csr: Partial<tls.CertRequestArgs> = {}) {
  const key = new tls.PrivateKey(name, { algorithm: "ECDSA", ecdsaCurve: "P256" });
  const req = new tls.CertRequest(name, { privateKeyPem: key.privateKeyPem, subject: { commonName: name }, ...csr });
  const cert = new tls.LocallySignedCert(name, {
    certRequestPem: req.certRequestPem, caCertPem: ca.ca.certPem, caPrivateKeyPem: ca.caKey.privateKeyPem,
    allowedUses: ["digital_signature", "key_encipherment", "server_auth"], validityPeriodHours: 24, ...leaf,
  });
  return { key, req, cert };
}

// ---------------------------------------------------------------------------------------------

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
    const key = new tls.PrivateKey("nosubject", { algorithm: "ED25519" });
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

  it("Ed25519 SKID quirk: SHA-1 over 04 20 ‖ key, not over the key", async () => {
    const { cert } = selfSigned("ed-skid", { isCaCertificate: true }, { algorithm: "ED25519" });
    const c = parseCert(await unwrap(cert.certPem));
    const raw = Buffer.from(c.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey);
    assert.strictEqual(skidOf(c), sha1(Buffer.concat([Buffer.of(4, 32), raw])));
    assert.strictEqual(c.signatureAlgorithm.algorithm, "1.3.101.112");
  });

  it("chooses the signature algorithm from the key: RSA sha256WithRSA+NULL, P384 ecdsa-with-SHA384, P224 ecdsa-with-SHA256", async () => {
    const rsa = parseCert(await unwrap(selfSigned("sig-rsa", {}, { algorithm: "RSA", rsaBits: 1024 }).cert.certPem));
    const p384 = parseCert(await unwrap(selfSigned("sig-384", {}, { ecdsaCurve: "P384" }).cert.certPem));
    const p224Pem = await unwrap(selfSigned("sig-224", {}, { ecdsaCurve: "P224" }).cert.certPem);
    assert.strictEqual(rsa.signatureAlgorithm.algorithm, "1.2.840.113549.1.1.11");
    assert.strictEqual(Buffer.from(AsnConvert.serialize(rsa.signatureAlgorithm)).toString("hex"), "300d06092a864886f70d01010b0500",
      "sha256WithRSAEncryption with NULL parameters");
    assert.strictEqual(p384.signatureAlgorithm.algorithm, "1.2.840.10045.4.3.3");
    assert.strictEqual(parseCert(p224Pem).signatureAlgorithm.algorithm, "1.2.840.10045.4.3.2");
    const x = new X509Certificate(p224Pem);
    assert.ok(x.verify(x.publicKey), "a P-224 self-signed certificate verifies");
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
    const key = new tls.PrivateKey("errs", { algorithm: "ED25519" });
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
    const pub = generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }) as string;
    assert.match(await registrationError(new tls.SelfSignedCert("pub", { ...base, privateKeyPem: pub })),
      /unable to determine parser for PEM preamble: PUBLIC KEY/);
  });
});

describe("TlsEmulator: validity encoding around 2050", () => {
  useEmulator({ now: () => new Date("2049-12-31T23:30:00.000Z") });

  it("uses UTCTime before 2050 and GeneralizedTime from 2050 on, without fractional seconds", async () => {
    const key = new tls.PrivateKey("y2050", { algorithm: "ED25519" });
    const cert = new tls.SelfSignedCert("y2050", { privateKeyPem: key.privateKeyPem, allowedUses: [], validityPeriodHours: 1 });
    const [pem, start, end] = await unwrap(pulumi.all([cert.certPem, cert.validityStartTime, cert.validityEndTime]));
    const v = parseCert(pem).tbsCertificate.validity;
    assert.ok(v.notBefore.utcTime !== undefined && v.notAfter.generalTime !== undefined);
    assert.ok(der(pem).includes(Buffer.from("180f32303530303130313030333030305a", "hex")), "GeneralizedTime 20500101003000Z");
    assert.deepStrictEqual([start, end], ["2049-12-31T23:30:00Z", "2050-01-01T00:30:00Z"]);
  });
});

// ---------------------------------------------------------------------------------------------

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
    const key = new tls.PrivateKey("nosan", { algorithm: "ED25519" });
    const csr = new tls.CertRequest("nosan", { privateKeyPem: key.privateKeyPem, subject: { commonName: "x" } });
    assert.ok(der(await unwrap(csr.certRequestPem)).includes(Buffer.from("a000", "hex")));
  });

  it("unwraps the secret privateKeyPem input and echoes it secret; certRequestPem is not secret", async () => {
    const key = new tls.PrivateKey("echo", { algorithm: "ED25519" });
    const csr = new tls.CertRequest("echo", { privateKeyPem: key.privateKeyPem });
    assert.strictEqual(await pulumi.isSecret(csr.privateKeyPem), true);
    assert.strictEqual(await pulumi.isSecret(csr.certRequestPem), false);
    assert.strictEqual(await unwrap(csr.privateKeyPem), await unwrap(key.privateKeyPem));
  });

  it("rejects an invalid IP address and an empty IP string", async () => {
    const key = new tls.PrivateKey("badip", { algorithm: "ED25519" });
    assert.match(await registrationError(new tls.CertRequest("badip", { privateKeyPem: key.privateKeyPem, ipAddresses: ["10.0.0.01"] })),
      /Invalid IP address: Failed to parse "10\.0\.0\.01"/);
    assert.match(await registrationError(new tls.CertRequest("emptyip", { privateKeyPem: key.privateKeyPem, ipAddresses: [""] })),
      /Invalid Attribute Value Length: Attribute ip_addresses\[0\] string length must be at least 1, got: 0/);
  });
});

// ---------------------------------------------------------------------------------------------

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

  it("issuer is the CA subject; id is the decimal serial; signature from the CA key (Ed25519 CA, RSA leaf)", async () => {
    const ca = makeCa("edca", {}, { algorithm: "ED25519" });
    const key = new tls.PrivateKey("rsa-leaf", { algorithm: "RSA", rsaBits: 1024 });
    const req = new tls.CertRequest("rsa-leaf", { privateKeyPem: key.privateKeyPem, subject: { commonName: "rsa-leaf" } });
    const cert = new tls.LocallySignedCert("rsa-leaf", {
      certRequestPem: req.certRequestPem, caCertPem: ca.ca.certPem, caPrivateKeyPem: ca.caKey.privateKeyPem,
      allowedUses: ["client_auth"], validityPeriodHours: 1,
    });
    const [caPem, pem, id, caAlg] = await unwrap(pulumi.all([ca.ca.certPem, cert.certPem, cert.id, cert.caKeyAlgorithm]));
    const c = parseCert(pem);
    assert.strictEqual(c.signatureAlgorithm.algorithm, "1.3.101.112");
    assert.strictEqual(caAlg, "ED25519");
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
      this.key = new tls.PrivateKey(`${name}-key`, { algorithm: "ED25519" }, { parent: this });
      this.registerOutputs({});
    }
  }

  it("answers components and lets their children through; records both", async () => {
    const g = new Group("g");
    assert.match(await unwrap(g.key.publicKeyOpenssh), /^ssh-ed25519 /);
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
    const key = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    const wrapped = { [SIG_KEY]: SECRET_SIG, value: key };
    const result = await h.emulator.newResource({
      type: "tls:index/certRequest:CertRequest", name: "wire", inputs: { privateKeyPem: wrapped, subject: { commonName: "w" } }, custom: true,
    });
    assert.deepStrictEqual(result.state.privateKeyPem, wrapped);
    assert.strictEqual(result.state.keyAlgorithm, "ED25519");
    assert.strictEqual(h.emulator.resources[0].inputs.privateKeyPem, key);
  });
});

// ---------------------------------------------------------------------------------------------

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

  const pem = "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n";
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
