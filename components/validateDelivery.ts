import { CloudInitOptions, conflictingPaths, USER_DATA_COMPRESSIONS } from "./cloudInit";
import { BUNDLE_ENCODINGS, NodeBundleOptions } from "./nodeBundle";

/** Problems of cloud-init options; `pkiPaths` are the files the PKI writes, which the user's cloud-config must not. */
export function cloudInitProblems(field: string, options: CloudInitOptions | undefined, pkiPaths: readonly string[]): string[] {
  if (options === undefined) return [];
  const problems: string[] = [];
  if (options.compression !== undefined && !USER_DATA_COMPRESSIONS.includes(options.compression)) {
    problems.push(`${field}.compression: ${JSON.stringify(options.compression)} is not supported; use one of ${USER_DATA_COMPRESSIONS.join(", ")}`);
  }
  problems.push(...maxBytesProblems(`${field}.maxBytes`, options.maxBytes));
  const cloudConfig = options.cloudConfig;
  if (cloudConfig !== undefined) {
    if (typeof cloudConfig !== "object" || cloudConfig === null || Array.isArray(cloudConfig)) {
      problems.push(`${field}.cloudConfig: ${JSON.stringify(cloudConfig)} is not a cloud-config object`);
    } else {
      if (cloudConfig.write_files !== undefined && !Array.isArray(cloudConfig.write_files)) {
        problems.push(`${field}.cloudConfig.write_files: must be a list of files`);
      }
      for (const path of conflictingPaths(cloudConfig, pkiPaths)) {
        problems.push(`${field}.cloudConfig.write_files: ${JSON.stringify(path)} is a file the PKI writes; choose another path`);
      }
    }
  }
  return problems;
}

/** Problems of secret-store bundle options. */
export function bundleProblems(field: string, options: NodeBundleOptions | undefined): string[] {
  if (options === undefined) return [];
  const problems = maxBytesProblems(`${field}.maxBytes`, options.maxBytes);
  if (options.encoding !== undefined && !BUNDLE_ENCODINGS.includes(options.encoding)) {
    problems.push(`${field}.encoding: ${JSON.stringify(options.encoding)} is not supported; use one of ${BUNDLE_ENCODINGS.join(", ")}`);
  }
  return problems;
}

function maxBytesProblems(field: string, value: unknown): string[] {
  if (value === undefined || (typeof value === "number" && Number.isInteger(value) && value > 0)) return [];
  return [`${field}: ${JSON.stringify(value)} is not a positive whole number of bytes, e.g. 16384 for EC2 user-data`];
}
