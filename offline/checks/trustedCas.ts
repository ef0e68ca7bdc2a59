import { CaId } from "../../components/catalog";
import { CertificateEntry } from "../inspect/inventory";
import { InspectedNode, InspectedTree } from "./inspectedTree";

/** A CA certificate to verify against, and how a problem names it. */
export interface TrustedCa {
  readonly entry: CertificateEntry;
  /** `/etc/kubernetes/pki/ca.crt`, or `/etc/kubernetes/pki/ca.crt of cp-1, cp-2` when borrowed from other nodes. */
  readonly label: string;
}

/** Every copy of one CA certificate in the tree, grouped by fingerprint, the most common first. */
export function caCopies(tree: InspectedTree, ca: CaId): CertificateEntry[][] {
  const groups = new Map<string, CertificateEntry[]>();
  for (const node of tree.nodes) {
    for (const entry of node.certificates) {
      if (entry.kind !== "ca" || entry.name !== ca) continue;
      const key = entry.certificate.fingerprint256;
      groups.set(key, [...(groups.get(key) ?? []), entry]);
    }
  }
  return [...groups.values()].sort((a, b) => b.length - a.length);
}

/**
 * The CA certificate a node's certificates must chain to: the node's own copy, else (the operator,
 * or a node that lacks it) the copy most nodes of the tree hold.
 */
export function trustedCa(tree: InspectedTree, node: InspectedNode, ca: CaId): TrustedCa | undefined {
  const own = node.certificates.find((e) => e.kind === "ca" && e.name === ca);
  if (own !== undefined) return { entry: own, label: own.path };
  const common = caCopies(tree, ca)[0];
  if (common === undefined) return undefined;
  return { entry: common[0], label: `${common[0].path} of ${common.map((e) => e.node).join(", ")}` };
}
