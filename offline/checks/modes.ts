import { FileRole } from "../../components/placement";
import { catalogFile } from "../inspect/catalogFiles";
import { Check, Problem } from "./inspectedTree";

/** Most permissive mode each kind of file may have, as kubeadm writes them. */
const MAX_MODE: Readonly<Record<FileRole, number>> = {
  "private-key": 0o600,
  kubeconfig: 0o600,
  certificate: 0o644,
  "public-key": 0o644,
};

const octal = (mode: number): string => mode.toString(8).padStart(4, "0");

/** File modes: keys and kubeconfigs 0600 or stricter, certificates and public keys 0644 or stricter. */
export const checkModes: Check = (tree) => {
  const problems: Problem[] = [];
  for (const node of tree.nodes) {
    for (const file of node.files.values()) {
      const role = catalogFile(file.path)?.role;
      if (role === undefined) continue;
      const max = MAX_MODE[role];
      if ((file.mode & ~max) !== 0) {
        problems.push({
          node: node.name,
          file: file.label,
          check: "mode",
          message: `mode ${octal(file.mode)} is too open for a ${role.replace("-", " ")}; it must be ${octal(max)} or stricter`,
        });
      }
    }
  }
  return problems;
};
