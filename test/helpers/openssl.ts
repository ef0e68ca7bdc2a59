import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Result of `openssl verify`. */
export interface VerifyResult {
  readonly ok: boolean;
  readonly output: string;
}

/**
 * Runs `openssl verify -x509_strict -CAfile <ca> [-purpose <purpose>] <leaf>` on PEM texts, the way a
 * strict TLS consumer judges the chain.
 */
export function opensslVerify(caPem: string, leafPem: string, purpose?: "sslserver" | "sslclient"): VerifyResult {
  const dir = mkdtempSync(join(tmpdir(), "k8s-pki-verify-"));
  try {
    writeFileSync(join(dir, "ca.pem"), caPem);
    writeFileSync(join(dir, "leaf.pem"), leafPem);
    const args = ["verify", "-x509_strict", "-CAfile", join(dir, "ca.pem"), ...(purpose ? ["-purpose", purpose] : []), join(dir, "leaf.pem")];
    const run = spawnSync("openssl", args, { encoding: "utf8" });
    if (run.error) throw run.error;
    return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
