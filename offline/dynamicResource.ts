import Module from "node:module";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { CreateResult } from "./tls/resourceState";
import { unwrapSecrets } from "./tls/secret";

/** Type tokens of `pulumi.dynamic.Resource`: `pulumi-nodejs:dynamic:Resource`, or `pulumi-nodejs:dynamic/<module>:<type>`. */
export const isDynamicType = (type: string): boolean => type === "pulumi-nodejs:dynamic:Resource" || type.startsWith("pulumi-nodejs:dynamic/");

/** The serialized provider input every dynamic resource carries. */
const PROVIDER_KEY = "__provider";

/** Providers already rebuilt, by their serialized text. */
const providersByText = new Map<string, pulumi.dynamic.ResourceProvider>();

/**
 * Rebuilds a dynamic provider from its serialized text, as the CLI's dynamic-provider host does
 * (`requireFromString(text).handler()`): modules it requires resolve from the working directory.
 * Like the host (`docs/pulumi-mechanics.md` §2.2), it rebuilds each distinct text once and answers every later resource carrying the
 * same text with that provider (one compile per provider, not one per resource).
 */
export function loadDynamicProvider(text: string): pulumi.dynamic.ResourceProvider {
  const known = providersByText.get(text);
  if (known !== undefined) return known;
  const provider = compileDynamicProvider(text);
  providersByText.set(text, provider);
  return provider;
}

function compileDynamicProvider(text: string): pulumi.dynamic.ResourceProvider {
  const host = new Module(join(process.cwd(), "dynamic-provider.js"));
  host.filename = join(process.cwd(), "dynamic-provider.js");
  host.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(process.cwd());
  (host as unknown as { _compile(code: string, filename: string): void })._compile(text, host.filename);
  return (host.exports as { handler: () => pulumi.dynamic.ResourceProvider }).handler();
}

/** The provider text and the other inputs of a dynamic resource, secrets unwrapped. */
export function splitDynamicInputs(raw: Readonly<Record<string, unknown>>): { providerText: string; inputs: Record<string, unknown> } {
  const plain = unwrapSecrets(raw) as Record<string, unknown>;
  const { [PROVIDER_KEY]: providerText, ...inputs } = plain;
  if (typeof providerText !== "string") throw new Error(`a dynamic resource has no ${PROVIDER_KEY} text`);
  return { providerText, inputs };
}

/** Runs the provider's `check` (when it has one) and fails as the engine does when it reports failures. */
export async function checkDynamic(
  provider: pulumi.dynamic.ResourceProvider, olds: Record<string, unknown>, news: Record<string, unknown>, name: string,
): Promise<Record<string, unknown>> {
  if (provider.check === undefined) return news;
  const result = await provider.check(olds, news);
  const failures = result.failures ?? [];
  if (failures.length > 0) {
    throw new Error(`${name}: ${failures.map((failure) => `${failure.property}: ${failure.reason}`).join("; ")}`);
  }
  return (result.inputs as Record<string, unknown> | undefined) ?? news;
}

/**
 * Creates a dynamic resource the way the engine does: `check`, then `create`, whose outputs and
 * id become the state (with `__provider` added back). In a preview nothing runs past `check`: the
 * state is the inputs, so the provider's computed outputs stay unknown, as in a real preview.
 */
export async function createDynamicResource(
  raw: Readonly<Record<string, unknown>>, name: string, preview: boolean,
): Promise<CreateResult> {
  const { providerText, inputs } = splitDynamicInputs(raw);
  const provider = loadDynamicProvider(providerText);
  const checked = await checkDynamic(provider, {}, inputs, name);
  if (preview) return { id: undefined, state: { ...raw } };
  const created = await provider.create(checked);
  return { id: created.id, state: { ...(created.outs as Record<string, unknown>), [PROVIDER_KEY]: raw[PROVIDER_KEY] } };
}
