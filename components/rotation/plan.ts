import { TrustDomain } from "../types";
import { AuthorityId, Stage } from "./stages";

/** The validated rotation inputs, defaulted. */
export interface RotationPlan {
  /** Generation of every leaf. */
  readonly reissueAll: number;
  /** Generation per certificate kind (catalog id); absent kinds are 0. */
  readonly reissueCertificates: Readonly<Record<string, number>>;
  /** Generation per node name; absent nodes are 0. */
  readonly reissueNodes: Readonly<Record<string, number>>;
  /** Stage of every authority. */
  readonly stages: Readonly<Record<AuthorityId, Stage>>;
  /** Hours before expiry a leaf is re-issued, per trust domain. */
  readonly renewBeforeHours: Readonly<Record<TrustDomain, number>>;
}

/**
 * The re-issue generation of one certificate: `<all>.<kind>.<node>`, e.g. `0.1.0` after the first
 * re-issue of its kind. The operator's copies (no node) have node generation 0.
 */
export function leafGeneration(plan: RotationPlan, certificateId: string, node?: string): string {
  const nodeGeneration = node === undefined ? 0 : plan.reissueNodes[node] ?? 0;
  return `${plan.reissueAll}.${plan.reissueCertificates[certificateId] ?? 0}.${nodeGeneration}`;
}
