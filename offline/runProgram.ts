import * as pulumi from "@pulumi/pulumi";
import { BootstrapToken, ExpiryReportRow, ManifestFile, NodeFiles } from "../components";
import { adminConf, superAdminConf } from "../components/catalog/kubernetes";
import { rotationNow } from "../components/rotation/clock";
import { recordReplacementTriggers } from "./replacementTriggers";
import { StackConfig } from "./stackConfig";
import { TlsEmulator, TlsEmulatorOptions } from "./tlsEmulator";
import { withoutDebugging } from "./withoutDebugging";

/** What the stack program exports, with every Output resolved. */
export interface RenderedStack {
  readonly stack: string;
  /** Every node's files, by node name and absolute path. */
  readonly files: Record<string, NodeFiles>;
  /** The operator's kubeconfigs by their catalog path (`/etc/kubernetes/admin.conf`, `/etc/kubernetes/super-admin.conf`). */
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
  /** `sha256:<hex>` of each cluster CA's public key, issuing first. */
  readonly discoveryTokenCaCertHashes: readonly string[];
  /** The component's expiry report. */
  readonly expiryReport: ExpiryReportRow[];
}

const PROGRAM = "../index";

function resolve<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply(done));
}

/**
 * The emulator a stack program runs under: the renewal clock (`components/rotation/clock.ts`), and
 * no record of resources unless asked (a state file needs one; it holds every key).
 */
export function stackEmulator(options: TlsEmulatorOptions = {}): TlsEmulator {
  return new TlsEmulator({ now: rotationNow, record: false, ...options });
}

/**
 * Runs the root stack program (`index.ts`) with a stack's config under the tls emulator: the same
 * program `pulumi up` runs, with real certificates made in-process instead of by the provider.
 * Pass an emulator to continue from a prior state, to watch its counts while it runs, or to read
 * every resource it made afterwards (e.g. the CA keys, which the program does not export, or what a
 * run did to each resource). Registrations that failed (an illegal rotation step) fail the run, as
 * they fail `pulumi up`.
 */
export async function runProgram(stackConfig: StackConfig, emulator = stackEmulator()): Promise<RenderedStack> {
  pulumi.runtime.setAllConfig(stackConfig.config);
  await pulumi.runtime.setMocks(emulator, "kubernetes-pki", stackConfig.stack, false);
  recordReplacementTriggers(emulator.triggers);
  // A fresh copy of the program per run, so one process can render several stacks.
  delete require.cache[require.resolve(PROGRAM)];
  const { program, outputs, bootstrap } = await withoutDebugging(async () => {
    const loaded = (await import(PROGRAM)) as typeof import("../index");
    return {
      program: loaded,
      outputs: await resolve(
        pulumi.all([loaded.files, loaded.adminKubeconfig, loaded.superAdminKubeconfig, loaded.caCertificates, loaded.userData, loaded.expiryReport]),
      ),
      bootstrap: await resolve(
        pulumi.all([loaded.bootstrapManifestFiles, loaded.bootstrapTokens, loaded.joinUserData, loaded.discoveryTokenCaCertHashes]),
      ),
    };
  });
  if (emulator.failures.length > 0) throw emulator.failures[0];
  const [files, adminKubeconfig, superAdminKubeconfig, caCertificates, userData, expiryReport] = outputs;
  const [bootstrapManifestFiles, bootstrapTokens, joinUserData, discoveryTokenCaCertHashes] = bootstrap;
  return renderedStack(stackConfig.stack, {
    files, adminKubeconfig, superAdminKubeconfig, caCertificates, userData, userDataCompression: program.userDataCompression,
    bootstrapManifestFiles, bootstrapTokens, joinUserData, discoveryTokenCaCertHashes, expiryReport,
  });
}

/** The stack program's outputs a rendered tree is made of, resolved (by the emulator, or read from a deployed stack). */
export interface StackOutputValues {
  readonly files: Record<string, NodeFiles>;
  readonly adminKubeconfig: string;
  readonly superAdminKubeconfig: string;
  readonly caCertificates: Record<string, string>;
  readonly userData: Record<string, string>;
  readonly userDataCompression: string;
  readonly bootstrapManifestFiles: readonly ManifestFile[];
  readonly bootstrapTokens: Record<string, BootstrapToken>;
  readonly joinUserData: Record<string, string>;
  readonly discoveryTokenCaCertHashes: readonly string[];
  readonly expiryReport: ExpiryReportRow[];
}

/** A {@link RenderedStack} from the stack program's resolved outputs. */
export function renderedStack(stack: string, outputs: StackOutputValues): RenderedStack {
  return {
    stack,
    files: outputs.files,
    operatorKubeconfigs: { [adminConf.path]: outputs.adminKubeconfig, [superAdminConf.path]: outputs.superAdminKubeconfig },
    caCertificates: outputs.caCertificates,
    userData: outputs.userData,
    userDataGzipped: outputs.userDataCompression === "document",
    manifests: outputs.bootstrapManifestFiles,
    bootstrapTokens: outputs.bootstrapTokens,
    joinUserData: outputs.joinUserData,
    discoveryTokenCaCertHashes: outputs.discoveryTokenCaCertHashes,
    expiryReport: outputs.expiryReport,
  };
}
