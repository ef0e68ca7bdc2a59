import * as assert from "node:assert/strict";
import { KubernetesPkiArgs } from "../../components";
import { KubernetesPkiInputError, validate } from "../../components/validate";

/** Asserts that validating `args` throws one KubernetesPkiInputError with a problem matching `message`. */
export function expectProblem(args: KubernetesPkiArgs, message: RegExp): void {
  assert.throws(
    () => validate("prod", args),
    (error: unknown) => {
      assert.ok(error instanceof KubernetesPkiInputError, `expected KubernetesPkiInputError, got ${String(error)}`);
      assert.ok(
        error.problems.some((p) => message.test(p)),
        `no problem matches ${message}:\n${error.message}`,
      );
      assert.match(error.message, /^KubernetesPki "prod" has \d+ invalid input\(s\):\n {2}- /);
      return true;
    },
  );
}

/** Arguments as a config file may hold them: any shape, unchecked by the compiler. */
export const unchecked = (value: unknown): KubernetesPkiArgs => value as KubernetesPkiArgs;
