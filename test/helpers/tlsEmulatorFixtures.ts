/** Shared fixtures of the tls emulator's tests: mocks per test, CA and leaf builders, DER readers. */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { AsnConvert } from "@peculiar/asn1-schema";
import { AuthorityKeyIdentifier, Certificate, SubjectKeyIdentifier } from "@peculiar/asn1-x509";
import { TlsEmulator, TlsEmulatorOptions } from "../../offline/tlsEmulator";

/** Resolves an Output through `apply` (Output.promise is internal). */
export function unwrap<T>(o: pulumi.Input<T>): Promise<pulumi.Unwrap<T>> {
  return new Promise((resolve) => pulumi.output(o).apply((v) => {
    resolve(v);
    return v;
  }));
}

/** Installs a fresh emulator as the mocks for the next test, and returns it. */
export function useEmulator(options: TlsEmulatorOptions = {}, preview = false): { emulator: TlsEmulator } {
  const holder = { emulator: new TlsEmulator(options) };
  beforeEach(() => {
    holder.emulator = new TlsEmulator(options);
    return pulumi.runtime.setMocks(holder.emulator, "project", "stack", preview);
  });
  return holder;
}

/** The registration error of a resource. `urn.promise()` is internal but the only way to see a rejection. */
export async function registrationError(res: pulumi.CustomResource): Promise<string> {
  try {
    await (res.urn as unknown as { promise(): Promise<string> }).promise();
  } catch (e) {
    return (e as Error).message;
  }
  return "(no error)";
}

export const der = (pem: string): Buffer =>
  Buffer.from(pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, "").replace(/\s+/g, ""), "base64");
export const pemType = (pem: string): string => /^-----BEGIN ([A-Z ]+)-----\n/.exec(pem)?.[1] ?? "(none)";
export const parseCert = (pem: string): Certificate => AsnConvert.parse(der(pem), Certificate);
export const ext = (c: Certificate, oid: string) => c.tbsCertificate.extensions?.find((e) => e.extnID === oid);
export const OID = { ku: "2.5.29.15", eku: "2.5.29.37", bc: "2.5.29.19", skid: "2.5.29.14", akid: "2.5.29.35", san: "2.5.29.17" };
export const skidOf = (c: Certificate): string | undefined => {
  const e = ext(c, OID.skid);
  return e && Buffer.from(AsnConvert.parse(e.extnValue.buffer, SubjectKeyIdentifier).buffer).toString("hex");
};
export const akidOf = (c: Certificate): string | undefined => {
  const e = ext(c, OID.akid);
  const id = e && AsnConvert.parse(e.extnValue.buffer, AuthorityKeyIdentifier).keyIdentifier;
  return id && Buffer.from(id.buffer).toString("hex");
};
/** Hex of an extension's DER value, `"(absent)"` when the certificate lacks it. */
export const extHex = (c: Certificate, oid: string): string => {
  const e = ext(c, oid);
  return e === undefined ? "(absent)" : Buffer.from(e.extnValue.buffer).toString("hex");
};
export const extValue = (c: Certificate, oid: string): ArrayBuffer => ext(c, oid)?.extnValue.buffer ?? new ArrayBuffer(0);
export const sha1 = (b: Uint8Array): string => createHash("sha1").update(b).digest("hex");

/** Writes files to a fresh temp dir, runs `fn` there, and removes the dir. */
export function inTempDir<T>(files: Record<string, string>, fn: (dir: string) => T): T {
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
export function run(cmd: string, args: string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

export const CA_USES = ["cert_signing", "crl_signing", "digital_signature", "key_encipherment"];

/** A CA (key + self-signed cert) for chain tests. */
export function makeCa(name: string, args: Partial<tls.SelfSignedCertArgs> = {}, key: Partial<tls.PrivateKeyArgs> = {}) {
  const caKey = new tls.PrivateKey(name, { algorithm: "ECDSA", ecdsaCurve: "P256", ...key });
  const ca = new tls.SelfSignedCert(name, {
    privateKeyPem: caKey.privateKeyPem, subject: { commonName: `${name}-ca`, organization: "Example" },
    allowedUses: CA_USES, validityPeriodHours: 48, isCaCertificate: true, ...args,
  });
  return { caKey, ca };
}

/** A leaf key, CSR and certificate signed by `ca`. */
export function makeLeaf(name: string, ca: ReturnType<typeof makeCa>, leaf: Partial<tls.LocallySignedCertArgs> = {},
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

