import * as pulumi from "@pulumi/pulumi";
import { KubernetesPki, KubernetesPkiArgs, NodeFiles } from "../../components";
import { CLOCK_ENV } from "../../components/rotation/clock";
import { PriorResource, Step } from "../../offline/continuity";
import { recordReplacementTriggers } from "../../offline/replacementTriggers";
import { TlsEmulator } from "../../offline/tlsEmulator";
import { unwrap } from "./unwrap";

/** One `pulumi up` of the component under the emulator, continuing from the previous run's state. */
export interface Run {
  readonly emulator: TlsEmulator;
  /** Node name → path → file. */
  readonly files: Record<string, NodeFiles>;
  /** The trust bundles by CA id. */
  readonly caCertificates: Record<string, string>;
  /** `sa.pub` (every trusted key) and `sa.key`. */
  readonly serviceAccount: { publicKeyPem: string; privateKeyPem: string };
  readonly admin: string;
  /** What the run did to each custom resource, by `<type>::<name>`. */
  readonly steps: ReadonlyMap<string, Step>;
  /** The state for the next run. */
  readonly state: ReadonlyMap<string, PriorResource>;
  /** Warnings the component logged. */
  readonly warnings: readonly string[];
}

/**
 * Runs the component as `pulumi up` would at `now` (the renewal clock), from `prior` (a previous
 * run's `state`) or from scratch. Resources that exist are kept, updated or replaced as the engine decides.
 */
export async function up(args: KubernetesPkiArgs, prior?: ReadonlyMap<string, PriorResource>, now?: Date): Promise<Run> {
  const saved = process.env[CLOCK_ENV];
  if (now !== undefined) process.env[CLOCK_ENV] = now.toISOString();
  const warnings: string[] = [];
  const warn = pulumi.log.warn;
  (pulumi.log as { warn: typeof pulumi.log.warn }).warn = async (message: string) => void warnings.push(message);
  try {
    const emulator = new TlsEmulator({ prior, now: now && (() => now), warn: () => undefined });
    await pulumi.runtime.setMocks(emulator, "kubernetes-pki", "test", false);
    recordReplacementTriggers(emulator.triggers);
    const pki = new KubernetesPki("prod", args);
    const [files, caCertificates, publicKeyPem, privateKeyPem, admin] = await unwrap(
      pulumi.all([pki.files, pki.caCertificates, pki.serviceAccount.publicKeyPem, pki.serviceAccount.privateKeyPem, pki.kubeconfigs.admin]),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (emulator.failures.length > 0) throw emulator.failures[0];
    return {
      emulator, files, caCertificates: caCertificates as Record<string, string>, serviceAccount: { publicKeyPem, privateKeyPem }, admin,
      steps: emulator.steps, state: emulator.records, warnings,
    };
  } finally {
    (pulumi.log as { warn: typeof pulumi.log.warn }).warn = warn;
    if (saved === undefined) delete process.env[CLOCK_ENV];
    else process.env[CLOCK_ENV] = saved;
  }
}

/** Names of the resources of a type (short: `PrivateKey`, `LocallySignedCert`, `RenewalCheck`…) that a run gave a step kind. */
export function named(run: Run, type: string, kind: Step["kind"]): string[] {
  return [...run.steps]
    .filter(([key, step]) => key.split("::")[0].endsWith(`:${type}`) && step.kind === kind)
    .map(([key]) => key.split("::")[1])
    .sort();
}
