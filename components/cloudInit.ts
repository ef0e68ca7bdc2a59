import { gzipSync } from "node:zlib";
import { stringify } from "yaml";
import { NodeFile } from "./layout";

/** How cloud-init user-data is compressed. */
export type UserDataCompression = "none" | "files" | "document";

/** Every {@link UserDataCompression}. */
export const USER_DATA_COMPRESSIONS: readonly UserDataCompression[] = ["none", "files", "document"];

/** The compression when none is given: plain text. */
export const DEFAULT_USER_DATA_COMPRESSION: UserDataCompression = "none";

/**
 * User-data size limits of common clouds, in bytes, counted on the raw document before any base64
 * encoding for the API: EC2 16 KiB, Azure custom data 64 KiB, GCP metadata value 256 KiB.
 */
export const USER_DATA_LIMITS = { ec2: 16_384, azure: 65_536, gcp: 262_144 } as const;

/** Options of a node's cloud-init user-data. */
export interface CloudInitOptions {
  /**
   * `none` (default): files as text; `files`: each file gzip-compressed and base64-encoded
   * (`encoding: gz+b64`); `document`: the whole `#cloud-config` gzip-compressed, returned
   * base64-encoded for APIs that take binary user-data (e.g. `aws.ec2.Instance.userDataBase64`).
   */
  readonly compression?: UserDataCompression;
  /**
   * Your own cloud-config, merged in: its keys are kept, its `write_files` come before the PKI's
   * (which must not write the same paths).
   */
  readonly cloudConfig?: Readonly<Record<string, unknown>>;
  /** Fail when a node's user-data is larger than this many bytes, e.g. `USER_DATA_LIMITS.ec2`. Default: no limit. */
  readonly maxBytes?: number;
}

/** Rendered user-data: what to hand to the cloud, and the size the cloud counts. */
export interface UserData {
  /** The `#cloud-config` text, or for `document` compression its gzip bytes in base64. */
  readonly content: string;
  /** Bytes the cloud counts: the text's UTF-8 length, or the gzip length for `document`. */
  readonly bytes: number;
}

/** One `write_files` entry as cloud-init's schema describes it. */
interface WriteFile {
  path: string;
  owner: string;
  permissions: string;
  content: string;
  encoding?: "gz+b64";
}

function writeFileEntry(file: NodeFile, compress: boolean): WriteFile {
  const entry: WriteFile = { path: file.path, owner: "root:root", permissions: file.mode, content: file.content };
  if (!compress) return entry;
  return { ...entry, content: gzipSync(Buffer.from(file.content, "utf8")).toString("base64"), encoding: "gz+b64" };
}

/**
 * A `#cloud-config` document whose `write_files` lays down exactly `files` (owner `root:root`,
 * their modes), merged with the user's own cloud-config. Same inputs, same bytes.
 */
export function renderCloudInit(files: readonly NodeFile[], options: CloudInitOptions = {}): UserData {
  const compression = options.compression ?? DEFAULT_USER_DATA_COMPRESSION;
  const own = options.cloudConfig ?? {};
  const userFiles = Array.isArray(own.write_files) ? own.write_files : [];
  const sorted = [...files].sort((a, b) => a.path.localeCompare(b.path));
  const doc = { ...own, write_files: [...userFiles, ...sorted.map((f) => writeFileEntry(f, compression === "files"))] };
  const text = `#cloud-config\n${stringify(doc, { lineWidth: 0 })}`;
  if (compression !== "document") return { content: text, bytes: Buffer.byteLength(text, "utf8") };
  const gzipped = gzipSync(Buffer.from(text, "utf8"), { level: 9 });
  return { content: gzipped.toString("base64"), bytes: gzipped.length };
}

/** Paths the user's cloud-config writes that the PKI also writes. */
export function conflictingPaths(cloudConfig: Readonly<Record<string, unknown>>, paths: readonly string[]): string[] {
  const userFiles = Array.isArray(cloudConfig.write_files) ? (cloudConfig.write_files as { path?: unknown }[]) : [];
  return userFiles.map((f) => f.path).filter((p): p is string => typeof p === "string" && paths.includes(p));
}
