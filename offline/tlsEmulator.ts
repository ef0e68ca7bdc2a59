import * as pulumi from "@pulumi/pulumi";
import { createRandomBytesResource, createRandomStringResource, RANDOM_BYTES, RANDOM_PASSWORD, RANDOM_STRING } from "./random/randomResources";
import { dynamicStep, PriorResource, Step, tlsStep } from "./continuity";
import { createDynamicResource, isDynamicType } from "./dynamicResource";
import { resourceKey } from "./replacementTriggers";
import { createCertRequestResource } from "./tls/certRequest";
import { createLocallySignedCertResource } from "./tls/locallySignedCert";
import { createPrivateKeyResource } from "./tls/privateKey";
import { CreateContext, CreateResult } from "./tls/resourceState";
import { isWrappedSecret, unwrapSecrets } from "./tls/secret";
import { createSelfSignedCertResource } from "./tls/selfSignedCert";
import { CERT_REQUEST, LOCALLY_SIGNED_CERT, PRIVATE_KEY, SELF_SIGNED_CERT } from "./tls/tokens";

/** Options of {@link TlsEmulator}. */
export interface TlsEmulatorOptions {
  /**
   * Behave as in a create-preview: leave out of `state` what the real provider reports as unknown
   * (key material, `certPem`, `certRequestPem`, validity times, key algorithms, ids, an unset
   * `maxPathLength`). Default: `pulumi.runtime.isDryRun()`, i.e. the `preview` flag given to `setMocks`.
   */
  readonly preview?: boolean;
  /** The clock, read once per certificate. Default `() => new Date()`. */
  readonly now?: () => Date;
  /** Receives provider warnings (a non-CA issuer). Default `console.warn`. */
  readonly warn?: (message: string) => void;
  /**
   * The resources a previous run left (by `<type>::<name>`): each is then kept, updated or replaced
   * exactly as `pulumi up` would decide (see `continuity.ts`) instead of created afresh. Not with `preview`.
   */
  readonly prior?: ReadonlyMap<string, PriorResource>;
  /**
   * Keep every registration, inputs and state, in {@link TlsEmulator.resources} and
   * {@link TlsEmulator.records}. Default true; a large render without a state file turns it off,
   * since it holds every key and certificate until the process ends.
   */
  readonly record?: boolean;
}

/** How many resources of each type token were asked for and how many are answered. */
export interface RegistrationCounts {
  /** Registrations received, by type token. */
  readonly requested: Map<string, number>;
  /** Registrations answered (keys made, certificates signed), by type token. */
  readonly answered: Map<string, number>;
  /** Values of answered states that are secrets (private keys, and inputs echoed secret). */
  secretOutputs: number;
}

/** One resource the program registered, as plain values (secrets unwrapped, unknowns kept). */
export interface RegisteredResource {
  /** Type token, e.g. `tls:index/privateKey:PrivateKey`, or a component's type. */
  readonly type: string;
  readonly name: string;
  /** False for component resources. */
  readonly custom: boolean;
  /** The id returned (`undefined` in preview, `""` for components). */
  readonly id: string | undefined;
  readonly inputs: Record<string, unknown>;
  readonly state: Record<string, unknown>;
}

/** Creates one tls resource from its inputs (secrets wrapped as on the wire): its id and full state. */
export type TlsCreateHandler = (inputs: Record<string, unknown>, ctx: CreateContext) => CreateResult | Promise<CreateResult>;

/** The create handler of each of the four tls resource types, by type token. */
export const TLS_CREATE_HANDLERS: Readonly<Record<string, TlsCreateHandler>> = {
  [PRIVATE_KEY]: createPrivateKeyResource,
  [CERT_REQUEST]: createCertRequestResource,
  [SELF_SIGNED_CERT]: createSelfSignedCertResource,
  [LOCALLY_SIGNED_CERT]: createLocallySignedCertResource,
  [RANDOM_STRING]: createRandomStringResource(false),
  [RANDOM_PASSWORD]: createRandomStringResource(true),
  [RANDOM_BYTES]: createRandomBytesResource,
};

/** Providers answered with an echo of their inputs. */
const PROVIDERS: readonly string[] = ["pulumi:providers:tls", "pulumi:providers:random", "pulumi:providers:kubernetes"];

/** A Kubernetes object's id as the kubernetes provider reports it: `<namespace>/<name>`, or `<name>` when cluster-scoped. */
function kubernetesId(inputs: Record<string, unknown>, name: string): string {
  const metadata = (unwrapSecrets(inputs) as { metadata?: { name?: string; namespace?: string } }).metadata ?? {};
  const objectName = metadata.name ?? name;
  return metadata.namespace === undefined ? objectName : `${metadata.namespace}/${objectName}`;
}

