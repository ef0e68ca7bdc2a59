import * as assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { CATALOG, KubernetesPkiArgs, NodeFiles } from "../../components";
import { ROTATION_PHASES, RotationPhase } from "../../components/rotation/stages";
import { bundlesOf, leavesOf, pemBlocks, signToken, tokenVerifies, unverified, userDataFiles } from "../helpers/trustMatrix";
import { smallCluster } from "./harness/clusters";
import { CLUSTER_KEY, EngineStack, Step } from "./harness/engineStack";
import { assetOf, changes, DYNAMIC, label, onlyReplacements, TLS } from "./harness/steps";

const DAY = 86_400_000;
const PKI = "/etc/kubernetes/pki";
const { renewalCheck: RENEWAL_CHECK, rotationStage: ROTATION_STAGE } = DYNAMIC;

type Files = Record<string, NodeFiles>;
const filesOf = async (engine: EngineStack): Promise<Files> => (await engine.outputs()).files.value as Files;
const outputOf = async <T>(engine: EngineStack, name: string): Promise<T> => (await engine.outputs())[name].value as T;

/** Replaces the stack's whole `kubernetes-pki:cluster` object, as editing `Pulumi.<stack>.yaml` does. */
async function setCluster(engine: EngineStack, cluster: KubernetesPkiArgs): Promise<void> {
  const workspace = engine.stack.workspace;
  const settings = await workspace.stackSettings(engine.stack.name);
  await workspace.saveStackSettings(engine.stack.name, { ...settings, config: { ...settings.config, [CLUSTER_KEY]: cluster } });
}

/** The `<type> <name>` of every resource an operation replaces, of one short type (`PrivateKey`, `RenewalCheck`…). */
const replacedOf = (steps: readonly Step[], short: string): string[] =>
  steps.filter((s) => s.op === "replace" && s.type.endsWith(`:${short}`)).map((s) => s.name).sort();

