import * as pulumi from "@pulumi/pulumi";
import { AuthorityId, RotationPhase, Stage, transitionProblem } from "./stages";

/** Inputs (and state) of a {@link RotationStage}. */
export interface RotationStageState {
  /** The authority: `ca`, `etcd-ca`, `front-proxy-ca` or `sa`. */
  readonly authority: AuthorityId;
  /** Generation of its newest CA (or key). */
  readonly generation: number;
  /** The phase of the rotation to that generation; `finish` when none is in progress. */
  readonly phase: RotationPhase;
}

/**
 * Records the stage the last update applied, and refuses an illegal step. The engine calls `check`
 * with the recorded inputs and the new ones before it plans anything else, during `pulumi preview`
 * too, so a skipped phase fails the preview with the reason and the expected next step.
 */
export const rotationStageProvider: pulumi.dynamic.ResourceProvider = {
  async check(olds: Partial<RotationStageState>, news: RotationStageState) {
    if (typeof olds.generation !== "number" || olds.phase === undefined) return { inputs: news };
    const previous: Stage = { generation: olds.generation, phase: olds.phase };
    const problem = transitionProblem(previous, { generation: news.generation, phase: news.phase });
    if (problem === undefined) return { inputs: news };
    return { inputs: news, failures: [{ property: "phase", reason: `rotation.${news.authority}: ${problem}` }] };
  },

  async create(inputs: RotationStageState) {
    return { id: `rotation-${inputs.authority}`, outs: { authority: inputs.authority, generation: inputs.generation, phase: inputs.phase } };
  },

  async diff(_id: string, olds: RotationStageState, news: RotationStageState) {
    const changes = olds.generation !== news.generation || olds.phase !== news.phase || olds.authority !== news.authority;
    return { changes, replaces: [], deleteBeforeReplace: false };
  },

  async update(_id: string, _olds: RotationStageState, news: RotationStageState) {
    return { outs: { authority: news.authority, generation: news.generation, phase: news.phase } };
  },
};

/**
 * One authority's rotation stage, kept in the stack's state so the next update can be checked
 * against it. Type token `pulumi-nodejs:dynamic/kubernetes-pki:RotationStage`.
 */
export class RotationStage extends pulumi.dynamic.Resource {
  /** The recorded generation. */
  declare readonly generation: pulumi.Output<number>;
  /** The recorded phase. */
  declare readonly phase: pulumi.Output<RotationPhase>;

  constructor(name: string, state: RotationStageState, opts?: pulumi.CustomResourceOptions) {
    super(rotationStageProvider, name, state, opts, "kubernetes-pki", "RotationStage");
  }
}
