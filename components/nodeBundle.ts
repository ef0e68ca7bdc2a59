import { gzipSync } from "node:zlib";
import { NodeFile } from "./layout";

/** How a secret-store bundle is encoded. */
export type BundleEncoding = "json" | "gzip";

/** Every {@link BundleEncoding}. */
export const BUNDLE_ENCODINGS: readonly BundleEncoding[] = ["json", "gzip"];

/**
 * Secret size limits of common secret stores, in bytes: AWS Secrets Manager 64 KiB (SecretString
 * or SecretBinary), Azure Key Vault 25 KiB, GCP Secret Manager 64 KiB.
 */
export const SECRET_STORE_LIMITS = { awsSecretsManager: 65_536, azureKeyVault: 25_600, gcpSecretManager: 65_536 } as const;

/** Options of a node's secret-store bundle. */
export interface NodeBundleOptions {
  /**
   * `json` (default): the JSON text, for a string secret (AWS `SecretString`); `gzip`: the JSON
   * gzip-compressed and base64-encoded, for a binary secret (AWS `SecretBinary`), about a third smaller.
   */
  readonly encoding?: BundleEncoding;
  /** Fail when a node's bundle is larger than this many bytes, e.g. `SECRET_STORE_LIMITS.awsSecretsManager`. */
  readonly maxBytes?: number;
}

/** A rendered bundle and the size the secret store counts. */
export interface NodeBundle {
  /** JSON text, or base64 of its gzip bytes. */
  readonly content: string;
  /** Bytes the store counts: the JSON's UTF-8 length, or the gzip length. */
  readonly bytes: number;
}

/** `{ "files": { "<path>": { "content", "mode" } } }`, paths sorted. Same inputs, same bytes. */
export function renderNodeBundle(files: readonly NodeFile[], options: NodeBundleOptions = {}): NodeBundle {
  const sorted = [...files].sort((a, b) => a.path.localeCompare(b.path));
  const json = JSON.stringify({ files: Object.fromEntries(sorted.map((f) => [f.path, { content: f.content, mode: f.mode }])) });
  if ((options.encoding ?? "json") === "json") return { content: json, bytes: Buffer.byteLength(json, "utf8") };
  const gzipped = gzipSync(Buffer.from(json, "utf8"), { level: 9 });
  return { content: gzipped.toString("base64"), bytes: gzipped.length };
}

/** Writes a bundle read on standard input (JSON, or base64 gzip) to disk with its modes; prints paths only. */
const INSTALLER = `import base64, gzip, json, os, sys
raw = sys.stdin.buffer.read().strip()
data = gzip.decompress(base64.b64decode(raw)) if raw.startswith(b"H4sI") else raw
for path, f in json.loads(data)["files"].items():
    os.makedirs(os.path.dirname(path), mode=0o755, exist_ok=True)
    mode = int(f["mode"], 8)
    fd = os.open(path + ".tmp", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as out:
        out.write(f["content"])
    os.chmod(path + ".tmp", mode)
    os.replace(path + ".tmp", path)
    print("kubernetes-pki: wrote " + path)`;

/**
 * A POSIX shell snippet for user-data that runs `fetchCommand` (which prints the bundle: its JSON
 * text, or the base64 of its gzip form) and writes every file with its mode. Needs python3, which
 * cloud-init images carry. Never echoes the bundle: no `set -x`, secrets only through a pipe.
 */
export function bundleInstallScript(fetchCommand: string): string {
  return [
    "#!/bin/sh",
    "# Fetch this node's PKI bundle from the secret store and write its files (keys 0600).",
    "set -eu",
    "umask 077",
    `${fetchCommand} | python3 -c '${INSTALLER.replace(/'/g, "'\\''")}'`,
    "",
  ].join("\n");
}

/** `fetchCommand` for AWS Secrets Manager with the AWS CLI and the instance's role. */
export function awsSecretsManagerFetchCommand(secretId: string, encoding: BundleEncoding = "json"): string {
  const field = encoding === "json" ? "SecretString" : "SecretBinary";
  return `aws secretsmanager get-secret-value --secret-id '${secretId}' --query ${field} --output text`;
}
