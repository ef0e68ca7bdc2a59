import * as assert from "node:assert/strict";
import { CATALOG } from "../../../components";
import { CERT_REQUEST, LOCALLY_SIGNED_CERT, PRIVATE_KEY, SELF_SIGNED_CERT } from "../../../offline/tls/tokens";
import { Step } from "./engineStack";

/** Type tokens of the tls resources. */
export const TLS = {
  privateKey: PRIVATE_KEY,
  certRequest: CERT_REQUEST,
  selfSignedCert: SELF_SIGNED_CERT,
  locallySignedCert: LOCALLY_SIGNED_CERT,
} as const;

/** Type tokens of the product's dynamic resources (served by the dynamic-provider plugin). */
export const DYNAMIC = {
  renewalCheck: "pulumi-nodejs:dynamic/kubernetes-pki:RenewalCheck",
  rotationStage: "pulumi-nodejs:dynamic/kubernetes-pki:RotationStage",
} as const;

/** `<type> <name>` of a step, as assertions print it. */
export const label = (s: Pick<Step, "type" | "name">): string => `${s.type.split(":").pop()} ${s.name}`;

/**
 * The engine updates the default dynamic-provider plugin's provider with every config change
 * (dynamic providers receive the stack's config); that update changes no resource.
 */
export const isDynamicProviderConfigUpdate = (s: Step): boolean => s.op === "update" && s.type === "pulumi:providers:pulumi-nodejs";

/** Every step that is not `same` (nor the dynamic provider's config update), as `<op> <type> <name>`, sorted. */
export function changes(steps: readonly Step[]): string[] {
  return steps.filter((s) => s.op !== "same" && !isDynamicProviderConfigUpdate(s)).map((s) => `${s.op} ${label(s)}`).sort();
}

/** The steps with one op, as `<type> <name>`, sorted. */
export function withOp(steps: readonly Step[], op: string): string[] {
  return steps.filter((s) => s.op === op).map(label).sort();
}

/** The catalog asset a resource name (`<stack>-<asset>` or `<stack>-<asset>-<node>`) belongs to, if any. */
export function assetOf(name: string, stack: string, nodes: readonly string[]): { asset: string; node?: string } | undefined {
  for (const row of CATALOG) {
    if (name === `${stack}-${row.id}`) return { asset: row.id };
    const node = nodes.find((n) => name === `${stack}-${row.id}-${n}`);
    if (node !== undefined) return { asset: row.id, node };
  }
  return undefined;
}

/** The names (`<type> <name>`, sorted) of the resources an operation replaces; asserts that nothing else changes. */
export function onlyReplacements(steps: readonly Step[]): string[] {
  const replaced = steps.filter((s) => s.op === "replace").map(label).sort();
  const expected = replaced.flatMap((l) => [`create-replacement ${l}`, `delete-replaced ${l}`, `replace ${l}`]).sort();
  assert.deepEqual(changes(steps), expected, "nothing but the replacements changes");
  return replaced;
}

/** The distinct resources (`<type> <name>`, sorted) of the steps of one type. */
export function resourcesOfType(steps: readonly Step[], type: string): string[] {
  return [...new Set(steps.filter((s) => s.type === type).map(label))].sort();
}
