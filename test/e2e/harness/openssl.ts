import { spawnSync } from "node:child_process";
import { join } from "node:path";

/** Runs `openssl` and returns stdout; throws with stderr when it fails. */
export function openssl(args: readonly string[], input?: string): string {
  const run = spawnSync("openssl", args, { encoding: "utf8", input, timeout: 60_000 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`openssl ${args.join(" ")} failed: ${run.stderr}`);
  return run.stdout;
}

/** Paths of a certificate and its key. */
export interface CertAndKey {
  readonly cert: string;
  readonly key: string;
}

/** A fresh self-signed ECDSA P-256 CA in `dir`, named `<name>.crt` / `<name>.key`. */
export function selfSignedCa(dir: string, name: string, commonName: string): CertAndKey {
  const files = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  openssl([
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
    "-subj", `/CN=${commonName}`, "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign",
    "-keyout", files.key, "-out", files.cert,
  ]);
  return files;
}

/** A self-signed ECDSA P-256 serving certificate for `dnsName` (a test server's own certificate). */
export function selfSignedServer(dir: string, name: string, dnsName: string): CertAndKey {
  const files = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  openssl([
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
    "-subj", `/CN=${dnsName}`, "-addext", `subjectAltName=DNS:${dnsName}`,
    "-addext", "extendedKeyUsage=serverAuth", "-keyout", files.key, "-out", files.cert,
  ]);
  return files;
}

/**
 * Re-signs the certificate `certFile` (whose key is `keyFile`) with another CA, in place: same
 * subject, key, SANs and usages, another issuer. The result is what a mix-up of two PKIs produces.
 */
export function resignWith(certFile: string, keyFile: string, ca: CertAndKey, workDir: string): void {
  const csr = join(workDir, "resign.csr");
  openssl(["x509", "-x509toreq", "-in", certFile, "-signkey", keyFile, "-copy_extensions", "copyall", "-out", csr]);
  openssl(["x509", "-req", "-in", csr, "-CA", ca.cert, "-CAkey", ca.key, "-copy_extensions", "copyall", "-days", "2", "-out", certFile]);
}

/** A new ECDSA P-256 key and a PEM CSR for the subject (e.g. `/O=system:nodes/CN=system:node:x`). */
export function newCsr(dir: string, name: string, subject: string): { key: string; csrPem: string } {
  const key = join(dir, `${name}.key`);
  const csrPem = openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-subj", subject]);
  return { key, csrPem };
}

/** The issuer CN of a PEM certificate file. */
export function issuerCommonName(certFile: string): string {
  const line = openssl(["x509", "-in", certFile, "-noout", "-issuer", "-nameopt", "multiline"]);
  const match = /commonName\s*=\s*(.+)/.exec(line);
  if (match === null) throw new Error(`${certFile}: issuer has no CN`);
  return match[1].trim();
}
