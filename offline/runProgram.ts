import * as pulumi from "@pulumi/pulumi";
import { BootstrapToken, ExpiryReportRow, ManifestFile, NodeFiles } from "../components";
import { PriorResource, Step } from "./continuity";
import { recordReplacementTriggers } from "./replacementTriggers";
import { rotationNow } from "../components/rotation/clock";
import { StackConfig } from "./stackConfig";
import { TlsEmulator } from "./tlsEmulator";

/** What the stack program exports, with every Output resolved. */
export interface RenderedStack {
  readonly stack: string;
  /** Every node's files, by node name and absolute path. */
  readonly files: Record<string, NodeFiles>;
  /** The operator's kubeconfigs by file name (`admin.conf`, `super-admin.conf`). */
  readonly operatorKubeconfigs: Record<string, string>;
  /** CA certificates by CA id. */
  readonly caCertificates: Record<string, string>;
  /** Every node's cloud-init user-data, as the component renders it with the stack's options. */
  readonly userData: Record<string, string>;
  /** True when `userData` is a whole gzip-compressed document in base64. */
  readonly userDataGzipped: boolean;
  /** What `kubeadm init` creates in the cluster, one YAML file per object. */
  readonly manifests: readonly ManifestFile[];
  /** Bootstrap tokens by name. */
  readonly bootstrapTokens: Record<string, BootstrapToken>;
  /** Join user-data per token, compressed like `userData`. */
  readonly joinUserData: Record<string, string>;
  /** `sha256:<hex>` of the cluster CA's public key. */
  readonly discoveryTokenCaCertHash: string;
  /** The component's expiry report. */
  readonly expiryReport: ExpiryReportRow[];
  /** What the run did to each resource (all `create` without a prior state), by `<type>::<name>`. */
  readonly steps: ReadonlyMap<string, Step>;
  /** Every resource, as the next run's prior state. Holds private keys. */
  readonly state: ReadonlyMap<string, PriorResource>;
}

/** Options of {@link runProgram}. */
export interface RunOptions {
  /** The resources of the previous run: each is kept, updated or replaced as `pulumi up` would decide. */
  readonly prior?: ReadonlyMap<string, PriorResource>;
}

const PROGRAM = "../index";

function resolve<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply(done));
}

/**
 * Runs the root stack program (`index.ts`) with a stack's config under the tls emulator: the same
 * program `pulumi up` runs, with real certificates made in-process instead of by the provider.
 */
export async function runProgram(stackConfig: StackConfig, options: RunOptions = {}): Promise<RenderedStack> {
  pulumi.runtime.setAllConfig(stackConfig.config);
  const emulator = new TlsEmulator({ prior: options.prior, now: rotationNow });
  await pulumi.runtime.setMocks(emulator, "kubernetes-pki", stackConfig.stack, false);
  recordReplacementTriggers(emulator.triggers);
  // A fresh copy of the program per run, so one process can render several stacks.
  delete require.cache[require.resolve(PROGRAM)];
  const program = (await import(PROGRAM)) as typeof import("../index");
  const [files, admin, superAdmin, caCertificates, userData, expiryReport] = await resolve(
    pulumi.all([program.files, program.adminKubeconfig, program.superAdminKubeconfig, program.caCertificates, program.userData, program.expiryReport]),
  );
  const [manifests, bootstrapTokens, joinUserData, discoveryTokenCaCertHash] = await resolve(
    pulumi.all([program.bootstrapManifestFiles, program.bootstrapTokens, program.joinUserData, program.discoveryTokenCaCertHash]),
  );
  // Registrations that failed (an illegal rotation step) fail the render, as they fail `pulumi up`.
  if (emulator.failures.length > 0) throw emulator.failures[0];
  return {
    stack: stackConfig.stack,
    files,
    operatorKubeconfigs: { "admin.conf": admin, "super-admin.conf": superAdmin },
    caCertificates,
    userData,
    userDataGzipped: program.userDataCompression === "document",
    manifests,
    bootstrapTokens,
    joinUserData,
    discoveryTokenCaCertHash,
    expiryReport,
    steps: emulator.steps,
    state: emulator.records,
  };
}
