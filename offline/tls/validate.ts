import * as pulumi from "@pulumi/pulumi";
import { ALLOWED_USES } from "./extensions";
import { notEmulated, PROVIDER_ECDSA_CURVES, PROVIDER_KEY_ALGORITHMS } from "./keys";
import { CERT_REQUEST, LOCALLY_SIGNED_CERT, PRIVATE_KEY, SELF_SIGNED_CERT } from "./tokens";

/** Plain (secret-unwrapped) inputs of one resource, keyed by Pulumi (camelCase) name. */
export type PlainInputs = Readonly<Record<string, unknown>>;

/** One schema rule of the provider, checked like the Plugin Framework validators. */
type Rule =
  | { kind: "required"; prop: string; path: string }
  | { kind: "oneOf"; prop: string; path: string; values: readonly string[]; each?: boolean }
  | { kind: "atLeast"; prop: string; path: string; min: number }
  | { kind: "nonEmptyStrings"; prop: string; path: string }
  | { kind: "exactlyOne"; props: readonly [string, string]; paths: readonly [string, string] };

const known = (v: unknown): boolean => v !== undefined && v !== null && !pulumi.isUnknown(v);
const quoteList = (values: readonly string[]): string => `[${values.map((v) => JSON.stringify(JSON.stringify(v))).join(" ")}]`;

/** The diagnostics (`<summary>: <detail>`) one rule yields for the inputs. */
function check(rule: Rule, inputs: PlainInputs): string[] {
  switch (rule.kind) {
    case "required":
      return inputs[rule.prop] === undefined
        ? [`Missing required argument: The argument "${rule.path}" is required, but no definition was found.`]
        : [];
    case "oneOf": {
      const v = inputs[rule.prop];
      const items: [string, unknown][] = !known(v) ? []
        : rule.each && Array.isArray(v) ? v.map((e, i) => [`${rule.path}[${i}]`, e]) : [[rule.path, v]];
      return items
        .filter(([, e]) => known(e) && !rule.values.includes(e as string))
        .map(([path, e]) => `Invalid Attribute Value Match: Attribute ${path} value must be one of: ` +
          `${quoteList(rule.values)}, got: ${JSON.stringify(e)}`);
    }
    case "atLeast": {
      const v = inputs[rule.prop];
      return known(v) && (v as number) < rule.min
        ? [`Invalid Attribute Value: Attribute ${rule.path} value must be at least ${rule.min}, got: ${v}`]
        : [];
    }
    case "nonEmptyStrings": {
      const v = inputs[rule.prop];
      return (known(v) && Array.isArray(v) ? v : []).flatMap((e, i) => (e === ""
        ? [`Invalid Attribute Value Length: Attribute ${rule.path}[${i}] string length must be at least 1, got: 0`]
        : []));
    }
    case "exactlyOne": {
      const set = rule.props.filter((p) => inputs[p] !== undefined && inputs[p] !== null);
      return set.length === 1 ? [] : [`Invalid Attribute Combination: Exactly one of these attributes must be ` +
        `configured: [${rule.paths.join(",")}]`];
    }
  }
}

const usesRule: Rule = { kind: "oneOf", prop: "allowedUses", path: "allowed_uses", values: ALLOWED_USES, each: true };
const hoursRules: Rule[] = [
  { kind: "atLeast", prop: "validityPeriodHours", path: "validity_period_hours", min: 0 },
  { kind: "atLeast", prop: "earlyRenewalHours", path: "early_renewal_hours", min: 0 },
  { kind: "atLeast", prop: "maxPathLength", path: "max_path_length", min: -1 },
];
const sanRules: Rule[] = [
  { kind: "nonEmptyStrings", prop: "ipAddresses", path: "ip_addresses" },
  { kind: "nonEmptyStrings", prop: "uris", path: "uris" },
];
const keyRules: Rule[] = [
  { kind: "exactlyOne", props: ["privateKeyPem", "privateKeyPemWo"], paths: ["private_key_pem", "private_key_pem_wo"] },
];

/** The 5.6 write-only key inputs (and their versions), which the emulator refuses: nothing in the catalog sets them. */
const WRITE_ONLY_INPUTS = ["privateKeyPemWo", "privateKeyPemWoVersion", "caPrivateKeyPemWo", "caPrivateKeyPemWoVersion"];

/** The Check-time rules of each resource type (5.6 schema). */
const RULES: Record<string, readonly Rule[]> = {
  [PRIVATE_KEY]: [
    { kind: "required", prop: "algorithm", path: "algorithm" },
    { kind: "oneOf", prop: "algorithm", path: "algorithm", values: PROVIDER_KEY_ALGORITHMS },
    { kind: "oneOf", prop: "ecdsaCurve", path: "ecdsa_curve", values: PROVIDER_ECDSA_CURVES },
  ],
  [CERT_REQUEST]: [...keyRules, ...sanRules],
  [SELF_SIGNED_CERT]: [
    { kind: "required", prop: "allowedUses", path: "allowed_uses" },
    { kind: "required", prop: "validityPeriodHours", path: "validity_period_hours" },
    ...keyRules, usesRule, ...hoursRules, ...sanRules,
  ],
  [LOCALLY_SIGNED_CERT]: [
    { kind: "required", prop: "allowedUses", path: "allowed_uses" },
    { kind: "required", prop: "caCertPem", path: "ca_cert_pem" },
    { kind: "required", prop: "certRequestPem", path: "cert_request_pem" },
    { kind: "required", prop: "validityPeriodHours", path: "validity_period_hours" },
    { kind: "exactlyOne", props: ["caPrivateKeyPem", "caPrivateKeyPemWo"], paths: ["ca_private_key_pem", "ca_private_key_pem_wo"] },
    usesRule, ...hoursRules,
  ],
};

/**
 * Runs the provider's Check-time validation for `type` and throws one Error listing every
 * diagnostic, one per line, each as `<summary>: <detail>` with Terraform attribute paths
 * (e.g. `Invalid Attribute Value Match: Attribute allowed_uses[0] value must be one of: […], got: "serverAuth"`).
 * Unknown values (preview) are not checked. A write-only input throws {@link notEmulated} first.
 */
export function validateInputs(type: string, inputs: PlainInputs): void {
  const writeOnly = WRITE_ONLY_INPUTS.find((prop) => inputs[prop] !== undefined);
  if (writeOnly !== undefined) {
    throw notEmulated(`${type} input ${writeOnly} (write-only)`);
  }
  const problems = (RULES[type] ?? []).flatMap((rule) => check(rule, inputs));
  if (problems.length > 0) {
    throw new Error(problems.join("\n"));
  }
}
