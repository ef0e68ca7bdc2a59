import { X509Certificate } from "node:crypto";
import { clusterCa } from "../../components/catalog/kubernetes";
import { firstPemBlock } from "../../components/kubeconfig";
import { catalogFile } from "../inspect/catalogFiles";
import { Check, Problem } from "./inspectedTree";
import { KubeconfigDocument, parseKubeconfig } from "../inspect/kubeconfigDocument";
import { trustedCa } from "./trustedCas";
import { oneLineName } from "../inspect/x509Extensions";

/**
 * Kubeconfigs, as kubeadm's `validateKubeConfig`: the current context, its cluster and its user
 * exist; the cluster has a server; `certificate-authority-data` equals (whitespace trimmed) the first
 * certificate of the node's `ca.crt` (the operator's: the `ca.crt` most nodes hold). That the client
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
      } else if (ca !== undefined && firstPemBlock(doc.caPem).trim() !== firstPemBlock(ca.entry.certificate.toString()).trim()) {
        report(`certificate-authority-data is not the CA in ${ca.label}: it holds ${describeCa(doc.caPem)}`);
      }
    }
  }
  return problems;
};

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

