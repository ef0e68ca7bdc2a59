import * as assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { partnerPath } from "../../components/placement";
import { catalogFile } from "../../offline/inspect/catalogFiles";
import { smallCluster } from "./harness/clusters";
import { EngineStack } from "./harness/engineStack";
import { changes, DYNAMIC, label, onlyReplacements, resourcesOfType, TLS } from "./harness/steps";

const HOUR_MS = 3_600_000;
/** The component's defaults: leaves valid 8760 h, renewed 720 h before they expire; CAs valid 87600 h, renewed 8760 h before. */
const LEAF_VALIDITY_H = 8760;
const LEAF_RENEW_BEFORE_H = 720;

type Files = Record<string, Record<string, { content: string }>>;
const filesOf = async (engine: EngineStack): Promise<Files> => (await engine.outputs()).files.value as Files;

describe("certificates inside their renewal window, through the Pulumi engine", () => {
  let engine: EngineStack;
  let issued: Files;
  let later: Date;

  before(async () => {
    engine = await EngineStack.create("renew", smallCluster());
    await engine.up();
    issued = await filesOf(engine);
    const notAfter = new Date(new X509Certificate(issued["cp-1"]["/etc/kubernetes/pki/apiserver.crt"].content).validTo);
    assert.equal(notAfter.getTime() - Date.now() > (LEAF_VALIDITY_H - 1) * HOUR_MS, true, "a fresh leaf is valid for a year");
    later = new Date(notAfter.getTime() - (LEAF_RENEW_BEFORE_H - 24) * HOUR_MS); // one day into the window
    engine.setPluginClock(later);
  });
  after(() => {
    engine?.setPluginClock(undefined);
    engine?.dispose();
  });

  it("a plain preview (no refresh) plans every leaf's key, CSR and certificate replaced (a new key, as kubeadm certs renew), and nothing else", async () => {
    const preview = await engine.preview();
    const replaced = onlyReplacements(preview.steps);
    const leaves = resourcesOfType(preview.steps, TLS.locallySignedCert);
    assert.ok(leaves.length > 0);
    const renewed = (type: string): string[] => leaves.map((l) => `${type} ${l.split(" ")[1]}`);
    assert.deepEqual(replaced, [...renewed("CertRequest"), ...leaves, ...renewed("PrivateKey"), ...renewed("RenewalCheck")].sort(), "CAs and the service-account key stay");
    // The renewal check decides (its `renewAt` is due); its new issue time re-keys the rest through `replacementTrigger`.
    for (const step of preview.steps.filter((s) => s.op === "replace" && s.type === DYNAMIC.renewalCheck)) {
      assert.ok(step.keys.includes("renewAt"), `${label(step)} is due: ${step.keys}`);
    }
  });

  it("after up the renewed certificates chain to the same, untouched CA, with new keys", async () => {
    await engine.up();
    const renewed = await filesOf(engine);
    for (const [node, path, caPath] of [
      ["cp-1", "/etc/kubernetes/pki/apiserver.crt", "/etc/kubernetes/pki/ca.crt"],
      ["cp-1", "/etc/kubernetes/pki/etcd/server.crt", "/etc/kubernetes/pki/etcd/ca.crt"],
      ["worker-1", "/var/lib/kubelet/pki/kubelet.crt", "/etc/kubernetes/pki/ca.crt"],
    ]) {
      assert.equal(renewed[node][caPath].content, issued[node][caPath].content, `${node}:${caPath} is untouched`);
      const ca = new X509Certificate(renewed[node][caPath].content);
      const cert = new X509Certificate(renewed[node][path].content);
      assert.notEqual(cert.serialNumber, new X509Certificate(issued[node][path].content).serialNumber, `${node}:${path} is new`);
      assert.ok(cert.checkIssued(ca) && cert.verify(ca.publicKey), `${node}:${path} is signed by ${caPath}`);
      assert.equal(new Date(cert.validFrom).getTime(), Math.floor(later.getTime() / 1000) * 1000, `${node}:${path} was issued at the plugin's clock`);
      const key = partnerPath(catalogFile(path)!)!;
      assert.notEqual(renewed[node][key].content, issued[node][key].content, `${node}:${key} is new`);
    }
  });

  it("the next preview at the same time plans nothing", async () => {
    assert.deepEqual(changes((await engine.preview()).steps), []);
  });
});
