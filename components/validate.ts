import { buildPlan } from "./buildPlan";
import { ClusterPlan } from "./plan";
import { KubernetesPkiArgs } from "./types";
import { deliveryPlanProblems } from "./validation/delivery";
import { objectAt } from "./validation/fields";
import { SECTIONS } from "./validation/sections";

/** Thrown when {@link KubernetesPkiArgs} are invalid; lists every problem, one per line. */
export class KubernetesPkiInputError extends Error {
  /** One message per problem, each naming the field, the value and what is allowed. */
  public readonly problems: readonly string[];

  constructor(component: string, problems: readonly string[]) {
    super(
      `KubernetesPki "${component}" has ${problems.length} invalid input(s):\n` +
        problems.map((problem) => `  - ${problem}`).join("\n"),
    );
    this.name = "KubernetesPkiInputError";
    this.problems = problems;
  }
}

/** Every top-level field of {@link KubernetesPkiArgs}: those the sections own. */
const KNOWN_FIELDS: readonly string[] = SECTIONS.flatMap((section) => section.fields);

/**
 * Every problem of the arguments, section by section (unknown top-level fields first). Never
 * throws, whatever `args` holds.
 */
export function argsProblems(args: unknown): string[] {
  const problems: string[] = [];
  const record = objectAt("", args ?? {}, KNOWN_FIELDS, problems);
  if (record === undefined) return problems;
  return [...problems, ...SECTIONS.flatMap((section) => section.problems(record))];
}

/**
 * Checks every input and returns the defaulted plan, or throws one {@link KubernetesPkiInputError}
 * listing every problem: first all problems of the arguments as written, then (once they are
 * valid) those only the plan shows, such as size limits. Nothing is created before this returns.
 */
export function validate(component: string, args: KubernetesPkiArgs): ClusterPlan {
  const problems = argsProblems(args);
  if (problems.length > 0) throw new KubernetesPkiInputError(component, problems);
  const plan = buildPlan(args);
  const planProblems = deliveryPlanProblems(plan, args.userData, args.bundles);
  if (planProblems.length > 0) throw new KubernetesPkiInputError(component, planProblems);
  return plan;
}
