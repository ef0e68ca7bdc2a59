import { etcdDomain } from "./etcd";
import { frontProxyDomain } from "./frontProxy";
import { kubernetesDomain } from "./kubernetes";
import { CaSpec, CatalogRow } from "./types";

export * from "./types";
export * from "./usages";

/** Every CA, key pair, leaf and kubeconfig of the control plane; CAs come before what they sign. */
export const CATALOG: readonly CatalogRow[] = [...kubernetesDomain, ...etcdDomain, ...frontProxyDomain];

/** The CA rows of the catalog. */
export const CA_ROWS: readonly CaSpec[] = CATALOG.filter((row): row is CaSpec => row.kind === "ca");
