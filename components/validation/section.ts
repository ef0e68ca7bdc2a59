import { KubernetesPkiArgs } from "../types";

/**
 * The validator of one section of {@link KubernetesPkiArgs}, as kubeadm validates a configuration
 * one part at a time: it owns some top-level fields, checks every field under them (types first,
 * then values, unknown fields with a suggestion) and returns one message per problem, each
 * starting with the field's path. It never throws, whatever the values are, and reads no
 * defaults of other sections: defaults are applied after validation, when the plan is built.
 *
 * To add an input: declare it in `types.ts`, write `validation/<section>.ts` exporting a `Section`
 * (its own known-fields list per object), and add it to `SECTIONS` in `validation/sections.ts`.
 * A top-level field that no section owns is reported as unknown.
 */
export interface Section {
  /** The top-level fields of {@link KubernetesPkiArgs} this section checks. */
  readonly fields: readonly (keyof KubernetesPkiArgs)[];
  /** Every problem of those fields. `args` is the raw input object: nothing in it is trusted yet. */
  readonly problems: (args: Readonly<Record<string, unknown>>) => string[];
}
