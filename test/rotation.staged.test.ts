import * as assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { KubernetesPkiArgs } from "../components";
import { AuthorityStage } from "../components/rotation/stages";
import { named, Run, up } from "./helpers/consecutiveRuns";
import { bundlesOf, leavesOf, pemBlocks, signToken, tokenVerifies, unverified } from "./helpers/trustMatrix";

const PKI = "/etc/kubernetes/pki";
const args = (rotation: KubernetesPkiArgs["rotation"] = {}): KubernetesPkiArgs => ({
  encryptionAlgorithm: "ECDSA-P256",
  controlPlane: [{ name: "cp-1", address: "10.0.0.11" }, { name: "cp-2", address: "10.0.0.12" }],
  workers: [{ name: "worker-1" }],
  rotation,
});

/** What consumers of one CA hold: its bundle file, the leaves it signs, and whether kubeconfigs embed both. */
const DOMAINS = {
  ca: { bundle: `${PKI}/ca.crt`, leaves: [`${PKI}/apiserver.crt`, `${PKI}/apiserver-kubelet-client.crt`, "/var/lib/kubelet/pki/kubelet.crt"], kubeconfigs: true, leafIds: /^prod-(apiserver|apiserver-kubelet-client|kubelet-serving|admin\.conf|super-admin\.conf|controller-manager\.conf|scheduler\.conf|kubelet\.conf|kube-proxy\.conf)(-cp-\d|-worker-\d|)$/ },
  "etcd-ca": { bundle: `${PKI}/etcd/ca.crt`, leaves: [`${PKI}/etcd/server.crt`, `${PKI}/etcd/peer.crt`, `${PKI}/etcd/healthcheck-client.crt`, `${PKI}/apiserver-etcd-client.crt`], kubeconfigs: false, leafIds: /^prod-(etcd-server|etcd-peer|etcd-healthcheck-client|apiserver-etcd-client)-/ },
  "front-proxy-ca": { bundle: `${PKI}/front-proxy-ca.crt`, leaves: [`${PKI}/front-proxy-client.crt`], kubeconfigs: false, leafIds: /^prod-front-proxy-client-/ },
} as const;

const PHASES: { stage: AuthorityStage; label: string }[] = [
  { stage: { generation: 1, phase: "prepare" }, label: "prepare" },
  { stage: { generation: 1, phase: "switch" }, label: "switch" },
  { stage: { generation: 1, phase: "finish" }, label: "finish" },
];

/** Keys of the prior state that a run no longer registered: what the engine deletes. */
const deleted = (prior: Run, run: Run): string[] => [...prior.state.keys()].filter((key) => !run.state.has(key)).map((key) => key.split("::")[1]).sort();