/**
 * A `pulumi.runtime.Mocks` that answers the four `@pulumi/tls` resources
 * (`PrivateKey`, `CertRequest`, `SelfSignedCert`, `LocallySignedCert`) with real keys, CSRs
 * and certificates made in-process, `@pulumi/random`'s `RandomString`, `RandomPassword` and
 * `RandomBytes` with `node:crypto` randomness, and every `@pulumi/kubernetes` object with an echo
 * of its inputs (id `<namespace>/<name>`), as `docs/tls-provider.md` specifies: validation and
 * error texts, defaults and input echoes in state, PEM formats, ids, x509 details, secret
 * outputs wrapped as the engine wraps them, and create-preview unknowns. Keys are generated
 * asynchronously, so many resources are created in parallel.
 *
 * Components (`custom: false`) are answered with an echo of their inputs, explicit tls, random
 * and kubernetes providers likewise; this package's dynamic resources (`pulumi-nodejs:dynamic…`)
 * by running their provider's `check` and `create` (or, with a prior state, `check`, `diff` and
 * `update`), as the engine's dynamic-provider host would; every other type, every `call()`, and reads or
 * imports of tls resources (`args.id`) throw `Mock not implemented: <token>`.
 *
 * Left out: Go's inner parser messages after `failed to parse … given PEM preamble '<t>': `
 * (Node's text appears instead); Go's `url.String()` re-serialisation of URI SANs (the input is
 * encoded as written, and only the common `url.Parse` errors are reproduced); local-time-zone
 * offsets in validity times (always UTC, as with `TZ=UTC`) and nanosecond fractions (JavaScript
 * has milliseconds); diff/refresh/update (mocks never call them: see `tls/renewal.ts`).
 *
 * Answered only as far as the catalog can ask (`docs/tls-provider.md` §13.1): RSA keys and
 * ECDSA keys on P256/P384. ED25519 keys, the P224 (default) and P521 curves and the write-only
 * key inputs throw `Mock not implemented: <what>`. A PrivateKey's OpenSSH and SSH fingerprint
 * outputs are not returned: nothing in the component reads them, and their secrecy in a real
 * stack's state comes from the SDK's `additionalSecretOutputs`, not from the provider.
 * Implemented although optional: the id TrimSpace quirk.
 */
export class TlsEmulator implements pulumi.runtime.Mocks {
  /** Every resource registered so far, in order of completion. */
  readonly resources: RegisteredResource[] = [];
  /** `replacementTrigger` of every resource by `<type>::<name>`; fill it with `recordReplacementTriggers(emulator.triggers)`. */
  readonly triggers = new Map<string, unknown>();
  /** What this run did to each custom resource, by `<type>::<name>`. */
  readonly steps = new Map<string, Step>();
  /** Every registration that failed (as the engine would fail the update), in order. */
  readonly failures: Error[] = [];
  /** Every custom resource as the next run's `prior` needs it, by `<type>::<name>`. */
  readonly records = new Map<string, PriorResource>();
  /** Live counts of registrations, whether or not they are recorded: for progress and benchmarks. */
  readonly counts: RegistrationCounts = { requested: new Map(), answered: new Map(), secretOutputs: 0 };
  private readonly options: TlsEmulatorOptions;

  constructor(options: TlsEmulatorOptions = {}) {
    this.options = options;
  }

  /** Answers a resource registration; see the class comment. */
  async newResource(args: pulumi.runtime.MockResourceArgs): Promise<pulumi.runtime.MockResourceResult> {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    increment(this.counts.requested, args.type);
    let result: CreateResult;
    if (args.custom === false || PROVIDERS.includes(args.type)) {
      result = { id: args.custom === false ? "" : `${args.name}_id`, state: { ...inputs } };
    } else if (args.type.startsWith("kubernetes:") && !args.id) {
      result = { id: kubernetesId(inputs, args.name), state: { ...inputs } };
    } else {
      if (args.id || (!isDynamicType(args.type) && TLS_CREATE_HANDLERS[args.type] === undefined)) {
        throw new Error(`Mock not implemented: ${args.type}`);
      }
      try {
        result = await this.createOrUpdate(args, inputs);
      } catch (error) {
        this.failures.push(error as Error);
        throw error;
      }
    }
    increment(this.counts.answered, args.type);
    this.counts.secretOutputs += Object.values(result.state).filter(isWrappedSecret).length;
    if (this.recording) {
      this.resources.push({
        type: args.type, name: args.name, custom: args.custom !== false, id: result.id,
        inputs: unwrapSecrets(inputs) as Record<string, unknown>, state: unwrapSecrets(result.state) as Record<string, unknown>,
      });
    }
    return { id: result.id, state: result.state };
  }

  private get recording(): boolean {
    return this.options.record ?? true;
  }

  /** Creates a resource, or, with a prior state, keeps, updates or replaces it as the engine would. */
  private async createOrUpdate(args: pulumi.runtime.MockResourceArgs, inputs: Record<string, unknown>): Promise<CreateResult> {
    const key = resourceKey(args.type, args.name);
    const preview = this.options.preview ?? pulumi.runtime.isDryRun();
    const now = (this.options.now ?? (() => new Date()))();
    const create = (): Promise<CreateResult> | CreateResult =>
      isDynamicType(args.type)
        ? createDynamicResource(inputs, args.name, preview)
        : TLS_CREATE_HANDLERS[args.type](inputs, { preview, now, warn: this.options.warn ?? ((message) => console.warn(message)) });
    const prior = preview ? undefined : this.options.prior?.get(key);
    let result: CreateResult;
    if (prior === undefined) {
      this.steps.set(key, { kind: "create", reasons: [] });
      result = await create();
    } else if (isDynamicType(args.type)) {
      const { step, state, id } = await dynamicStep(prior, inputs, args.name);
      this.steps.set(key, step);
      result = { id, state };
    } else {
      const step = tlsStep(prior, inputs, this.triggers.get(key), now);
      this.steps.set(key, step);
      result = step.kind === "replace" ? await create() : { id: prior.id, state: step.kind === "update" ? { ...prior.state, ...inputs } : prior.state };
    }
    if (this.recording) this.records.set(key, { type: args.type, name: args.name, id: result.id, inputs, state: result.state, trigger: this.triggers.get(key) });
    return result;
  }

  /** No tls function (`getCertificate`, `getPublicKey`) or other invoke is emulated. */
  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    throw new Error(`Mock not implemented: ${args.token}`);
  }
}

function increment(counts: Map<string, number>, type: string): void {
  counts.set(type, (counts.get(type) ?? 0) + 1);
}
