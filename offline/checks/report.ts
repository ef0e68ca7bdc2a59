import { CA_ROWS } from "../../components/catalog";
import { formatColumns, formatExpiry, humanDuration } from "../../components/expiryFormat";
import { rowPath } from "../../components/placement";
import { CertificateEntry } from "../inventory";
import { CheckOptions, InspectedNode, InspectedTree, OPERATOR, Problem } from "./inspectedTree";

/** One certificate of one node, as `kubeadm certs check-expiration` lists it. */
export interface CertificateRow {
  /** Catalog row id (`apiserver`, `admin.conf`, `etcd-ca`, …). */
  readonly name: string;
  readonly node: string;
  /** File label: path on the node, or `admin/<name>`. */
  readonly file: string;
  /** NotAfter, ISO 8601. */
  readonly expires: string;
  /** Time left, as kubeadm prints it (`364d`, `9y`, `<invalid>` once expired). */
  readonly residualTime: string;
  /** Issuing CA id; for a CA, itself. */
  readonly certificateAuthority: string;
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
  readonly problems: readonly Problem[];
}

/** The report of a checked tree. */
export function checkReport(tree: InspectedTree, problems: readonly Problem[], options: CheckOptions): CheckReport {
  const nodeOrder = new Map(tree.nodes.map((node, i) => [node.name, i]));
  const rows = tree.nodes
    .flatMap((node) => node.certificates.map((entry) => ({ entry, row: row(node, entry, options.now) })))
    .sort((a, b) => a.row.name.localeCompare(b.row.name) || nodeOrder.get(a.row.node)! - nodeOrder.get(b.row.node)!);
  return {
    root: tree.root,
    checkedAt: options.now.toISOString(),
    warnWithinHours: options.warnWithinHours,
    certificates: rows.filter((r) => r.entry.kind !== "ca").map((r) => r.row),
    authorities: rows.filter((r) => r.entry.kind === "ca").map((r) => r.row),
    problems,
  };
}

function row(node: InspectedNode, entry: CertificateEntry, now: Date): CertificateRow {
  const notAfter = new Date(entry.certificate.validTo);
  const ca = CA_ROWS.find((r) => r.id === entry.ca)!;
  return {
    name: entry.name,
    node: node.name,
    file: node.files.get(entry.path)?.label ?? entry.path,
    expires: notAfter.toISOString(),
    residualTime: humanDuration(notAfter.getTime() - now.getTime()),
    certificateAuthority: entry.ca,
    externallyManaged: !node.files.has(rowPath(ca, "private-key")),
  };
}

const yesNo = (value: boolean): string => (value ? "yes" : "no");

/** The report as text: kubeadm's two tables with a NODE column, then one line per problem. */
export function formatCheckReport(report: CheckReport): string {
  const expires = (iso: string): string => formatExpiry(new Date(iso));
  const certificates = formatColumns(
    ["CERTIFICATE", "NODE", "EXPIRES", "RESIDUAL TIME", "CERTIFICATE AUTHORITY", "EXTERNALLY MANAGED"],
    report.certificates.map((r) => [r.name, r.node, expires(r.expires), r.residualTime, r.certificateAuthority, yesNo(r.externallyManaged)]),
  );
  const authorities = formatColumns(
    ["CERTIFICATE AUTHORITY", "NODE", "EXPIRES", "RESIDUAL TIME", "EXTERNALLY MANAGED"],
    report.authorities.map((r) => [r.name, r.node, expires(r.expires), r.residualTime, yesNo(r.externallyManaged)]),
  );
  const nodes = new Set([...report.certificates, ...report.authorities].map((r) => r.node).filter((n) => n !== OPERATOR)).size;
  const checked = `${report.certificates.length + report.authorities.length} certificates on ${nodes} node(s) of ${report.root}`;
  const summary =
    report.problems.length === 0
      ? [`no problems: ${checked}`]
      : [`${report.problems.length} problem(s) in ${checked}:`, ...report.problems.map((p) => `  ${p.node}: ${p.file}: ${p.message}`)];
  return [certificates, "", authorities, "", ...summary].join("\n");
}
