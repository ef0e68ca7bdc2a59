import { CATALOG } from "../catalog";
import { DEFAULTS } from "../defaults";
import { parseGoDurationHours } from "../duration";
import { RotationArgs } from "../rotation/args";
import { TRUST_DOMAINS } from "../trustDomains";
import { TrustDomain } from "../types";
import { RotationContext, validateRotation } from "../validateRotation";
import { isRecord } from "./fields";
import { Section } from "./section";

/**
 * What the rotation inputs are checked against, read from the raw arguments: the names of every
 * node that has one, the catalog's certificate ids, and the leaf validity and renewal window
 * (their own section reports them when they are malformed; kubeadm's defaults stand in here).
 */
export function rotationContext(args: Readonly<Record<string, unknown>>): RotationContext {
  const names = (list: unknown): string[] =>
    Array.isArray(list) ? list.flatMap((node) => (isRecord(node) && typeof node.name === "string" ? [node.name] : [])) : [];
  const etcd = isRecord(args.etcd) ? args.etcd : {};
  const hours = (value: unknown, fallback: string): number =>
    (typeof value === "string" ? parseGoDurationHours(value) : undefined) ?? parseGoDurationHours(fallback)!;
  return {
    nodeNames: [...names(args.controlPlane), ...names(etcd.members), ...names(args.workers)],
    certificateIds: CATALOG.filter((row) => row.kind === "leaf" || row.kind === "kubeconfig").map((row) => row.id),
    trustDomains: TRUST_DOMAINS,
    renewBeforeHours: hours(args.certificateRenewBefore, DEFAULTS.certificateRenewBefore),
    validityHours: hours(args.certificateValidityPeriod, DEFAULTS.certificateValidityPeriod),
  };
}

/** `rotation` (re-issue generations, staged CA and service-account rotation) and the per-domain renewal windows. */
export const rotationSection: Section = {
  fields: ["rotation", "trustDomainCertificateRenewBefore"],
  problems: (args) =>
    validateRotation(
      args.rotation as RotationArgs | undefined,
      args.trustDomainCertificateRenewBefore as Partial<Record<TrustDomain, string>> | undefined,
      rotationContext(args),
    ).problems,
};
