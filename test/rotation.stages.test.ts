import * as assert from "node:assert/strict";
import { isReadyForRenewal, renewAt } from "../components/rotation/renewal";
import { conflictProblems, Stage, stageEffect, transitionProblem } from "../components/rotation/stages";
import { validateRotation } from "../components/validateRotation";

const stage = (generation: number, phase: Stage["phase"] = "finish"): Stage => ({ generation, phase });

describe("rotation decisions (pure)", () => {
  it("a certificate is due from notAfter − renewBefore on, not a millisecond before", () => {
    const window = { validityEndTime: "2031-01-31T00:00:00Z", earlyRenewalHours: 720 };
    assert.equal(renewAt(window).toISOString(), "2031-01-01T00:00:00.000Z");
    assert.equal(isReadyForRenewal(window, new Date("2030-12-31T23:59:59.999Z")), false);
    assert.equal(isReadyForRenewal(window, new Date("2031-01-01T00:00:00.000Z")), true);
  });

  it("each phase changes exactly what it names: bundles first, then the issuer, then the old CA goes", () => {
    assert.deepEqual(stageEffect(stage(0)), { existing: [0], issuing: 0, trusted: [0] });
    assert.deepEqual(stageEffect(stage(1, "prepare")), { existing: [0, 1], issuing: 0, trusted: [0, 1] });
    assert.deepEqual(stageEffect(stage(1, "switch")), { existing: [0, 1], issuing: 1, trusted: [1, 0] });
    assert.deepEqual(stageEffect(stage(1, "finish")), { existing: [1], issuing: 1, trusted: [1] });
  });

  it("every stage trusts the CA that issued the leaves of the stage before and after it", () => {
    const path = [stage(0), stage(1, "prepare"), stage(1, "switch"), stage(1), stage(2, "prepare"), stage(2, "switch"), stage(2)];
    for (let i = 1; i < path.length; i++) {
      const [before, after] = [stageEffect(path[i - 1]), stageEffect(path[i])];
      assert.equal(transitionProblem(path[i - 1], path[i]), undefined, `${JSON.stringify(path[i - 1])} → ${JSON.stringify(path[i])}`);
      // While nodes move from one step to the next, old leaves verify against new bundles and new leaves against old bundles.
      assert.ok(after.trusted.includes(before.issuing), `step ${i} drops the CA of the leaves still in use`);
      assert.ok(before.trusted.includes(after.issuing), `step ${i} issues from a CA the previous bundles lack`);
    }
  });

  it("allows staying, the next phase, starting the next rotation and abandoning a prepare", () => {
    assert.equal(transitionProblem(stage(0), stage(0)), undefined);
    assert.equal(transitionProblem(stage(1, "switch"), stage(1, "switch")), undefined);
    assert.equal(transitionProblem(stage(1, "prepare"), stage(0)), undefined);
  });

  it("refuses skipped phases with the reason and the next step", () => {
    assert.match(transitionProblem(stage(0), stage(1, "switch"))!, /cannot go from generation 0 to generation 1 phase "switch".*next step is \{ generation: 1, phase: "prepare" \}/);
    assert.match(transitionProblem(stage(1, "prepare"), stage(1))!, /every leaf in use is still signed by generation 0; apply phase "switch" first/);
    assert.match(transitionProblem(stage(0), stage(1))!, /next step is \{ generation: 1, phase: "prepare" \}/);
    assert.match(transitionProblem(stage(0), stage(2, "prepare"))!, /one at a time/);
    assert.match(transitionProblem(stage(1, "switch"), stage(1, "prepare"))!, /next step is \{ generation: 1, phase: "finish" \}/);
    assert.match(transitionProblem(stage(1, "switch"), stage(2, "prepare"))!, /next step is \{ generation: 1, phase: "finish" \}/);
  });

  it("refuses rotations in progress that are in different phases, and allows them in the same phase", () => {
    assert.deepEqual(conflictProblems({ ca: stage(1, "prepare"), "etcd-ca": stage(1, "prepare"), sa: stage(3) }, "rotation"), []);
    assert.deepEqual(conflictProblems({ ca: stage(1, "prepare"), "etcd-ca": stage(2, "switch") }, "rotation"), [
      'rotation.etcd-ca.phase: "switch" conflicts with rotation.ca.phase "prepare"; rotations in progress must be in the same phase (apply them one after the other, or together)',
    ]);
  });
});

describe("validateRotation", () => {
  const context = {
    nodeNames: ["cp-1", "worker-1"], certificateIds: ["apiserver", "etcd-peer", "admin.conf"],
    trustDomains: ["kubernetes", "etcd", "front-proxy", "service-account"] as const, renewBeforeHours: 720, validityHours: 8760,
  };

  it("defaults everything to generation 0, finished, and the global renewal window", () => {
    const { problems, plan } = validateRotation(undefined, undefined, context);
    assert.deepEqual(problems, []);
    assert.deepEqual(plan.stages.ca, { generation: 0, phase: "finish" });
    assert.deepEqual(plan.renewBeforeHours, { kubernetes: 720, etcd: 720, "front-proxy": 720, "service-account": 720 });
    assert.equal(plan.reissueAll, 0);
  });

  it("names the field, the value and what is allowed for every problem", () => {
    const { problems } = validateRotation(
      {
        reissue: { all: -1, certificates: { "etcd-pear": 1 }, nodes: { "cp-9": 1.5 } },
        ca: { generation: 0, phase: "prepare" },
        "etcd-ca": { generation: 1, phase: "swap" as never },
        colour: 1,
      } as never,
      { etcd: "10000h", dns: "1h" } as never,
      context,
    );
    assert.deepEqual(problems, [
      "rotation.colour: is not a field; use one of reissue, ca, etcd-ca, front-proxy-ca, sa",
      "rotation.reissue.all: -1 is not a generation; use an integer from 0 up",
      'rotation.reissue.certificates: "etcd-pear" is not a certificate kind; use one of apiserver, etcd-peer, admin.conf',
      'rotation.reissue.nodes: "cp-9" is not a node name; use one of cp-1, worker-1',
      "rotation.reissue.nodes.cp-9: 1.5 is not a generation; use an integer from 0 up",
      'rotation.ca.phase: "prepare" needs generation 1 or more (the generation being rotated to); generation 0 is the first',
      'rotation.etcd-ca.phase: "swap" is not a phase; use one of prepare, switch, finish',
      'trustDomainCertificateRenewBefore.etcd: "10000h" must be shorter than certificateValidityPeriod (8760h), or every update would re-issue the certificates',
      'trustDomainCertificateRenewBefore: "dns" is not a trust domain; use one of kubernetes, etcd, front-proxy, service-account',
    ]);
  });

  it("takes a per-domain renewal window", () => {
    const { problems, plan } = validateRotation({ reissue: { certificates: { "etcd-peer": 2 } } }, { etcd: "1440h" }, context);
    assert.deepEqual(problems, []);
    assert.equal(plan.renewBeforeHours.etcd, 1440);
    assert.equal(plan.renewBeforeHours.kubernetes, 720);
    assert.equal(plan.reissueCertificates["etcd-peer"], 2);
  });
});
