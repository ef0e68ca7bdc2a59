import { CaId } from "../catalog/types";

/** What can be rotated in stages: the three CAs and the service-account signing key (`sa`). */
export type AuthorityId = CaId | "sa";

/** Every authority, in the order rotations are reported. */
export const AUTHORITY_IDS: readonly AuthorityId[] = ["ca", "etcd-ca", "front-proxy-ca", "sa"];

/**
 * A phase of a staged rotation towards a new generation of an authority:
 * - `prepare`: the new CA (or key) exists; every trust bundle holds old and new; issuing stays old;
 * - `switch`: every leaf is re-issued by the new CA (tokens signed with the new key); bundles hold both;
 * - `finish`: the old CA (or key) leaves every bundle and is deleted.
 */
export type RotationPhase = "prepare" | "switch" | "finish";

/** Every phase, in order. */
export const ROTATION_PHASES: readonly RotationPhase[] = ["prepare", "switch", "finish"];

/**
 * Where one authority stands: its generation, and the phase of the rotation that brought it there.
 * `{ generation: 0 }` is the authority as first created. Rotating to generation 1 is three updates:
 * `{ generation: 1, phase: "prepare" }`, then `"switch"`, then `"finish"` (or no phase at all, which
 * means the same). The next rotation starts again at `{ generation: 2, phase: "prepare" }`.
 */
export interface AuthorityStage {
  /** Generation of the newest CA (or key). Default 0. */
  readonly generation?: number;
  /** The phase of the rotation to `generation`; absent: finished (only `generation` exists). */
  readonly phase?: RotationPhase;
}

/** A stage with defaults applied: `finish` stands for "no rotation in progress". */
export interface Stage {
  /** Generation of the newest CA (or key). */
  readonly generation: number;
  /** The phase; `finish` also when no rotation is in progress. */
  readonly phase: RotationPhase;
}

/** Defaults a stage: generation 0, phase `finish`. */
export function stageOf(stage: AuthorityStage | undefined): Stage {
  return { generation: stage?.generation ?? 0, phase: stage?.phase ?? "finish" };
}

/** What a stage means for the resources: which generations exist, which one issues, and what the bundles hold. */
export interface StageEffect {
  /** Generations whose CA (or key) exists, oldest first. */
  readonly existing: readonly number[];
  /** The generation that signs leaves (or tokens). */
  readonly issuing: number;
  /** The generations every trust bundle holds, issuing first (kubeconfig readers that take only one certificate take the issuer). */
  readonly trusted: readonly number[];
}

/** What a stage changes: `prepare` adds the new generation to the bundles, `switch` makes it issue, `finish` drops the old. */
export function stageEffect(stage: Stage): StageEffect {
  const { generation, phase } = stage;
  const old = generation - 1;
  switch (phase) {
    case "prepare":
      return { existing: [old, generation], issuing: old, trusted: [old, generation] };
    case "switch":
      return { existing: [old, generation], issuing: generation, trusted: [generation, old] };
    case "finish":
      return { existing: [generation], issuing: generation, trusted: [generation] };
  }
}

/** Whether a rotation is in progress (both generations exist). */
export function isRotating(stage: Stage): boolean {
  return stage.phase !== "finish";
}

const describeStage = (stage: Stage): string =>
  stage.phase === "finish" ? `generation ${stage.generation}` : `generation ${stage.generation} phase "${stage.phase}"`;

/**
 * Why going from `previous` (the stage recorded by the last update) to `next` is not allowed, or
 * undefined when it is. Allowed: staying; starting a rotation (`{g}` → `{g+1, prepare}`); the next
 * phase (`prepare` → `switch` → `finish`); abandoning a rotation before anything was issued by the
 * new generation (`{g, prepare}` → `{g−1}`). Everything else skips a phase: finishing from
 * `prepare` would drop the CA that signed every leaf in use.
 */
export function transitionProblem(previous: Stage, next: Stage): string | undefined {
  const same = previous.generation === next.generation;
  if (same && previous.phase === next.phase) return undefined;
  const order = ROTATION_PHASES.indexOf(next.phase) - ROTATION_PHASES.indexOf(previous.phase);
  if (same && order === 1) return undefined;
  if (next.generation === previous.generation + 1 && previous.phase === "finish" && next.phase === "prepare") return undefined;
  if (next.generation === previous.generation - 1 && previous.phase === "prepare" && next.phase === "finish") return undefined;
  const from = describeStage(previous);
  const to = describeStage(next);
  if (same && previous.phase === "prepare" && next.phase === "finish") {
    return `cannot go from ${from} to ${to}: every leaf in use is still signed by generation ${previous.generation - 1}; apply phase "switch" first`;
  }
  const expected =
    previous.phase === "finish"
      ? `{ generation: ${previous.generation + 1}, phase: "prepare" }`
      : `{ generation: ${previous.generation}, phase: "${ROTATION_PHASES[ROTATION_PHASES.indexOf(previous.phase) + 1]}" }`;
  return `cannot go from ${from} to ${to}: phases are applied one at a time; the next step is ${expected}`;
}

/**
 * Rotations in progress must be in the same phase: each phase is one round of restarts on every
 * node, and a round that has to re-issue leaves of one CA while another CA's bundles are still
 * being spread cannot be checked as one step. Returns one message per authority out of step.
 */
export function conflictProblems(stages: Readonly<Partial<Record<AuthorityId, Stage>>>, field: string): string[] {
  const rotating = AUTHORITY_IDS.filter((id) => stages[id] !== undefined && isRotating(stages[id]!));
  const first = rotating[0];
  if (first === undefined) return [];
  return rotating
    .filter((id) => stages[id]!.phase !== stages[first]!.phase)
    .map(
      (id) =>
        `${field}.${id}.phase: "${stages[id]!.phase}" conflicts with ${field}.${first}.phase "${stages[first]!.phase}"; ` +
        `rotations in progress must be in the same phase (apply them one after the other, or together)`,
    );
}
