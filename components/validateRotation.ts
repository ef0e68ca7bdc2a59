import { parseGoDurationHours } from "./duration";
import { RotationArgs } from "./rotation/args";
import { RotationPlan } from "./rotation/plan";
import { AUTHORITY_IDS, AuthorityId, conflictProblems, ROTATION_PHASES, Stage, stageOf } from "./rotation/stages";
import { TrustDomain } from "./types";

/** What the rotation inputs are checked against. */
export interface RotationContext {
  /** Every node name of the cluster. */
  readonly nodeNames: readonly string[];
  /** Catalog ids of every leaf and kubeconfig row. */
  readonly certificateIds: readonly string[];
  /** The trust domains. */
  readonly trustDomains: readonly TrustDomain[];
  /** `certificateRenewBefore` in hours (the default of every domain). */
  readonly renewBeforeHours: number;
  /** `certificateValidityPeriod` in hours. */
  readonly validityHours: number;
}

/** The checked rotation inputs: one message per problem (field, value, what is allowed), and the plan when there is none. */
export interface RotationValidation {
  readonly problems: string[];
  readonly plan: RotationPlan;
}

const quote = (value: unknown): string => JSON.stringify(value);
const isGeneration = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Unknown keys of an object field. */
function unknownKeys(field: string, value: Record<string, unknown>, allowed: readonly string[]): string[] {
  return Object.keys(value)
    .filter((key) => !allowed.includes(key))
    .map((key) => `${field}.${key}: is not a field; use one of ${allowed.join(", ")}`);
}

/** A map of generation numbers keyed by names from `allowed`. */
function generations(field: string, value: unknown, allowed: readonly string[], what: string, problems: string[]): Record<string, number> {
  if (value === undefined) return {};
  if (!isRecord(value)) {
    problems.push(`${field}: ${quote(value)} must be an object of generation numbers by ${what}`);
    return {};
  }
  for (const [key, generation] of Object.entries(value)) {
    if (!allowed.includes(key)) problems.push(`${field}: ${quote(key)} is not a ${what}; use one of ${allowed.join(", ")}`);
    if (!isGeneration(generation)) problems.push(`${field}.${key}: ${quote(generation)} is not a generation; use an integer from 0 up`);
  }
  return value as Record<string, number>;
}

/** One authority's stage. */
function stage(field: string, value: unknown, problems: string[]): Stage {
  if (value === undefined) return stageOf(undefined);
  if (!isRecord(value)) {
    problems.push(`${field}: ${quote(value)} must be { generation, phase? }`);
    return stageOf(undefined);
  }
  problems.push(...unknownKeys(field, value, ["generation", "phase"]));
  const { generation, phase } = value;
  if (generation !== undefined && !isGeneration(generation)) {
    problems.push(`${field}.generation: ${quote(generation)} is not a generation; use an integer from 0 up`);
  }
  if (phase !== undefined && !(ROTATION_PHASES as readonly unknown[]).includes(phase)) {
    problems.push(`${field}.phase: ${quote(phase)} is not a phase; use one of ${ROTATION_PHASES.join(", ")}`);
  } else if (phase !== undefined && phase !== "finish" && (generation ?? 0) === 0) {
    problems.push(`${field}.phase: ${quote(phase)} needs generation 1 or more (the generation being rotated to); generation 0 is the first`);
  }
  return stageOf(value as { generation?: number; phase?: Stage["phase"] });
}

/**
 * Checks `rotation` and `trustDomainCertificateRenewBefore`: generation numbers are integers from 0,
 * re-issue keys name real certificate kinds and nodes, phases exist, a rotation names the generation
 * it goes to, rotations in progress share one phase, and every renewal window is shorter than the
 * validity. Transitions between updates are checked by the engine (see `rotationStage.ts`).
 */
export function validateRotation(
  rotation: RotationArgs | undefined,
  renewBefore: Partial<Record<TrustDomain, string>> | undefined,
  context: RotationContext,
): RotationValidation {
  const problems: string[] = [];
  const input: Record<string, unknown> = rotation === undefined ? {} : isRecord(rotation) ? rotation : {};
  if (rotation !== undefined && !isRecord(rotation)) problems.push(`rotation: ${quote(rotation)} must be an object`);
  problems.push(...unknownKeys("rotation", input, ["reissue", ...AUTHORITY_IDS]));

  const reissue = input.reissue === undefined ? {} : input.reissue;
  if (!isRecord(reissue)) problems.push(`rotation.reissue: ${quote(reissue)} must be { all?, certificates?, nodes? }`);
  const reissueInput = isRecord(reissue) ? reissue : {};
  problems.push(...unknownKeys("rotation.reissue", reissueInput, ["all", "certificates", "nodes"]));
  const all = reissueInput.all ?? 0;
  if (!isGeneration(all)) problems.push(`rotation.reissue.all: ${quote(all)} is not a generation; use an integer from 0 up`);
  const certificates = generations("rotation.reissue.certificates", reissueInput.certificates, context.certificateIds, "certificate kind", problems);
  const nodes = generations("rotation.reissue.nodes", reissueInput.nodes, context.nodeNames, "node name", problems);

  const before = problems.length;
  const stages = Object.fromEntries(AUTHORITY_IDS.map((id) => [id, stage(`rotation.${id}`, input[id], problems)])) as Record<AuthorityId, Stage>;
  if (problems.length === before) problems.push(...conflictProblems(stages, "rotation"));

  const renewBeforeHours = Object.fromEntries(context.trustDomains.map((domain) => [domain, context.renewBeforeHours])) as Record<TrustDomain, number>;
  for (const [domain, text] of Object.entries(renewBefore ?? {})) {
    const field = `trustDomainCertificateRenewBefore.${domain}`;
    if (!(context.trustDomains as readonly string[]).includes(domain)) {
      problems.push(`trustDomainCertificateRenewBefore: ${quote(domain)} is not a trust domain; use one of ${context.trustDomains.join(", ")}`);
      continue;
    }
    const hours = typeof text === "string" ? parseGoDurationHours(text) : undefined;
    if (hours === undefined || !Number.isInteger(hours)) {
      problems.push(`${field}: ${quote(text)} is not a Go duration in whole hours, e.g. "720h"`);
    } else if (hours >= context.validityHours) {
      problems.push(`${field}: ${quote(text)} must be shorter than certificateValidityPeriod (${context.validityHours}h), or every update would re-issue the certificates`);
    } else {
      renewBeforeHours[domain as TrustDomain] = hours;
    }
  }

  return {
    problems,
    plan: { reissueAll: all as number, reissueCertificates: certificates, reissueNodes: nodes, stages, renewBeforeHours },
  };
}
