import * as pulumi from "@pulumi/pulumi";
import { expiryCells, ExpiryRow, formatColumns, formatExpiry } from "./expiryFormat";
import { IssuedPki } from "./issue";
import { HOUR_MS } from "./rotation/renewal";

export type { ExpiryRow } from "./expiryFormat";

/** How the report names the cluster operator, whose kubeconfigs belong to no node. */
export const OPERATOR = "(operator)";

/** One certificate of the stack's expiry report; `node` is empty for a CA. */
export interface ExpiryReportRow extends ExpiryRow {
  /** From when it is re-issued (a leaf) or every preview warns (a CA), RFC 3339. */
  readonly renewAt: string;
  /** Generation of the issuing CA. */
  readonly caGeneration: number;
  /** A leaf's re-issue generation `<all>.<kind>.<node>`; a CA's own generation. */
  readonly generation: string;
}

const minusHours = (rfc3339: string, hours: number): string => new Date(Date.parse(rfc3339) - hours * HOUR_MS).toISOString();

/** Every certificate's row: every existing CA generation, then every leaf and kubeconfig identity, in catalog order. */
export function expiryReport(pki: IssuedPki, caRenewBeforeHours: number): pulumi.Output<ExpiryReportRow[]> {
  const caRows = Object.values(pki.cas).flatMap((ca) =>
    ca.generations.map((g) =>
      g.validityEndTime.apply((notAfter): ExpiryReportRow => ({
        name: ca.spec.id, node: "", notAfter, renewAt: minusHours(notAfter, caRenewBeforeHours), ca: ca.spec.id,
        caGeneration: g.generation, generation: String(g.generation), authority: true,
      })),
    ),
  );
  const leafRows = pki.certs.map((cert) =>
    cert.validityEndTime.apply((notAfter): ExpiryReportRow => ({
      name: cert.spec.id, node: cert.node?.name ?? OPERATOR, notAfter, renewAt: minusHours(notAfter, cert.renewBeforeHours),
      ca: cert.spec.ca, caGeneration: cert.issuingGeneration, generation: cert.generation, authority: false,
    })),
  );
  return pulumi.all([...caRows, ...leafRows]);
}

/** `etcd-ca`, or `etcd-ca/g1` for a later generation. */
const caLabel = (row: ExpiryReportRow): string => (row.caGeneration === 0 ? row.ca : `${row.ca}/g${row.caGeneration}`);

/**
 * The report as `kubeadm certs check-expiration` lays it out, with the renewal time and generations:
 * certificates sorted by name then node, then certificate authorities.
 */
export function formatExpiryReport(rows: readonly ExpiryReportRow[], now: Date): string {
  const byNameThenNode = (a: ExpiryReportRow, b: ExpiryReportRow): number =>
    a.name.localeCompare(b.name) || a.node.localeCompare(b.node) || a.caGeneration - b.caGeneration;
  const leaves = rows.filter((row) => !row.authority).sort(byNameThenNode);
  const authorities = rows.filter((row) => row.authority).sort(byNameThenNode);
  return [
    formatColumns(
      ["CERTIFICATE", "NODE", "EXPIRES", "RESIDUAL TIME", "CERTIFICATE AUTHORITY", "RENEW AT", "GENERATION"],
      leaves.map((row) => [row.name, row.node, ...expiryCells(row, now), caLabel(row), formatExpiry(new Date(row.renewAt)), row.generation]),
    ),
    "",
    formatColumns(
      ["CERTIFICATE AUTHORITY", "EXPIRES", "RESIDUAL TIME", "WARN FROM", "GENERATION"],
      authorities.map((row) => [row.name, ...expiryCells(row, now), formatExpiry(new Date(row.renewAt)), row.generation]),
    ),
  ].join("\n");
}
