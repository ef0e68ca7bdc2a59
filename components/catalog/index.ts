import { etcdDomain } from "./etcd";
import { frontProxyDomain } from "./frontProxy";
import { kubernetesDomain } from "./kubernetes";
import { TrustDomain } from "../types";
import { CaSpec, CatalogRow } from "./types";

export * from "./types";
export * from "./usages";

/** Every CA, key pair, leaf and kubeconfig of the control plane; CAs come before what they sign. */
export const CATALOG: readonly CatalogRow[] = [...kubernetesDomain, ...etcdDomain, ...frontProxyDomain];

/** The CA rows of the catalog. */
export const CA_ROWS: readonly CaSpec[] = CATALOG.filter((row): row is CaSpec => row.kind === "ca");

/** The trust domain of a row, whose key algorithm and renewal window it uses: its own for a CA or key pair, its CA's otherwise. */
export function trustDomainOf(row: CatalogRow): TrustDomain {
  if (row.kind === "ca" || row.kind === "key-pair") return row.domain;
  const ca = CA_ROWS.find((c) => c.id === row.ca);
  if (ca === undefined) throw new Error(`${row.id} names an unknown CA ${row.ca}`);
  return ca.domain;
}
