import { X509Certificate } from "node:crypto";
import { clusterCa } from "../../components/catalog/kubernetes";
import { firstPemBlock } from "../../components/pem";
import { catalogFile } from "../inspect/catalogFiles";
import { Check, InspectedTree, OPERATOR, Problem } from "./inspectedTree";
import { KubeconfigDocument, parseKubeconfig } from "../inspect/kubeconfigDocument";
import { pemBlocks } from "../../components/pem";
import { TrustedCa, trustedCa } from "./trustedCas";
import { oneLineName } from "../inspect/x509Extensions";

/**
 * Kubeconfigs, as kubeadm's `validateKubeConfig`: the current context, its cluster and its user
 * exist; the cluster has a server; `certificate-authority-data` equals (whitespace trimmed) the
 * node's `ca.crt` (the operator's: the `ca.crt` most nodes hold), or, while either is a rotation's
 * bundle, holds the same CAs in any order. That the client
 * certificate is issued by `ca` and matches its key is checked with the other chains and key pairs.
 */
export const checkKubeconfigs: Check = (tree) => {
  const problems: Problem[] = [];
  for (const node of tree.nodes) {
    const ca = trustedCa(tree, node, clusterCa.id);
    for (const file of node.files.values()) {
      if (catalogFile(file.path)?.role !== "kubeconfig") continue;
      const report = (message: string): void => {
        problems.push({ node: node.name, file: file.label, check: "kubeconfig", message });
      };
      let doc: KubeconfigDocument;
      try {
        doc = parseKubeconfig(file.content);
      } catch {
        continue; // not YAML: reported when the tree was read
      }
      for (const fault of structureFaults(doc)) report(fault);
      if (doc.caPem === undefined) {
        if (doc.cluster !== undefined) report(`cluster ${shown(doc.cluster)} has no certificate-authority-data`);
      } else if (ca !== undefined) {
        const [held, expected] = [fingerprints(doc.caPem), fingerprints(caFileOf(tree, ca))];
        if (expected.length <= 1 && held.length <= 1) {
          if (firstPemBlock(doc.caPem).trim() !== firstPemBlock(ca.entry.certificate.toString()).trim()) {
            report(`certificate-authority-data is not the CA in ${ca.label}: it holds ${describeCa(doc.caPem)}`);
          }
        } else if (held.length !== expected.length || !expected.every((f) => held.includes(f))) {
          report(`certificate-authority-data holds ${held.length} CA(s), not the ${expected.length} of ${ca.label}: a staged rotation spreads the new CA to both before any leaf is signed by it`);
        }
      }
    }
  }
  return problems;
};

/** The content of the CA file a trusted CA was read from (a bundle during a rotation). */
function caFileOf(tree: InspectedTree, ca: TrustedCa): string {
  const holder = tree.nodes.find((node) => node.name === (ca.entry.node ?? OPERATOR));
  return holder?.files.get(ca.entry.path)?.content ?? ca.entry.certificate.toString();
}

/** SHA-256 fingerprints of the readable certificates of a bundle, in order. */
function fingerprints(pem: string): string[] {
  return pemBlocks(pem).flatMap((block) => {
    try {
      return [new X509Certificate(block).fingerprint256];
    } catch {
      return [];
    }
  });
}

function structureFaults(doc: KubeconfigDocument): string[] {
  if (doc.currentContext === undefined) return ["has no current-context"];
  const faults: string[] = [];
  if (doc.cluster === undefined) faults.push(`current-context ${shown(doc.currentContext)} names no cluster of the file`);
  else if (doc.server === undefined) faults.push(`cluster ${shown(doc.cluster)} has no server`);
  if (doc.user === undefined) faults.push(`current-context ${shown(doc.currentContext)} names no user of the file`);
  return faults;
}

/**
 * A name read from a kubeconfig, quoted when it looks like one (`system:node:cp-1@kubernetes`);
 * otherwise only its length: a hostile file could put key material in any field.
 */
function shown(name: string): string {
  return /^[A-Za-z0-9@:._-]{1,63}$/.test(name) ? JSON.stringify(name) : `(a name of ${name.length} characters)`;
}

/** Which certificate a PEM holds, by subject and fingerprint; never its content. */
function describeCa(pem: string): string {
  try {
    const cert = new X509Certificate(pem);
    return `"${oneLineName(cert.subject)}" (SHA-256 ${cert.fingerprint256.slice(0, 23)}…)`;
  } catch {
    return "no readable certificate";
  }
}

