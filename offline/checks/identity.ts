import { CATALOG, extendedUsagesOf, LEAF_KEY_USAGES, subjectFor } from "../../components/catalog";
import { EXTENDED_USAGE_NAMES, EXTENDED_USAGE_OIDS } from "../../components/catalog/usages";
import { Check, Problem } from "./inspectedTree";
import { KeyUsageName, nameAttribute, readExtensions } from "../inspect/x509Extensions";

/** The tls provider's key usage names in x509 spelling. */
const KEY_USAGE_NAMES: Readonly<Record<(typeof LEAF_KEY_USAGES)[number], KeyUsageName>> = {
  digital_signature: "digitalSignature",
  key_encipherment: "keyEncipherment",
};

const ROWS = new Map(CATALOG.map((row) => [row.id, row]));

/**
 * Identities: every leaf and kubeconfig client certificate has its catalog row's subject (CN and O,
 * per node where the row says so), exactly the row's extended key usages, the leaf key usages
 * (digitalSignature, and keyEncipherment for RSA keys; ECDSA may omit it, as newer kubeadm does),
 * no CA usages, and basicConstraints CA:FALSE. A CA's CN is its row's.
 */
export const checkIdentities: Check = (tree) => {
  const problems: Problem[] = [];
  for (const node of tree.nodes) {
    for (const entry of node.certificates) {
      const row = ROWS.get(entry.name)!;
      const cert = entry.certificate;
      const faults: string[] = [];
      const cns = nameAttribute(cert.subject, "CN");
      const orgs = nameAttribute(cert.subject, "O");
      if (row.kind === "ca") {
        if (cns.join() !== row.commonName) faults.push(`subject CN "${cns.join()}" is not "${row.commonName}"`);
      } else if (row.kind === "leaf" || row.kind === "kubeconfig") {
        const subject = subjectFor(row.subject, entry.node === undefined ? undefined : { name: entry.node, roles: new Set(), certSANs: [] });
        if (cns.join() !== subject.commonName) faults.push(`subject CN "${cns.join()}" is not "${subject.commonName}"`);
        const wantOrgs = subject.organization === undefined ? [] : [subject.organization];
        if (orgs.join() !== wantOrgs.join()) {
          faults.push(wantOrgs.length === 0 ? `subject O "${orgs.join()}" should be absent` : `subject O "${orgs.join()}" is not "${wantOrgs.join()}"`);
        }
        const usages = extendedUsagesOf(row);
        const ekus = cert.keyUsage ?? [];
        for (const usage of usages) if (!ekus.includes(EXTENDED_USAGE_OIDS[usage])) faults.push(`extended key usage ${EXTENDED_USAGE_NAMES[usage]} is missing`);
        const known = new Map(Object.entries(EXTENDED_USAGE_NAMES).map(([usage, name]) => [EXTENDED_USAGE_OIDS[usage as keyof typeof EXTENDED_USAGE_OIDS], name]));
        const extra = ekus.filter((oid) => !usages.some((usage) => EXTENDED_USAGE_OIDS[usage] === oid));
        if (extra.length > 0) faults.push(`extended key usage ${extra.map((oid) => known.get(oid) ?? oid).join(", ")} is not one of ${row.id}'s`);
        const keyUsages = readExtensions(cert).keyUsages;
        if (keyUsages === undefined) {
          faults.push("it has no key usage extension");
        } else {
          const optional: KeyUsageName[] = cert.publicKey.asymmetricKeyType === "rsa" ? [] : ["keyEncipherment"];
          const want = LEAF_KEY_USAGES.map((usage) => KEY_USAGE_NAMES[usage]);
          const missing = want.filter((usage) => !keyUsages.includes(usage) && !optional.includes(usage));
          const unexpected = keyUsages.filter((usage) => !want.includes(usage));
          if (missing.length > 0) faults.push(`key usage ${missing.join(", ")} is missing`);
          if (unexpected.length > 0) faults.push(`key usage ${unexpected.join(", ")} is not for a leaf certificate`);
        }
        if (cert.ca) faults.push("basicConstraints says CA:TRUE; a leaf must not be a CA");
      }
      if (faults.length > 0) {
        problems.push({ node: node.name, file: node.files.get(entry.path)?.label ?? entry.path, check: "identity", message: `${entry.name}: ${faults.join("; ")}` });
      }
    }
  }
  return problems;
};
