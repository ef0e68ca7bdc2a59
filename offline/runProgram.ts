import * as pulumi from "@pulumi/pulumi";
import { BootstrapToken, ManifestFile, NodeFiles } from "../components";
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
}

const PROGRAM = "../index";

function resolve<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply(done));
}

/**
 * Runs the root stack program (`index.ts`) with a stack's config under the tls emulator: the same
 * program `pulumi up` runs, with real certificates made in-process instead of by the provider.
 * A caller that passes its own `emulator` can read every resource it made afterwards (e.g. the CA
 * keys, which the program does not export).
 */
export async function runProgram(stackConfig: StackConfig, emulator: TlsEmulator = new TlsEmulator()): Promise<RenderedStack> {
  pulumi.runtime.setAllConfig(stackConfig.config);
  await pulumi.runtime.setMocks(emulator, "kubernetes-pki", stackConfig.stack, false);
  // A fresh copy of the program per run, so one process can render several stacks.
  delete require.cache[require.resolve(PROGRAM)];
  const program = (await import(PROGRAM)) as typeof import("../index");
  const [files, admin, superAdmin, caCertificates, userData] = await resolve(
    pulumi.all([program.files, program.adminKubeconfig, program.superAdminKubeconfig, program.caCertificates, program.userData]),
  );
  const [manifests, bootstrapTokens, joinUserData, discoveryTokenCaCertHash] = await resolve(
    pulumi.all([program.bootstrapManifestFiles, program.bootstrapTokens, program.joinUserData, program.discoveryTokenCaCertHash]),
  );
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
  };
}
