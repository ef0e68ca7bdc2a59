import * as assert from "node:assert/strict";
import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { childrenOf, decodeOid, decodeString, readAll, readNamedBits, readOne } from "../offline/der/read";
import { TAG } from "../offline/der/tags";
import {
  bitString, boolean, explicit, ia5String, implicit, integer, namedBits, NULL, octetString, oid, printableString,
  sequence, setOf, time, tlv, utf8String,
} from "../offline/der/write";
import { createCertificate } from "../offline/tls/certificate";
import { pkixNameFromSubject } from "../offline/tls/subject";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const bytes = (text: string): Buffer => Buffer.from(text.replace(/ /g, ""), "hex");

describe("DER writer", () => {
  it("writes short lengths in one octet and longer ones in the minimal long form", () => {
    assert.equal(hex(tlv(0x04, Buffer.alloc(0))), "0400");
    assert.equal(hex(tlv(0x04, Buffer.alloc(127)).subarray(0, 2)), "047f");
    assert.equal(hex(tlv(0x04, Buffer.alloc(128)).subarray(0, 3)), "048180");
    assert.equal(hex(tlv(0x04, Buffer.alloc(255)).subarray(0, 3)), "0481ff");
    assert.equal(hex(tlv(0x04, Buffer.alloc(256)).subarray(0, 4)), "04820100");
    assert.equal(hex(tlv(0x04, Buffer.alloc(65536)).subarray(0, 5)), "0483010000");
  });

  it("writes INTEGERs in minimal two's complement, with a 00 before a set top bit", () => {
    assert.equal(hex(integer(0)), "020100");
    assert.equal(hex(integer(127)), "02017f");
    assert.equal(hex(integer(128)), "02020080");
    assert.equal(hex(integer(256)), "02020100");
    assert.equal(hex(integer(2n ** 64n)), "0209010000000000000000");
    assert.equal(hex(integer(2n ** 128n - 1n)), `021100${"ff".repeat(16)}`);
    assert.throws(() => integer(-1), /negative/);
  });

  it("writes OBJECT IDENTIFIERs from their dotted form", () => {
    assert.equal(hex(oid("1.2.840.113549.1.1.11")), "06092a864886f70d01010b");
    assert.equal(hex(oid("2.5.29.37.0")), "0604551d2500");
    assert.equal(hex(oid("2.999.3")), "0603883703");
    assert.equal(hex(oid("1.3.6.1.4.1.311.61.1.1")), "060a2b0601040182373d0101");
    assert.throws(() => oid("1.40"), /second arc/);
    assert.throws(() => oid("1.02.3"), /not a dotted OID/);
  });

  it("writes named bits with trailing zero bits dropped, as KeyUsage needs", () => {
    assert.equal(hex(namedBits(0b101)), "030205a0"); // digitalSignature, keyEncipherment
    assert.equal(hex(namedBits(0b1100000)), "03020106"); // keyCertSign, cRLSign
    assert.equal(hex(namedBits(1)), "03020780");
    assert.equal(hex(namedBits(256)), "0303070080"); // decipherOnly
    assert.equal(hex(bitString(Buffer.of(1, 2))), "0303000102");
  });

  it("writes BOOLEAN, NULL, OCTET STRING and the string types", () => {
    assert.equal(hex(boolean(true)), "0101ff");
    assert.equal(hex(boolean(false)), "010100");
    assert.equal(hex(NULL), "0500");
    assert.equal(hex(octetString(Buffer.of(0xab))), "0401ab");
    assert.equal(hex(utf8String("ü")), "0c02c3bc");
    assert.equal(hex(printableString("a b")), "1303612062");
    assert.equal(hex(ia5String("a@b")), "1603614062");
  });

  it("writes UTCTime for years 1950 to 2049 and GeneralizedTime otherwise, in whole seconds", () => {
    const text = (der: Buffer): string => `${der[0].toString(16)} ${der.subarray(2).toString("latin1")}`;
    assert.equal(text(time(new Date("2049-12-31T23:59:59.999Z"))), "17 491231235959Z");
    assert.equal(text(time(new Date("2050-01-01T00:00:00Z"))), "18 20500101000000Z");
    assert.equal(text(time(new Date("1950-01-01T00:00:00Z"))), "17 500101000000Z");
    assert.equal(text(time(new Date("1949-12-31T23:59:59Z"))), "18 19491231235959Z");
  });

  it("sorts SET OF members by their encodings", () => {
    assert.equal(hex(setOf([integer(2), integer(1), octetString(Buffer.of(0))])), "3109020101020102040100");
  });

  it("writes explicit tags around an element and implicit tags in place of its tag", () => {
    assert.equal(hex(explicit(3, sequence([]))), "a3023000");
    assert.equal(hex(implicit(0, octetString(Buffer.of(1)))), "800101");
    assert.equal(hex(implicit(0, setOf([]))), "a000");
  });

  it("builds certificates Node reads back field by field", () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const subject = pkixNameFromSubject({ commonName: "ünï", organization: "system:masters" });
    const issued = createCertificate({
      subject, sans: { dnsNames: ["localhost"], ipAddresses: [Uint8Array.of(10, 0, 0, 1)], uris: ["spiffe://x/y"] },
      allowedUses: ["cert_signing", "server_auth"], validityPeriodHours: 24 * 365 * 30,
      isCaCertificate: true, maxPathLength: 2, setSubjectKeyId: true, setAuthorityKeyId: true,
    }, privateKey, privateKey, undefined, new Date("2030-01-02T03:04:05.678Z"));
    const cert = new X509Certificate(issued.der);
    assert.equal(cert.subject, "O=system:masters\nCN=ünï");
    assert.equal(cert.subjectAltName, "DNS:localhost, IP Address:10.0.0.1, URI:spiffe://x/y");
    assert.equal(cert.validFrom, "Jan  2 03:04:05 2030 GMT");
    assert.equal(cert.validTo, "Dec 26 03:04:05 2059 GMT");
    assert.equal(cert.serialNumber.replace(/^0+/, ""), issued.serial.toString(16).toUpperCase().replace(/^0+/, ""));
    assert.ok(cert.ca);
    assert.ok(cert.verify(cert.publicKey));
    assert.deepEqual(cert.keyUsage, ["1.3.6.1.5.5.7.3.1"]);
  });
});

