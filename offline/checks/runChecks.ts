import { checkBundles } from "./bundles";
import { checkChains } from "./chain";
import { checkCompleteness } from "./completeness";
import { checkIdentities } from "./identity";
import { Check, CheckOptions, InspectedTree, Problem } from "./inspectedTree";
import { checkKeyPairs } from "./keyPairs";
import { checkKubeconfigs } from "./kubeconfigs";
import { checkModes } from "./modes";
import { checkSans } from "./sans";
import { checkSigningCerts } from "./signingCerts";
import { messageOf } from "./readTree";
import { checkValidity } from "./validity";

/** Every check, in the order their problems are listed for one file. */
export const CHECKS: readonly Check[] = [
  checkCompleteness,
  checkChains,
  checkBundles,
  checkSigningCerts,
  checkKeyPairs,
  checkIdentities,
  checkSans,
  checkKubeconfigs,
  checkModes,
  checkValidity,
];

/** Runs every check, in {@link CHECKS} order. */
export function runChecks(tree: InspectedTree, options: CheckOptions): Problem[] {
  return CHECKS.flatMap((check) => {
    try {
      return check(tree, options);
    } catch (error) {
      // A file no check anticipated must not hide what the other checks find.
      return [{ node: "-", file: tree.root, check: "read" as const, message: `${check.name} could not finish: ${messageOf(error)}` }];
    }
  });
}

/** Problems by node (in the tree's order, the operator last), then file; the order of one file's problems is kept. */
export function sortProblems(tree: InspectedTree, problems: readonly Problem[]): Problem[] {
  const nodeOrder = new Map(tree.nodes.map((node, i) => [node.name, i]));
  return problems
    .map((problem, i) => ({ problem, i }))
    .sort((a, b) => (nodeOrder.get(a.problem.node) ?? 0) - (nodeOrder.get(b.problem.node) ?? 0) || a.problem.file.localeCompare(b.problem.file) || a.i - b.i)
    .map(({ problem }) => problem);
}