describe("rotation through the Pulumi engine", () => {
  describe("renewal with new keys and deliberate re-issue", () => {
    let engine: EngineStack;
    let issued: Files;
    let leaves: string[];
    before(async () => {
      engine = await EngineStack.create("rotate", smallCluster());
      const created = await engine.up();
      leaves = created.steps.filter((s) => s.type === TLS.locallySignedCert).map((s) => s.name).sort();
      issued = await filesOf(engine);
    });
    after(() => {
      engine?.setPluginClock(undefined);
      engine?.dispose();
    });

    it("creates one renewal check per leaf and a rotation stage per authority", async () => {
      const { resources } = await engine.exportedState();
      const names = (type: string): string[] => resources.filter((r) => r.type === type).map((r) => r.urn.split("::").pop()!).sort();
      assert.deepEqual(names(RENEWAL_CHECK), leaves);
      assert.deepEqual(names(ROTATION_STAGE), ["rotate-rotation-ca", "rotate-rotation-etcd-ca", "rotate-rotation-front-proxy-ca", "rotate-rotation-sa"]);
    });

    it("bumping etcd-peer's generation previews the replacement of exactly its check, key, CSR and certificate", async () => {
      await setCluster(engine, { ...smallCluster(), rotation: { reissue: { certificates: { "etcd-peer": 1 } } } });
      const preview = await engine.preview();
      assert.deepEqual(onlyReplacements(preview.steps), [
        "CertRequest rotate-etcd-peer-cp-1", "LocallySignedCert rotate-etcd-peer-cp-1", "PrivateKey rotate-etcd-peer-cp-1", "RenewalCheck rotate-etcd-peer-cp-1",
      ]);
      await engine.up();
      const after = await filesOf(engine);
      assert.notEqual(after["cp-1"][`${PKI}/etcd/peer.key`].content, issued["cp-1"][`${PKI}/etcd/peer.key`].content, "a new key");
      assert.equal(after["cp-1"][`${PKI}/etcd/server.key`].content, issued["cp-1"][`${PKI}/etcd/server.key`].content);
      assert.deepEqual(changes((await engine.preview()).steps), [], "the next preview plans nothing");
      issued = after;
    });

    it("inside certificateRenewBefore a plain preview (no refresh) plans every leaf's key, CSR and certificate replaced, and no CA", async () => {
      const notAfter = new Date(new X509Certificate(issued["cp-1"][`${PKI}/apiserver.crt`].content).validTo).getTime();
      const later = new Date(notAfter - 29 * DAY);
      engine.setPluginClock(later);
      const preview = await engine.preview();
      for (const type of ["RenewalCheck", "PrivateKey", "CertRequest", "LocallySignedCert"]) {
        assert.deepEqual(replacedOf(preview.steps, type), leaves, `every leaf's ${type}`);
      }
      assert.deepEqual(replacedOf(preview.steps, "SelfSignedCert"), []);
      for (const s of preview.steps.filter((s) => s.type === RENEWAL_CHECK && s.op === "replace")) assert.ok(s.keys.includes("renewAt"), `${label(s)}: ${s.keys}`);
      await engine.up();
      const renewed = await filesOf(engine);
      for (const [node, cert, ca] of [["cp-1", "apiserver", "ca"], ["cp-1", "etcd/server", "etcd/ca"], ["worker-1", "", "ca"]]) {
        const path = node === "worker-1" ? "/var/lib/kubelet/pki/kubelet" : `${PKI}/${cert}`;
        assert.notEqual(renewed[node][`${path}.key`].content, issued[node][`${path}.key`].content, `${node}:${path}.key is new`);
        assert.ok(new Date(new X509Certificate(renewed[node][`${path}.crt`].content).validTo).getTime() > notAfter);
        assert.deepEqual(unverified(renewed[node][`${PKI}/${ca}.crt`].content, [renewed[node][`${path}.crt`].content], later), []);
        assert.equal(renewed[node][`${PKI}/${ca}.crt`].content, issued[node][`${PKI}/${ca}.crt`].content, "the CA is untouched");
      }
      assert.deepEqual(changes((await engine.preview()).steps), [], "the next preview at the same time plans nothing");
    });

    it("inside caCertificateRenewBefore every preview warns, naming the CA, its expiry and the steps, and replaces nothing", async () => {
      const caEnd = new Date(new X509Certificate((await outputOf<Record<string, string>>(engine, "caCertificates"))["front-proxy-ca"]).validTo).getTime();
      engine.setPluginClock(new Date(caEnd - 100 * DAY));
      const preview = await engine.preview();
      assert.match(preview.stdout, /CA "front-proxy-ca" \(generation 0\) expires .*rotation\["front-proxy-ca"\] = \{ generation: 1, phase: "prepare" \}/);
      assert.deepEqual(replacedOf(preview.steps, "SelfSignedCert"), []);
      engine.setPluginClock(undefined);
    });
  });

  describe("staged rotation as consecutive pulumi ups: every CA, then the service-account key, on one stack", () => {
    const STACK = "stage";
    const NODES = ["cp-1", "worker-1"];
    /** What consumers of each CA hold: its bundle file and the leaf files it signs (kubeconfigs and user-data are read whole). */
    const CAS = [
      { authority: "etcd-ca", bundle: `${PKI}/etcd/ca.crt`, leaves: [`${PKI}/etcd/server.crt`, `${PKI}/etcd/peer.crt`, `${PKI}/etcd/healthcheck-client.crt`, `${PKI}/apiserver-etcd-client.crt`], kubeconfigs: false },
      { authority: "ca", bundle: `${PKI}/ca.crt`, leaves: [`${PKI}/apiserver.crt`, `${PKI}/apiserver-kubelet-client.crt`, "/var/lib/kubelet/pki/kubelet.crt"], kubeconfigs: true },
      { authority: "front-proxy-ca", bundle: `${PKI}/front-proxy-ca.crt`, leaves: [`${PKI}/front-proxy-client.crt`], kubeconfigs: false },
    ] as const;
    let engine: EngineStack;
    /** The rotation args so far: each authority, once rotated, stays at generation 1. */
    let rotation: Record<string, { generation: number; phase: RotationPhase }> = {};
    /** What every consumer held after the last up. */
    let held: Consumers;
    /** The leaf certificates' resource names by the CA that issues them, from the state after the first up. */
    let leavesByCa: Map<string, string[]>;

    /** Every file a consumer holds: the node files, the same files inside each node's user-data, and the operator's kubeconfigs. */
    interface Consumers {
      readonly files: Files;
      readonly operator: string[];
    }
    const consumersNow = async (): Promise<Consumers> => {
      const outputs = await engine.outputs();
      const files = outputs.files.value as Files;
      const userData = outputs.userData.value as Record<string, string>;
      const fromUserData = Object.fromEntries(Object.entries(userData).map(([node, text]) => [`${node} user-data`, userDataFiles(text)]));
      assert.deepEqual(Object.keys(fromUserData).sort(), NODES.map((n) => `${n} user-data`));
      return { files: { ...files, ...fromUserData }, operator: [outputs.adminKubeconfig.value as string, outputs.superAdminKubeconfig.value as string] };
    };
    const setRotation = (authority: string, phase: RotationPhase): Promise<void> => {
      rotation = { ...rotation, [authority]: { generation: 1, phase } };
      return setCluster(engine, { ...smallCluster(), rotation });
    };
    const stageRecord = (authority: string): string => `update RotationStage ${STACK}-rotation-${authority}`;

    before(async () => {
      engine = await EngineStack.create(STACK, smallCluster());
      await engine.up();
      held = await consumersNow();
      leavesByCa = new Map();
      for (const r of (await engine.exportedState()).resources.filter((r) => r.type === TLS.locallySignedCert)) {
        const name = r.urn.split("::").pop()!;
        const row = CATALOG.find((row) => row.id === assetOf(name, STACK, NODES)?.asset);
        assert.ok(row !== undefined && row.kind !== "ca" && row.kind !== "key-pair", `${name} is a leaf of the catalog`);
        leavesByCa.set(row.ca, [...(leavesByCa.get(row.ca) ?? []), name]);
      }
    });
    after(() => engine?.dispose());

    for (const c of CAS) {
      it(`${c.authority}: each phase previews exactly its resources; every leaf in use verifies against every bundle any consumer holds at that step and the one before`, async () => {
        const ca = `${STACK}-${c.authority}`;
        const reissued = (leavesByCa.get(c.authority) ?? []).flatMap((leaf) =>
          ["RenewalCheck", "PrivateKey", "CertRequest", "LocallySignedCert"].flatMap((type) => ["replace", "create-replacement", "delete-replaced"].map((op) => `${op} ${type} ${leaf}`)),
        );
        assert.ok(reissued.length >= 4 * 3 * (c.authority === "front-proxy-ca" ? 1 : 4), `${c.authority} signs the leaves: ${leavesByCa.get(c.authority)}`);
        const expected: Record<RotationPhase, string[]> = {
          prepare: [`create PrivateKey ${ca}-g1`, `create SelfSignedCert ${ca}-g1`, stageRecord(c.authority)],
          switch: [...reissued, stageRecord(c.authority)],
          finish: [`delete PrivateKey ${ca}`, `delete SelfSignedCert ${ca}`, stageRecord(c.authority)],
        };
        for (const phase of ROTATION_PHASES) {
          await setRotation(c.authority, phase);
          assert.deepEqual(changes((await engine.preview()).steps), [...expected[phase]].sort(), `${phase}: the preview plans exactly these`);
          await engine.up();
          const now = await consumersNow();
          const leaves = [...new Set([held, now].flatMap((step) => leavesOf(step.files, c.leaves, c.kubeconfigs, c.kubeconfigs ? step.operator : [])))];
          const bundles = [held, now].flatMap((step) => bundlesOf(step.files, c.bundle, c.kubeconfigs, c.kubeconfigs ? step.operator : []));
          assert.ok(leaves.length >= c.leaves.length * (phase === "switch" ? 2 : 1), `${phase}: ${leaves.length} leaves in use`);
          for (const bundle of new Set(bundles)) {
            assert.deepEqual(unverified(bundle, leaves), [], `${phase}: a bundle of ${pemBlocks(bundle).length} CA(s)`);
          }
          const sizes = new Set(bundlesOf(now.files, c.bundle, c.kubeconfigs, c.kubeconfigs ? now.operator : []).map((b) => pemBlocks(b).length));
          assert.deepEqual([...sizes], [phase === "finish" ? 1 : 2], `${phase}: every bundle any consumer holds`);
          held = now;
        }
      });
    }

    it("sa: an illegal step fails the preview; each phase previews exactly its resources; a token signed before the rotation verifies until finish", async () => {
      const saOf = (step: Consumers): NodeFiles => step.files["cp-1"];
      const early = signToken(saOf(held)[`${PKI}/sa.key`].content, { sub: "early" });
      await setCluster(engine, { ...smallCluster(), rotation: { ...rotation, sa: { generation: 1, phase: "switch" } } });
      await assert.rejects(engine.preview(), /rotation\.sa: cannot go from generation 0 to generation 1 phase "switch"/);
      const expected: Record<RotationPhase, string[]> = {
        prepare: [`create PrivateKey ${STACK}-sa-g1`, stageRecord("sa")],
        switch: [stageRecord("sa")],
        finish: [`delete PrivateKey ${STACK}-sa`, stageRecord("sa")],
      };
      const verdicts: boolean[] = [];
      for (const phase of ROTATION_PHASES) {
        await setRotation("sa", phase);
        assert.deepEqual(changes((await engine.preview()).steps), [...expected[phase]].sort(), `${phase}: the preview plans exactly these`);
        await engine.up();
        const now = await consumersNow();
        verdicts.push(tokenVerifies(saOf(now)[`${PKI}/sa.pub`].content, early));
        const previous = signToken(saOf(held)[`${PKI}/sa.key`].content, { sub: `before ${phase}` });
        assert.ok(tokenVerifies(saOf(now)[`${PKI}/sa.pub`].content, previous), `${phase}: a token signed at the step before verifies`);
        assert.equal(saOf(now)[`${PKI}/sa.pub`].content, now.files["cp-1 user-data"][`${PKI}/sa.pub`].content, "user-data carries the same sa.pub");
        held = now;
      }
      assert.deepEqual(verdicts, [true, true, false]);
      assert.deepEqual(changes((await engine.preview()).steps), [], "after every rotation the next preview plans nothing");
    });
  });
});