describe("DER reader", () => {
  it("walks nested elements and decodes OIDs, strings and named bits", () => {
    const der = sequence([oid("1.2.840.113549.1.9.14"), utf8String("日本"), namedBits(0b101), printableString("x")]);
    const [o, u, b, p] = childrenOf(readOne(der, TAG.SEQUENCE, "test"), TAG.SEQUENCE, "test");
    assert.equal(decodeOid(o.contents), "1.2.840.113549.1.9.14");
    assert.equal(decodeString(u), "日本");
    assert.equal(readNamedBits(b, "bits"), 0b101);
    assert.equal(decodeString(p), "x");
    assert.equal(decodeString(readOne(tlv(TAG.BMP_STRING, Buffer.from("00fc0041", "hex")), TAG.BMP_STRING, "bmp")), "üA");
    assert.equal(decodeString(readOne(integer(1), TAG.INTEGER, "int")), undefined);
    assert.equal(decodeOid(bytes("883703")), "2.999.3");
  });

  it("rejects truncated elements and lengths that run past the end", () => {
    assert.throws(() => readOne(bytes("30 03 02 01"), TAG.SEQUENCE, "x"), /runs past the end/);
    assert.throws(() => readOne(bytes("30"), TAG.SEQUENCE, "x"), /truncated/);
    assert.throws(() => readOne(bytes("30 82 01"), TAG.SEQUENCE, "x"), /length too long/);
    assert.throws(() => readAll(bytes("02 01 01 02")), /truncated/);
  });

  it("rejects indefinite, non-minimal and overlong lengths", () => {
    assert.throws(() => readOne(bytes("30 80 00 00"), TAG.SEQUENCE, "x"), /indefinite/);
    assert.throws(() => readOne(bytes("30 81 03 02 01 01"), TAG.SEQUENCE, "x"), /non-minimal/);
    assert.throws(() => readOne(bytes(`30 82 00 80 ${"00".repeat(128)}`), TAG.SEQUENCE, "x"), /non-minimal/);
    assert.throws(() => readOne(bytes("30 85 00 00 00 00 01 00"), TAG.SEQUENCE, "x"), /length too long/);
  });

  it("rejects trailing bytes, wrong tags, high tag numbers and bad OIDs", () => {
    assert.throws(() => readOne(bytes("30 00 00"), TAG.SEQUENCE, "x"), /1 trailing byte/);
    assert.throws(() => readOne(bytes("31 00"), TAG.SEQUENCE, "the name"), /the name has tag 0x31, expected 0x30/);
    assert.throws(() => readOne(bytes("1f 01 00"), TAG.SEQUENCE, "x"), /high tag numbers/);
    assert.throws(() => decodeOid(bytes("2a 86")), /truncated OBJECT IDENTIFIER/);
    assert.throws(() => decodeOid(bytes("2a 80 01")), /non-minimal/);
  });
});
