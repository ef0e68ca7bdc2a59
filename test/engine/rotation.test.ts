import * as assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { KubernetesPkiArgs, NodeFiles } from "../../components";
import { bundlesOf, leavesOf, pemBlocks, signToken, tokenVerifies, unverified } from "../helpers/trustMatrix";
import { smallCluster } from "./harness/clusters";
import { CLUSTER_KEY, EngineStack, Step } from "./harness/engineStack";
import { changes, DYNAMIC, isDynamicProviderConfigUpdate, label, onlyReplacements, TLS } from "./harness/steps";

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

  describe("staged rotation as consecutive pulumi ups", () => {
    // The etcd CA stands for the three CAs (each is one catalog-driven stage); the unit tests cover them all.
    const cases = [
      { authority: "etcd-ca", bundle: `${PKI}/etcd/ca.crt`, leaves: [`${PKI}/etcd/server.crt`, `${PKI}/etcd/peer.crt`, `${PKI}/etcd/healthcheck-client.crt`, `${PKI}/apiserver-etcd-client.crt`], kubeconfigs: false },
    ] as const;

    for (const c of cases) {
      it(`${c.authority}: prepare, switch, finish; every leaf in use verifies against every bundle held at that step and the one before`, async () => {
        const engine = await EngineStack.create(`stage-${c.authority}`, smallCluster());
        try {
          await engine.up();
          let before = await filesOf(engine);
          let beforeAdmin = await outputOf<string>(engine, "adminKubeconfig");
          const consumers = (files: Files, admin: string) => ({
            leaves: leavesOf(files, c.leaves, c.kubeconfigs, c.kubeconfigs ? [admin] : []),
            bundles: bundlesOf(files, c.bundle, c.kubeconfigs, c.kubeconfigs ? [admin] : []),
          });
          for (const phase of ["prepare", "switch", "finish"] as const) {
            await setCluster(engine, { ...smallCluster(), rotation: { [c.authority]: { generation: 1, phase } } });
            const preview = await engine.preview();
            const replaced = onlyReplacementsOrCreatesOrDeletes(preview.steps);
            if (phase === "prepare") assert.deepEqual(replaced.replaced, [], "prepare re-issues nothing");
            if (phase === "switch") assert.ok(replaced.replaced.some((n) => n.startsWith("LocallySignedCert")), "switch re-issues the leaves");
            if (phase === "finish") assert.deepEqual(replaced.replaced, [], "finish re-issues nothing");
            await engine.up();
            const after = await filesOf(engine);
            const afterAdmin = await outputOf<string>(engine, "adminKubeconfig");
            const [was, now] = [consumers(before, beforeAdmin), consumers(after, afterAdmin)];
            const leaves = [...new Set([...was.leaves, ...now.leaves])];
            for (const bundle of new Set([...was.bundles, ...now.bundles])) {
              assert.deepEqual(unverified(bundle, leaves), [], `${phase}: a bundle of ${pemBlocks(bundle).length} CA(s)`);
            }
            assert.equal(pemBlocks(after["cp-1"][c.bundle].content).length, phase === "finish" ? 1 : 2);
            [before, beforeAdmin] = [after, afterAdmin];
          }
          assert.deepEqual(changes((await engine.preview()).steps), []);
        } finally {
          engine.dispose();
        }
      });
    }

    it("sa: a token signed before the rotation verifies until finish; an illegal step fails the preview and changes nothing", async () => {
      const engine = await EngineStack.create("stage-sa", smallCluster());
      try {
        await engine.up();
        const saOf = async () => (await filesOf(engine))["cp-1"];
        const early = signToken((await saOf())[`${PKI}/sa.key`].content, { sub: "early" });
        await setCluster(engine, { ...smallCluster(), rotation: { sa: { generation: 1, phase: "switch" } } });
        await assert.rejects(engine.preview(), /rotation\.sa: cannot go from generation 0 to generation 1 phase "switch"/);
        const verdicts: boolean[] = [];
        for (const phase of ["prepare", "switch", "finish"] as const) {
          await setCluster(engine, { ...smallCluster(), rotation: { sa: { generation: 1, phase } } });
          await engine.up();
          verdicts.push(tokenVerifies((await saOf())[`${PKI}/sa.pub`].content, early));
        }
        assert.deepEqual(verdicts, [true, true, false]);
      } finally {
        engine.dispose();
      }
    });
  });
});

/** The replaced resources of a preview, asserting that the only other changes are creates and deletes of whole resources and the stage record. */
function onlyReplacementsOrCreatesOrDeletes(steps: readonly Step[]): { replaced: string[] } {
  const replaced = steps.filter((s) => s.op === "replace").map(label).sort();
  const other = steps.filter(
    (s) => !["same", "replace", "create-replacement", "delete-replaced", "create", "delete"].includes(s.op) && !isDynamicProviderConfigUpdate(s) && !(s.op === "update" && s.type === ROTATION_STAGE),
  );
  assert.deepEqual(other.map((s) => `${s.op} ${label(s)}`), [], "nothing else is updated in place");
  return { replaced };
}
