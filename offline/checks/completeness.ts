import { CATALOG } from "../../components/catalog";
import { RowFile } from "../../components/placement";
import { NodeRole } from "../../components/plan";
import { operatorTreePath } from "../tree";
import { CATALOG_FILES } from "../inspect/catalogFiles";
import { Check, InspectedNode, OPERATOR, Problem } from "./inspectedTree";

/** The roles whose nodes get a file, per its catalog row. A CA's key is never required: without it the CA is external, as kubeadm reads it. */
function rolesOf(file: RowFile): readonly NodeRole[] {
  return file.row.kind === "ca" && file.role === "private-key" ? [] : file.holders;
}

/** Roles a node shows: those of every leaf, kubeconfig and key pair it holds (a CA certificate alone shows none for sure). */
function rolesShown(node: InspectedNode): Set<NodeRole> {
  const roles = new Set<NodeRole>();
  for (const file of CATALOG_FILES) {
    if (file.row.kind !== "ca" && node.files.has(file.path)) for (const role of rolesOf(file)) roles.add(role);
  }
  return roles;
}

/**
 * Completeness, as kubeadm's `!MISSING!`: a node that holds any file of a role (control-plane, etcd,
 * kubelet) holds every file the catalog gives that role, both halves of every pair included; CA keys
 * excepted. The operator's directory holds every operator kubeconfig.
 */
export const checkCompleteness: Check = (tree) => {
  const problems: Problem[] = [];
  for (const node of tree.nodes) {
    if (node.name === OPERATOR) {
      for (const row of CATALOG) {
        if (row.kind === "kubeconfig" && row.operator === true && !node.files.has(row.path)) {
          const file = operatorTreePath(row);
          problems.push({ node: node.name, file, check: "missing", message: `${row.id} kubeconfig is missing; the operator gets one` });
        }
      }
      continue;
    }
    const roles = rolesShown(node);
    for (const file of CATALOG_FILES) {
      const role = rolesOf(file).find((r) => roles.has(r));
      if (role !== undefined && !node.files.has(file.path)) {
        const what = `${file.row.id} ${file.role.replace("-", " ")}`;
        problems.push({ node: node.name, file: file.path, check: "missing", message: `${what} is missing; every ${role} node needs it` });
      }
    }
  }
  return problems;
};
