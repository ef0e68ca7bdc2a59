import { isDeepStrictEqual } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { checkDynamic, isDynamicType, loadDynamicProvider, splitDynamicInputs } from "./dynamicResource";
import { requiresReplace } from "./tls/renewal";
import { TlsResourceType } from "./tls/tokens";
import { unwrapSecrets } from "./tls/secret";

/** One resource as a previous run left it: what the engine keeps in a stack's state. */
export interface PriorResource {
  readonly type: string;
  readonly name: string;
  readonly id: string | undefined;
  /** Inputs as registered (secrets wrapped). */
  readonly inputs: Record<string, unknown>;
  /** State as returned (secrets wrapped). */
  readonly state: Record<string, unknown>;
  /** The `replacementTrigger` it was registered with, if any. */
  readonly trigger?: unknown;
}

/** What an update does to one resource. */
export type StepKind = "create" | "replace" | "update" | "keep";

/** The decision for one resource and why. */
export interface Step {
  readonly kind: StepKind;
  /** For a replace: the properties (or `replacementTrigger`) that force it. */
  readonly reasons: readonly string[];
}

/** The engine's unknown-value sentinel, as the SDK serializes an unknown trigger. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * The engine's `replacementTrigger` rule (docs/pulumi-mechanics.md §3.2): unknown on either side replaces,
 * null (absent) on either side does not, otherwise a change replaces.
 */
export function triggerFires(previous: unknown, next: unknown): boolean {
  const unknown = (value: unknown): boolean => value === UNKNOWN || pulumi.containsUnknowns(value);
  if (unknown(previous) || unknown(next)) return true;
  if (previous === undefined || previous === null || next === undefined || next === null) return false;
  return !isDeepStrictEqual(unwrapSecrets(previous), unwrapSecrets(next));
}

/**
 * What `pulumi up` does to a tls (or random) resource that exists in the prior state: replace when
 * an input forces it (docs/tls-provider.md §10; any input of a random resource), the renewal window is
 * reached (§9) or the trigger fires; an in-place update when another input changed; otherwise keep it.
 */
export function tlsStep(prior: PriorResource, inputs: Record<string, unknown>, trigger: unknown, now: Date): Step {
  const plain = unwrapSecrets(inputs) as Record<string, unknown>;
  const changed = !isDeepStrictEqual(unwrapSecrets(prior.inputs), plain);
  // Every input of the random provider's resources forces a replacement.
  const reasons = prior.type.startsWith("tls:")
    ? requiresReplace(unwrapSecrets(prior.state) as Record<string, unknown>, plain, now, prior.type as TlsResourceType)
    : changed ? ["inputs"] : [];
  if (triggerFires(prior.trigger, trigger)) reasons.push("replacementTrigger");
  if (reasons.length > 0) return { kind: "replace", reasons };
  return { kind: changed ? "update" : "keep", reasons: [] };
}

/**
 * What `pulumi up` does to a dynamic resource that exists in the prior state: its provider's
 * `check` (with the recorded inputs, so an illegal step fails here), then `diff`, then a replace
 * (`create`), an `update`, or nothing. Returns the step and the new state.
 */
export async function dynamicStep(
  prior: PriorResource, raw: Readonly<Record<string, unknown>>, name: string,
): Promise<{ step: Step; state: Record<string, unknown>; id: string | undefined }> {
  const { providerText, inputs } = splitDynamicInputs(raw);
  const provider = loadDynamicProvider(providerText);
  const olds = splitDynamicInputs(prior.inputs).inputs;
  const news = await checkDynamic(provider, olds, inputs, name);
  const oldState = splitDynamicInputs(prior.state).inputs;
  const diff = provider.diff ? await provider.diff(prior.id ?? "", oldState, news) : { changes: !isDeepStrictEqual(olds, news), replaces: [] };
  const withProvider = (outs: unknown): Record<string, unknown> => ({ ...(outs as Record<string, unknown>), __provider: raw.__provider });
  if ((diff.replaces ?? []).length > 0) {
    const created = await provider.create(news);
    return { step: { kind: "replace", reasons: [...diff.replaces!] }, state: withProvider(created.outs), id: created.id };
  }
  if (diff.changes) {
    if (provider.update === undefined) throw new Error(`${name}: the provider changed it but has no update`);
    const updated = await provider.update(prior.id ?? "", oldState, news);
    return { step: { kind: "update", reasons: [] }, state: withProvider(updated.outs), id: prior.id };
  }
  return { step: { kind: "keep", reasons: [] }, state: prior.state, id: prior.id };
}

/** Whether a type is answered by {@link dynamicStep} rather than {@link tlsStep}. */
export const isDynamic = isDynamicType;
