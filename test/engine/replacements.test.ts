import * as assert from "node:assert/strict";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { CATALOG } from "../../components";
import { smallCluster } from "./harness/clusters";
import { EngineStack, Step } from "./harness/engineStack";
import { assetOf, label, onlyReplacements, TLS } from "./harness/steps";

const NODES = ["cp-1", "worker-1"];

/** The resources of `types` that belong to `assets`, as `<type> <name>`, sorted. */
function resourcesOf(steps: readonly Step[], stack: string, assets: readonly string[], types: readonly string[]): string[] {
  const matching = steps.filter((s) => types.includes(s.type) && assets.includes(assetOf(s.name, stack, NODES)?.asset ?? ""));
  return [...new Set(matching.map(label))].sort();
}

describe("an added API server SAN through the Pulumi engine", () => {
  let engine: EngineStack;

  before(async () => {
    engine = await EngineStack.create("san", smallCluster());
    await engine.up();
    await engine.setCluster("apiServer.certSANs[1]", "api.internal.example.com");
  });
  after(() => engine?.dispose());

  it("preview replaces exactly the API server certificates and their CSRs, no key", async () => {
    const preview = await engine.preview();
    const replaced = onlyReplacements(preview.steps);
    assert.deepEqual(replaced, resourcesOf(preview.steps, "san", ["apiserver"], [TLS.certRequest, TLS.locallySignedCert]));
    assert.deepEqual(replaced, ["CertRequest san-apiserver-cp-1", "LocallySignedCert san-apiserver-cp-1"]);
    const csr = preview.steps.find((s) => s.op === "replace" && s.type === TLS.certRequest);
    assert.deepEqual(csr?.keys, ["dnsNames"]);
  });

  it("up issues the API server certificate with the new SAN and changes the outputs that embed it", async () => {
    const beforeFiles = (await engine.outputs()).files.value as Record<string, Record<string, { content: string }>>;
    const up = await engine.up();
    onlyReplacements(up.steps);
    const files = (await engine.outputs()).files.value as Record<string, Record<string, { content: string }>>;
    const crt = "/etc/kubernetes/pki/apiserver.crt";
    assert.notEqual(files["cp-1"][crt].content, beforeFiles["cp-1"][crt].content);
    assert.match(new X509Certificate(files["cp-1"][crt].content).subjectAltName ?? "", /DNS:api\.internal\.example\.com/);
    assert.equal(files["cp-1"]["/etc/kubernetes/pki/apiserver.key"].content, beforeFiles["cp-1"]["/etc/kubernetes/pki/apiserver.key"].content);
  });
});

describe("a trust domain's algorithm changed through the Pulumi engine", () => {
  let engine: EngineStack;

  before(async () => {
    engine = await EngineStack.create("algo", smallCluster());
    await engine.up();
    await engine.setCluster("trustDomainAlgorithms.etcd", "ECDSA-P384");
  });
  after(() => engine?.dispose());

  it("preview replaces exactly the etcd domain's keys, CSRs and certificates", async () => {
    const preview = await engine.preview();
    const replaced = onlyReplacements(preview.steps);
    const etcdAssets = CATALOG.filter((row) => (row.kind === "ca" ? row.domain === "etcd" : "ca" in row && row.ca === "etcd-ca"))
      .map((row) => row.id);
    assert.deepEqual(etcdAssets.sort(), ["apiserver-etcd-client", "etcd-ca", "etcd-healthcheck-client", "etcd-peer", "etcd-server"]);
    assert.deepEqual(replaced, resourcesOf(preview.steps, "algo", etcdAssets, Object.values(TLS)));
    assert.equal(replaced.filter((l) => l.startsWith("PrivateKey ")).length, etcdAssets.length);
  });

  it("up gives the etcd domain P-384 keys and leaves the other domains' keys alone", async () => {
    const before = (await engine.outputs()).files.value as Record<string, Record<string, { content: string }>>;
    await engine.up();
    const after = (await engine.outputs()).files.value as Record<string, Record<string, { content: string }>>;
    const curve = (pem: string) => createPrivateKey(pem).asymmetricKeyDetails?.namedCurve;
    assert.equal(curve(after["cp-1"]["/etc/kubernetes/pki/etcd/server.key"].content), "secp384r1");
    assert.equal(curve(after["cp-1"]["/etc/kubernetes/pki/apiserver-etcd-client.key"].content), "secp384r1");
    for (const path of ["/etc/kubernetes/pki/ca.key", "/etc/kubernetes/pki/apiserver.key", "/etc/kubernetes/pki/sa.key"]) {
      assert.equal(after["cp-1"][path].content, before["cp-1"][path].content, `${path} is kept`);
    }
  });
});