describe("staged rotation of every CA: prepare, switch, finish as consecutive updates (real certificates, openssl)", function () {
  this.timeout(900_000);

  for (const [ca, domain] of Object.entries(DOMAINS) as [keyof typeof DOMAINS, (typeof DOMAINS)[keyof typeof DOMAINS]][]) {
    describe(ca, () => {
      const runs: Run[] = [];
      before(async () => {
        runs.push(await up(args()));
        for (const { stage } of PHASES) runs.push(await up(args({ [ca]: stage }), runs[runs.length - 1].state));
      });

      const consumers = (run: Run): { leaves: string[]; bundles: string[] } => ({
        leaves: leavesOf(run.files, domain.leaves, domain.kubeconfigs, domain.kubeconfigs ? [run.admin] : []),
        bundles: bundlesOf(run.files, domain.bundle, domain.kubeconfigs, domain.kubeconfigs ? [run.admin] : []),
      });

      PHASES.forEach(({ label }, i) => {
        it(`${label}: every leaf of this step and the one before verifies against every bundle any consumer holds in either`, () => {
          const [before, after] = [consumers(runs[i]), consumers(runs[i + 1])];
          const leaves = [...new Set([...before.leaves, ...after.leaves])];
          assert.ok(leaves.length >= (ca === "front-proxy-ca" ? 2 : 6), `found ${leaves.length} leaves`);
          for (const bundle of new Set([...before.bundles, ...after.bundles])) {
            assert.deepEqual(unverified(bundle, leaves), [], `a bundle of ${pemBlocks(bundle).length} CA(s) at ${label}`);
          }
        });
      });

      it("prepare: creates the new CA, puts both in every bundle (issuer first), re-issues nothing", () => {
        const [steady, prepare] = [runs[0], runs[1]];
        assert.deepEqual(named(prepare, "SelfSignedCert", "create"), [`prod-${ca}-g1`]);
        assert.deepEqual(named(prepare, "LocallySignedCert", "replace"), []);
        for (const bundle of consumers(prepare).bundles) {
          assert.deepEqual(pemBlocks(bundle), [...pemBlocks(steady.caCertificates[ca]), ...pemBlocks(prepare.caCertificates[ca]).slice(1)]);
          assert.equal(pemBlocks(bundle).length, 2);
        }
      });

      it("switch: re-issues every leaf of this CA (new keys) from the new CA, and nothing else", () => {
        const [prepare, sw] = [runs[1], runs[2]];
        const replaced = named(sw, "LocallySignedCert", "replace");
        const expected = named(prepare, "LocallySignedCert", "keep").filter((name) => domain.leafIds.test(name));
        assert.deepEqual(replaced, expected);
        assert.deepEqual(named(sw, "PrivateKey", "replace"), expected);
        const newCa = new X509Certificate(pemBlocks(prepare.caCertificates[ca])[1]);
        for (const leaf of consumers(sw).leaves) assert.ok(new X509Certificate(leaf).checkIssued(newCa), "issued by the new CA");
        assert.equal(pemBlocks(sw.caCertificates[ca])[0], pemBlocks(prepare.caCertificates[ca])[1], "the issuer comes first");
      });

      it("finish: the old CA leaves every bundle and is deleted; nothing is re-issued", () => {
        const [sw, finish] = [runs[2], runs[3]];
        assert.deepEqual(deleted(sw, finish), [`prod-${ca}`, `prod-${ca}`].sort());
        assert.deepEqual(named(finish, "LocallySignedCert", "replace"), []);
        for (const bundle of consumers(finish).bundles) assert.deepEqual(pemBlocks(bundle), [pemBlocks(sw.caCertificates[ca])[0]]);
      });

      if (ca === "ca") {
        it("gives kube-controller-manager the issuing CA alone while ca.crt is a bundle, matching ca.key", () => {
          for (const [i, run] of runs.entries()) {
            const cp = run.files["cp-1"];
            const signing = cp[`${PKI}/ca-signing.crt`];
            if (i === 1 || i === 2) {
              assert.equal(pemBlocks(signing.content).length, 1);
              assert.equal(new X509Certificate(signing.content).checkPrivateKey(require("node:crypto").createPrivateKey(cp[`${PKI}/ca.key`].content)), true);
              assert.equal(run.files["worker-1"][`${PKI}/ca-signing.crt`], undefined, "only where the key is");
            } else {
              assert.equal(signing, undefined, "absent outside a rotation: ca.crt is a single certificate");
            }
          }
        });
      }
    });
  }

  describe("the service-account key", () => {
    const runs: Run[] = [];
    before(async () => {
      runs.push(await up(args()));
      for (const { stage } of PHASES) runs.push(await up(args({ sa: stage }), runs[runs.length - 1].state));
    });

    it("a token signed before the rotation verifies until finish; tokens signed at every step verify at the next", () => {
      const saPub = (run: Run): string => run.files["cp-1"][`${PKI}/sa.pub`].content;
      const saKey = (run: Run): string => run.files["cp-1"][`${PKI}/sa.key`].content;
      const early = signToken(saKey(runs[0]), { sub: "system:serviceaccount:default:early" });
      assert.deepEqual(runs.map((run) => tokenVerifies(saPub(run), early)), [true, true, true, false]);
      for (let i = 1; i < runs.length; i++) {
        const token = signToken(saKey(runs[i - 1]), { sub: `step-${i}` });
        assert.ok(tokenVerifies(saPub(runs[i]), token), `a token of step ${i - 1} verifies at step ${i}`);
        assert.ok(tokenVerifies(saPub(runs[i - 1]), signToken(saKey(runs[i]), { sub: `back-${i}` })), `a token of step ${i} verifies with step ${i - 1}'s keys`);
      }
      assert.deepEqual(runs.map((run) => pemBlocks(saPub(run)).length), [1, 2, 2, 1]);
      assert.equal(saKey(runs[1]), saKey(runs[0]), "prepare keeps signing with the old key");
      assert.notEqual(saKey(runs[2]), saKey(runs[0]), "switch signs with the new key");
      assert.deepEqual(deleted(runs[2], runs[3]), ["prod-sa"]);
      for (const run of runs.slice(1)) assert.deepEqual(named(run, "LocallySignedCert", "replace"), [], "no certificate changes");
    });
  });

  describe("illegal transitions", () => {
    let steady: Run;
    before(async () => (steady = await up(args())));

    it("refuses skipping prepare, naming the next step", async () => {
      await assert.rejects(up(args({ "etcd-ca": { generation: 1, phase: "switch" } }), steady.state), /rotation\.etcd-ca: cannot go from generation 0 to generation 1 phase "switch".*\{ generation: 1, phase: "prepare" \}/);
    });

    it("refuses finishing while every leaf is still signed by the old CA", async () => {
      const prepare = await up(args({ ca: { generation: 1, phase: "prepare" } }), steady.state);
      await assert.rejects(up(args({ ca: { generation: 1 } }), prepare.state), /rotation\.ca: .*every leaf in use is still signed by generation 0; apply phase "switch" first/);
    });

    it("refuses two rotations in different phases at construction", async () => {
      await assert.rejects(
        up(args({ ca: { generation: 1, phase: "prepare" }, sa: { generation: 1, phase: "switch" } })),
        /rotation\.sa\.phase: "switch" conflicts with rotation\.ca\.phase "prepare"/,
      );
    });
  });
});
