import { X509Certificate } from "node:crypto";
import { CA_ROWS } from "../../components/catalog";
import { Check, OPERATOR, Problem } from "./inspectedTree";
import { bundlesOf, describeCaCertificate, distinctCas, issuerAmong } from "./trustBundles";
import { readExtensions } from "../inspect/x509Extensions";

/** At most this many leaves are named in one message; the rest are counted. */
const NAMED_LEAVES = 3;

/**
 * Trust bundles, as a staged rotation needs them at every step: every bundle a consumer holds
 * (`ca.crt`, `etcd/ca.crt`, `front-proxy-ca.crt` and each kubeconfig's `certificate-authority-data`)
 * holds the CA of every leaf of its domain still in use in the tree, so no consumer rejects a
 * certificate it is shown; and every CA of a bundle is a usable CA. (A leaf whose CA no bundle holds
 * at all is the chain check's problem, and CA data that holds none of the domain's CAs the kubeconfig
 * check's.)
 */
export const checkBundles: Check = (tree) => {
  const problems: Problem[] = [];
  for (const row of CA_ROWS) {
    const bundles = bundlesOf(tree, row.id);
    const held = distinctCas(bundles.filter((b) => !b.inKubeconfig));
    const known = new Set(held.map((ca) => ca.fingerprint256));
    const leaves = tree.nodes.flatMap((node) => node.certificates.filter((e) => e.kind !== "ca" && e.ca === row.id));
    const signers = new Map<string, { ca: X509Certificate; leaves: string[] }>();
    for (const leaf of leaves) {
      const ca = issuerAmong(leaf, held);
      if (ca === undefined) continue;
      const signer = signers.get(ca.fingerprint256) ?? { ca, leaves: [] };
      signer.leaves.push(`${leaf.name} of ${leaf.node ?? OPERATOR}`);
      signers.set(ca.fingerprint256, signer);
    }
    for (const bundle of bundles) {
      // CA data holding none of the domain's CAs is another CA's: the kubeconfig check names it.
      if (bundle.inKubeconfig && !bundle.certificates.some((cert) => known.has(cert.fingerprint256))) continue;
      const what = bundle.inKubeconfig ? "certificate-authority-data" : `its ${row.id} bundle`;
      for (const { ca, leaves: signed } of signers.values()) {
        if (bundle.certificates.some((cert) => cert.fingerprint256 === ca.fingerprint256)) continue;
        const named = signed.slice(0, NAMED_LEAVES).join(", ") + (signed.length > NAMED_LEAVES ? ` and ${signed.length - NAMED_LEAVES} more` : "");
        problems.push({
          node: bundle.node,
          file: bundle.file,
          check: "bundle",
          message: `${what} lacks the ${row.id} certificate ${describeCaCertificate(ca)} that signed ${signed.length} leaf certificate(s) in use (${named}): whoever trusts this file rejects them`,
        });
      }
      bundle.certificates.forEach((cert, i) => {
        if (i === 0) return; // the first is the chain check's (as kubeadm reads it)
        const faults = usabilityFaults(cert);
        if (faults.length > 0) problems.push({ node: bundle.node, file: bundle.file, check: "bundle", message: `certificate ${i + 1} of ${what} is not a usable CA: ${faults.join("; ")}` });
      });
    }
  }
  return problems;
};

/** What keeps a certificate from being a CA that issues leaves; empty when nothing does. */
export function usabilityFaults(cert: X509Certificate): string[] {
  const ext = readExtensions(cert);
  return [
    ...(cert.ca ? [] : ["basicConstraints CA:TRUE is missing"]),
    ...(ext.keyUsages?.includes("keyCertSign") ? [] : ["key usage keyCertSign is missing"]),
    ...(ext.subjectKeyId !== undefined ? [] : ["it has no subject key identifier for its leaves to name"]),
  ];
}
