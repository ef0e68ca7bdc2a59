import { CA_ROWS } from "../../components/catalog";
import { CertificateEntry } from "../inspect/inventory";
import { Check, InspectedNode, OPERATOR, Problem } from "./inspectedTree";
import { usabilityFaults } from "./bundles";
import { bundlesOf, distinctCas, issuerAmong } from "./trustBundles";
import { caCopies, trustedCa } from "./trustedCas";
import { readExtensions } from "../inspect/x509Extensions";

/**
 * Chains: every node holds the same copy of each CA; each CA is a CA (basicConstraints CA:TRUE,
 * keyCertSign, a subject key identifier); every leaf and kubeconfig client certificate is signed
 * by the CA its catalog row names: the signature verifies with the CA's key, its issuer is the
 * CA's subject and its authority key identifier is the CA's subject key identifier. During a staged
 * rotation a CA file holds two CAs: a leaf may be issued by any CA the tree's CA files hold (whether
 * every bundle, kubeconfigs' included, holds it is the bundle check's job).
 */
export const checkChains: Check = (tree) => {
  const problems: Problem[] = [];
  const labelOf = (node: InspectedNode, entry: CertificateEntry): string => node.files.get(entry.path)?.label ?? entry.path;
  const heldCas = new Map(CA_ROWS.map((row) => [row.id, distinctCas(bundlesOf(tree, row.id).filter((b) => !b.inKubeconfig))]));

  for (const ca of CA_ROWS) {
    const [common, ...others] = caCopies(tree, ca.id);
    for (const entry of others.flat()) {
      problems.push({
        node: entry.node ?? OPERATOR,
        file: entry.path,
        check: "chain",
        message: `${ca.id} differs from the ${ca.id} of ${common.map((e) => e.node).join(", ")} (SHA-256 fingerprints differ)`,
      });
    }
  }

  for (const node of tree.nodes) {
    for (const entry of node.certificates) {
      const file = labelOf(node, entry);
      const ext = readExtensions(entry.certificate);
      if (entry.kind === "ca") {
        const faults = usabilityFaults(entry.certificate);
        if (faults.length > 0) problems.push({ node: node.name, file, check: "chain", message: `${entry.name} is not a usable CA: ${faults.join("; ")}` });
        continue;
      }
      const ca = trustedCa(tree, node, entry.ca);
      if (ca === undefined) {
        problems.push({ node: node.name, file, check: "chain", message: `${entry.name} cannot be verified: no ${entry.ca} certificate anywhere in the tree` });
        continue;
      }
      const held = heldCas.get(entry.ca) ?? [];
      if (issuerAmong(entry, held) !== undefined) continue;
      const caCert = ca.entry.certificate;
      const caExt = readExtensions(caCert);
      const faults: string[] = [];
      if (!entry.certificate.verify(caCert.publicKey)) faults.push("its signature does not verify with the CA's key");
      if (entry.certificate.issuer !== caCert.subject) faults.push(`its issuer "${entry.certificate.issuer}" is not the CA's subject "${caCert.subject}"`);
      if (ext.authorityKeyId === undefined) {
        faults.push("it has no authority key identifier");
      } else if (caExt.subjectKeyId !== undefined && ext.authorityKeyId !== caExt.subjectKeyId) {
        faults.push(`its authority key identifier ${ext.authorityKeyId} is not the CA's subject key identifier ${caExt.subjectKeyId}`);
      }
      const others = held.length > 1 ? `; nor by any other of the ${held.length} ${entry.ca} certificates the tree's CA files hold` : "";
      problems.push({ node: node.name, file, check: "chain", message: `${entry.name} is not issued by ${entry.ca} (${ca.label}): ${faults.join("; ")}${others}` });
    }
  }
  return problems;
};
