import { ENCRYPTION_CONFIG_PATH } from "../bootstrap/encryption";
import { CATALOG } from "../catalog";
import { CloudInitOptions, conflictingPaths, DEFAULT_USER_DATA_COMPRESSION, USER_DATA_COMPRESSIONS } from "../cloudInit";
import { BUNDLE_ENCODINGS, NodeBundleOptions } from "../nodeBundle";
import { catalogPaths, placements } from "../placement";
import { ClusterPlan } from "../plan";
import { bundleFloor, userDataFloor } from "../sizeFloor";
import { isRecord, objectAt, quote } from "./fields";
import { Section } from "./section";

const CLOUD_INIT_FIELDS = ["compression", "cloudConfig", "maxBytes"];
const BUNDLE_FIELDS = ["encoding", "maxBytes"];

/** `userData` and `bundles`: how each node's files are delivered, and their size limits. */
export const deliverySection: Section = {
  fields: ["userData", "bundles"],
  problems: (args) => [...cloudInitProblems("userData", args.userData, []), ...bundleProblems("bundles", args.bundles)],
};

/**
 * Problems of cloud-init options (those of the component or of one `cloudInit()` call). `pkiPaths`
 * are the files the PKI writes, which the user's cloud-config must not write too.
 */
export function cloudInitProblems(field: string, value: unknown, pkiPaths: readonly string[]): string[] {
  const problems: string[] = [];
  const options = objectAt(field, value, CLOUD_INIT_FIELDS, problems);
  if (options === undefined) return problems;
  if (options.compression !== undefined && !(USER_DATA_COMPRESSIONS as readonly unknown[]).includes(options.compression)) {
    problems.push(`${field}.compression: ${quote(options.compression)} is not supported; use one of ${USER_DATA_COMPRESSIONS.join(", ")}`);
  }
  problems.push(...maxBytesProblems(`${field}.maxBytes`, options.maxBytes));
  const cloudConfig = options.cloudConfig;
  if (cloudConfig !== undefined) {
    if (!isRecord(cloudConfig)) {
      problems.push(`${field}.cloudConfig: ${quote(cloudConfig)} is not a cloud-config object`);
    } else if (cloudConfig.write_files !== undefined && !Array.isArray(cloudConfig.write_files)) {
      problems.push(`${field}.cloudConfig.write_files: ${quote(cloudConfig.write_files)} is not a list of files`);
    } else {
      for (const path of conflictingPaths(cloudConfig, pkiPaths)) {
        problems.push(`${field}.cloudConfig.write_files: ${quote(path)} is a file the PKI writes; choose another path`);
      }
    }
  }
  return problems;
}

/** Problems of secret-store bundle options (those of the component or of one `nodeBundle()` call). */
export function bundleProblems(field: string, value: unknown): string[] {
  const problems: string[] = [];
  const options = objectAt(field, value, BUNDLE_FIELDS, problems);
  if (options === undefined) return problems;
  problems.push(...maxBytesProblems(`${field}.maxBytes`, options.maxBytes));
  if (options.encoding !== undefined && !(BUNDLE_ENCODINGS as readonly unknown[]).includes(options.encoding)) {
    problems.push(`${field}.encoding: ${quote(options.encoding)} is not supported; use one of ${BUNDLE_ENCODINGS.join(", ")}`);
  }
  return problems;
}

/**
 * Problems only a built plan shows: a user cloud-config writing a PKI file, and nodes whose files
 * cannot fit the size limits whatever the keys turn out to be (see `sizeFloor.ts`).
 */
export function deliveryPlanProblems(plan: ClusterPlan, userData: CloudInitOptions | undefined, bundles: NodeBundleOptions | undefined): string[] {
  const pkiPaths = [
    ...catalogPaths(CATALOG),
    ...(plan.bootstrap.encryption === undefined ? [] : [ENCRYPTION_CONFIG_PATH]),
  ];
  const problems = cloudInitProblems("userData", userData, pkiPaths);
  const keys = [...new Set(Object.values(plan.algorithms))].join("/");
  for (const node of plan.nodes) {
    const files = placements(CATALOG, node);
    const compression = userData?.compression ?? DEFAULT_USER_DATA_COMPRESSION;
    const userDataBytes = userDataFloor(files, plan, compression);
    if (userData?.maxBytes !== undefined && userDataBytes > userData.maxBytes) {
      problems.push(
        `userData.maxBytes: ${userData.maxBytes} cannot hold node ${quote(node.name)}, whose user-data takes at least ` +
          `${userDataBytes} bytes with ${keys} keys and compression "${compression}"; compress it, use ECDSA keys, ` +
          `or deliver the files with nodeBundle() and a secret store`,
      );
    }
    const encoding = bundles?.encoding ?? "json";
    const bundleBytes = bundleFloor(files, plan, encoding);
    if (bundles?.maxBytes !== undefined && bundleBytes > bundles.maxBytes) {
      problems.push(
        `bundles.maxBytes: ${bundles.maxBytes} cannot hold node ${quote(node.name)}, whose bundle takes at least ` +
          `${bundleBytes} bytes with ${keys} keys and encoding "${encoding}"; use encoding "gzip" or ECDSA keys`,
      );
    }
  }
  return problems;
}

function maxBytesProblems(field: string, value: unknown): string[] {
  if (value === undefined || (typeof value === "number" && Number.isInteger(value) && value > 0)) return [];
  return [`${field}: ${quote(value)} is not a positive whole number of bytes, e.g. 16384 for EC2 user-data`];
}
