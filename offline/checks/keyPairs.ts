import { createPrivateKey, createPublicKey, KeyObject } from "node:crypto";
import { partnerPath } from "../../components/placement";
import { catalogFile } from "../inspect/catalogFiles";
import { Check, InspectedFile, InspectedNode, Problem } from "./inspectedTree";
import { parseKubeconfig } from "../inspect/kubeconfigDocument";
import { messageOf } from "./readTree";
import { pemBlocks } from "../../components/pem";

const spki = (key: KeyObject): Buffer => key.export({ type: "spki", format: "der" });

/**
 * Key pairs: every private key reads as RSA or ECDSA (what kubeadm loads) and is the private half
 * of its certificate (`x.key` ↔ `x.crt`), of `sa.pub`, or, in a kubeconfig, of the client certificate.
 * During a staged rotation `sa.pub` and a CA file hold two: the key is the private half of one of them.
 */
export const checkKeyPairs: Check = (tree) => {
  const problems: Problem[] = [];
  for (const node of tree.nodes) {
    const report = (file: InspectedFile, message: string): void => {
      problems.push({ node: node.name, file: file.label, check: "key-pair", message });
    };
    for (const file of node.files.values()) {
      const spec = catalogFile(file.path);
      if (spec === undefined) continue;
      if (spec.role === "kubeconfig") {
        checkKubeconfigKey(node, file, report);
        continue;
      }
      if (spec.role === "public-key") {
        if (publicKeysOf(node, file).length === 0) report(file, "is not a readable PEM public key");
        continue;
      }
      if (spec.role !== "private-key") continue;
      const key = readPrivateKey(file, report);
      const partner = partnerPath(spec)!;
      const partnerFile = node.files.get(partner);
      // A missing half is reported by the completeness check.
      if (key === undefined || partnerFile === undefined) continue;
      const publicHalves = publicKeysOf(node, partnerFile);
      const own = spki(createPublicKey(key));
      if (publicHalves.length > 0 && !publicHalves.some((half) => own.equals(spki(half)))) {
        const what = spec.row.kind === "key-pair" ? "public key" : "certificate's public key";
        report(
          file,
          publicHalves.length === 1
            ? `does not match ${partner}: the ${what} is not this key's public half`
            : `does not match ${partner}: none of its ${publicHalves.length} ${what}s is this key's public half (a rotation's bundle holds the signing one)`,
        );
      }
    }
  }
  return problems;
};

function readPrivateKey(file: InspectedFile, report: (file: InspectedFile, message: string) => void): KeyObject | undefined {
  let key: KeyObject;
  try {
    key = createPrivateKey(file.content);
  } catch (error) {
    report(file, `is not a readable private key: ${messageOf(error)}`);
    return undefined;
  }
  if (key.asymmetricKeyType !== "rsa" && key.asymmetricKeyType !== "ec") {
    report(file, `is a ${key.asymmetricKeyType} key; kubeadm reads only RSA and ECDSA keys`);
    return undefined;
  }
  return key;
}

/**
 * The public keys of a certificate or public-key file: one, or during a staged rotation every CA of
 * a bundle (`ca.crt`) and every key of `sa.pub`; empty when none reads.
 */
function publicKeysOf(node: InspectedNode, file: InspectedFile): KeyObject[] {
  const entry = node.certificates.find((e) => e.path === file.path);
  const blocks = pemBlocks(file.content);
  if (entry !== undefined && blocks.length <= 1) return [entry.certificate.publicKey];
  return blocks.flatMap((block) => {
    try {
      return [createPublicKey(block)];
    } catch {
      return [];
    }
  });
}

function checkKubeconfigKey(node: InspectedNode, file: InspectedFile, report: (file: InspectedFile, message: string) => void): void {
  const entry = node.certificates.find((e) => e.path === file.path);
  if (entry === undefined) return; // no readable client certificate: reported when the tree was read
  let keyPem: string | undefined;
  try {
    keyPem = parseKubeconfig(file.content).clientKeyPem;
  } catch {
    return;
  }
  if (keyPem === undefined) {
    report(file, "embeds no client key (client-key-data) for its current context's user");
    return;
  }
  const key = readPrivateKey({ ...file, content: keyPem }, (f, message) => report(f, `client-key-data ${message}`));
  if (key !== undefined && !spki(createPublicKey(key)).equals(spki(entry.certificate.publicKey))) {
    report(file, "client-key-data does not match client-certificate-data: the certificate's public key is not this key's public half");
  }
}
