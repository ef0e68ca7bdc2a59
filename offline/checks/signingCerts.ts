import { createPrivateKey, createPublicKey, KeyObject } from "node:crypto";
import { Check, Problem } from "./inspectedTree";
import { pemBlocks } from "../../components/pem";
import { SIGNING_CERT_FILES } from "./trustBundles";

const spki = (key: KeyObject): Buffer => key.export({ type: "spki", format: "der" });

/**
 * The issuing CA alone (`ca-signing.crt`), which kube-controller-manager's
 * `--cluster-signing-cert-file` needs while `ca.crt` is a bundle (kubeadm-spec §7.4): where a node
 * holds the CA key and a bundle of several CAs, the file exists; it holds exactly one certificate;
 * that certificate is the public half of the key beside it (`ca.key`, what the controller manager
 * signs with); and it is one of the bundle's CAs, so what it signs verifies.
 */
export const checkSigningCerts: Check = (tree) => {
  const problems: Problem[] = [];
  for (const node of tree.nodes) {
    for (const { path, keyPath, bundlePath } of SIGNING_CERT_FILES) {
      const [signing, key, bundle] = [path, keyPath, bundlePath].map((p) => node.files.get(p));
      const report = (file: string, message: string): void => void problems.push({ node: node.name, file, check: "bundle", message });
      const bundleBlocks = bundle === undefined ? [] : pemBlocks(bundle.content);
      if (signing === undefined) {
        if (key !== undefined && bundleBlocks.length > 1) {
          report(bundle!.label, `holds ${bundleBlocks.length} CAs, but ${path}, the issuing CA alone for kube-controller-manager's --cluster-signing-cert-file (which takes one certificate), is missing`);
        }
        continue;
      }
      const blocks = pemBlocks(signing.content);
      if (blocks.length !== 1) {
        report(signing.label, `holds ${blocks.length} certificates; kube-controller-manager's --cluster-signing-cert-file takes exactly one, the issuing CA`);
        continue;
      }
      let publicKey: KeyObject;
      try {
        publicKey = createPublicKey(blocks[0]);
      } catch {
        report(signing.label, "is not a readable PEM certificate");
        continue;
      }
      if (key !== undefined && !keyMatches(key.content, publicKey)) {
        report(signing.label, `is not the certificate of ${keyPath}, the key kube-controller-manager signs with: the certificates it issues would not name their signer`);
      }
      if (bundle !== undefined && !bundleBlocks.some((block) => block.replace(/\s+/g, "") === blocks[0].replace(/\s+/g, ""))) {
        report(signing.label, `is not among the ${bundleBlocks.length} CA(s) of ${bundle.label}: nothing that trusts ${bundle.label} verifies what kube-controller-manager signs`);
      }
    }
  }
  return problems;
};

/** Whether a private key PEM is the private half of a public key; false when it does not read (the key-pair check reports that). */
function keyMatches(privateKeyPem: string, publicKey: KeyObject): boolean {
  try {
    return spki(createPublicKey(createPrivateKey(privateKeyPem))).equals(spki(publicKey));
  } catch {
    return true;
  }
}
