import { CA_ROWS } from "../../components/catalog";
import { expiryCells, ExpiryRow, formatColumns } from "../../components/expiryFormat";
import { rowPath } from "../../components/placement";
import { CertificateEntry } from "../inspect/inventory";
import { CheckOptions, InspectedNode, InspectedTree, OPERATOR, Problem } from "./inspectedTree";
import { formatRotations, RotationInProgress, rotationsInProgress } from "./rotationState";

/** One certificate found on one node: an expiry row with the file that holds it. */
export interface CertificateRow extends ExpiryRow {
  /** File label: path on the node, or `admin/<name>`. */
  readonly file: string;
  /** True when the issuing CA's key is not on this node: kubeadm cannot renew the certificate there. */
  readonly externallyManaged: boolean;
}

/** The outcome of `npm run check`: what was found and what is wrong. Holds no key material. */
export interface CheckReport {
  readonly root: string;
  readonly checkedAt: string;
  readonly warnWithinHours: number;
  /** Leaf and kubeconfig certificates, by name then node. */
  readonly certificates: readonly CertificateRow[];
  /** CA certificates, by name then node. */
  readonly authorities: readonly CertificateRow[];
  /** Staged rotations the files show in progress, with the phase inferred. */
  readonly rotations: readonly RotationInProgress[];
  readonly problems: readonly Problem[];
}

/** The report of a checked tree. */
export function checkReport(tree: InspectedTree, problems: readonly Problem[], options: CheckOptions): CheckReport {
  const nodeOrder = new Map(tree.nodes.map((node, i) => [node.name, i]));
  const rows = tree.nodes
    .flatMap((node) => node.certificates.map((entry) => row(node, entry)))
    .sort((a, b) => a.name.localeCompare(b.name) || nodeOrder.get(a.node)! - nodeOrder.get(b.node)!);
  return {
    root: tree.root,
    checkedAt: options.now.toISOString(),
    warnWithinHours: options.warnWithinHours,
    certificates: rows.filter((r) => !r.authority),
    authorities: rows.filter((r) => r.authority),
    rotations: rotationsInProgress(tree),
    problems,
  };
}

function row(node: InspectedNode, entry: CertificateEntry): CertificateRow {
  const ca = CA_ROWS.find((r) => r.id === entry.ca)!;
  return {
    name: entry.name,
    node: node.name,
    notAfter: new Date(entry.certificate.validTo).toISOString(),
    ca: entry.ca,
    authority: entry.kind === "ca",
    file: node.files.get(entry.path)?.label ?? entry.path,
    externallyManaged: !node.files.has(rowPath(ca, "private-key")),
  };
}

const yesNo = (value: boolean): string => (value ? "yes" : "no");

/** The report as text: kubeadm's two tables with a NODE column, then one line per problem. */
export function formatCheckReport(report: CheckReport): string {
  const checkedAt = new Date(report.checkedAt);
  const certificates = formatColumns(
    ["CERTIFICATE", "NODE", "EXPIRES", "RESIDUAL TIME", "CERTIFICATE AUTHORITY", "EXTERNALLY MANAGED"],
    report.certificates.map((r) => [r.name, r.node, ...expiryCells(r, checkedAt), r.ca, yesNo(r.externallyManaged)]),
  );
  const authorities = formatColumns(
    ["CERTIFICATE AUTHORITY", "NODE", "EXPIRES", "RESIDUAL TIME", "EXTERNALLY MANAGED"],
    report.authorities.map((r) => [r.name, r.node, ...expiryCells(r, checkedAt), yesNo(r.externallyManaged)]),
  );
  const nodes = new Set([...report.certificates, ...report.authorities].map((r) => r.node).filter((n) => n !== OPERATOR)).size;
  const checked = `${report.certificates.length + report.authorities.length} certificates on ${nodes} node(s) of ${report.root}`;
  const summary =
    report.problems.length === 0
      ? [`no problems: ${checked}`]
      : [`${report.problems.length} problem(s) in ${checked}:`, ...report.problems.map((p) => `  ${p.node}: ${p.file}: ${p.message}`)];
  return [certificates, "", authorities, "", ...formatRotations(report.rotations), ...summary].join("\n");
}
