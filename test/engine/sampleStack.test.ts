import * as assert from "node:assert/strict";
import { EngineStack, StateResource } from "./harness/engineStack";
import { stackFileCluster } from "./harness/clusters";
import { changes, DYNAMIC, TLS } from "./harness/steps";
import { fakePem } from "../helpers/fakePem";

/** Outputs of `index.ts` that carry keys or tokens (node files, user-data, kubeconfigs, bootstrap tokens and manifests): secret. */
const SECRET_OUTPUTS = ["adminKubeconfig", "superAdminKubeconfig", "files", "userData", "bootstrapManifestFiles", "bootstrapTokens", "joinUserData"];
/** Outputs that carry only public material or sizes. */
const PUBLIC_OUTPUTS = [
  "caCertificates", "serviceAccountPublicKey", "userDataCompression", "userDataSizes", "bundleSizes", "discoveryTokenCaCertHashes", "expiryReport",
];
/** Marks a private key (PKCS#1, SEC1, PKCS#8, OpenSSH) or a kubeconfig's embedded key. */
const PLAIN_KEY = /PRIVATE KEY-----|client-key-data|LS0tLS1CRUdJTi[A-Za-z0-9+/]*UFJJVkFURSBLRV/;

/** Resources the engine counts in its summaries (every resource but the three default providers: tls, random, pulumi-nodejs). */
const RESOURCES = 204;

const countByType = (resources: readonly StateResource[]): Record<string, number> =>
  resources.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.type]: (acc[r.type] ?? 0) + 1 }), {});

describe("the sample stack (Pulumi.dev.yaml) through the Pulumi engine", () => {
  let engine: EngineStack;

  before(async () => {
    engine = await EngineStack.create("dev", stackFileCluster("Pulumi.dev.yaml"));
  });
  after(() => engine?.dispose());

  it("up creates every resource: 51 keys, 47 CSRs, 3 CA and 47 signed certificates with a renewal check each, a rotation stage per authority, a token's id and secret, an encryption key", async () => {
    const up = await engine.up();
    const { resources } = await engine.exportedState();
    assert.deepEqual(countByType(resources), {
      "pulumi:pulumi:Stack": 1,
      "kubernetes-pki:index:KubernetesPki": 1,
      "pulumi:providers:tls": 1,
      "pulumi:providers:random": 1,
      "pulumi:providers:pulumi-nodejs": 1,
      "random:index/randomString:RandomString": 1,
      "random:index/randomPassword:RandomPassword": 1,
      "random:index/randomBytes:RandomBytes": 1,
      [TLS.privateKey]: 51,
      [TLS.certRequest]: 47,
      [TLS.selfSignedCert]: 3,
      [TLS.locallySignedCert]: 47,
      [DYNAMIC.renewalCheck]: 47,
      [DYNAMIC.rotationStage]: 4,
    });
    assert.deepEqual(up.summary, { create: RESOURCES });
  });

  it("stack output --json shows every key, kubeconfig, node file and user-data output as [secret]", async () => {
    const printed = JSON.parse(await engine.cli(["stack", "output", "--json"])) as Record<string, unknown>;
    for (const name of SECRET_OUTPUTS) assert.equal(printed[name], "[secret]", `${name} is printed as [secret]`);
    assert.ok(!PLAIN_KEY.test(JSON.stringify(printed)), "no private key is printed");
    const outputs = await engine.outputs();
    assert.deepEqual(Object.keys(outputs).sort(), [...SECRET_OUTPUTS, ...PUBLIC_OUTPUTS].sort());
    for (const name of SECRET_OUTPUTS) assert.equal(outputs[name].secret, true, `${name} is secret`);
    for (const name of PUBLIC_OUTPUTS) {
      assert.equal(outputs[name].secret, false, `${name} is public`);
      assert.ok(!PLAIN_KEY.test(JSON.stringify(outputs[name].value)), `${name} carries no key`);
    }
    const cp1 = (outputs.files.value as Record<string, Record<string, { content: string }>>)["cp-1"];
    assert.match(cp1["/etc/kubernetes/pki/apiserver.key"].content, new RegExp(`^${fakePem("RSA PRIVATE KEY", "").split("\n")[0]}\n`), "the secret values are the real files");
  });

  it("the exported state holds those outputs, every key and every key input encrypted, and no private key in plain text", async () => {
    const { text, resources } = await engine.exportedState();
    assert.deepEqual(plainKeysIn(text), [], "no private key in plain text in the exported state");
    const stackOutputs = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.outputs ?? {};
    for (const name of SECRET_OUTPUTS) assert.ok(isCiphertext(stackOutputs[name]), `stack output ${name} is encrypted`);
    const keys = resources.filter((r) => r.type === TLS.privateKey);
    for (const key of keys) {
      // Every private-key output the provider returned: the real one adds privateKeyOpenssh, which the emulator leaves out (docs/tls-provider.md §13.1).
      const privateOutputs = Object.keys(key.outputs ?? {}).filter((prop) => prop.startsWith("privateKey"));
      for (const prop of ["privateKeyPem", "privateKeyPemPkcs8"]) assert.ok(privateOutputs.includes(prop), `${key.urn} has ${prop}`);
      for (const prop of privateOutputs) assert.ok(isCiphertext(key.outputs?.[prop]), `${key.urn} ${prop} is encrypted`);
    }
    for (const r of resources.filter((x) => x.type === TLS.certRequest || x.type === TLS.selfSignedCert)) {
      assert.ok(isCiphertext(r.inputs?.privateKeyPem) && isCiphertext(r.outputs?.privateKeyPem), `${r.urn} privateKeyPem is encrypted`);
    }
    const token = resources.find((r) => r.type === "random:index/randomPassword:RandomPassword");
    assert.ok(isCiphertext(token?.outputs?.result), "the bootstrap token secret is encrypted");
    const encryptionKey = resources.find((r) => r.type === "random:index/randomBytes:RandomBytes");
    assert.ok(isCiphertext(encryptionKey?.outputs?.base64) && isCiphertext(encryptionKey?.outputs?.hex), "the encryption key is encrypted");
    for (const r of resources.filter((x) => x.type === TLS.locallySignedCert)) {
      assert.ok(isCiphertext(r.inputs?.caPrivateKeyPem) && isCiphertext(r.outputs?.caPrivateKeyPem), `${r.urn} caPrivateKeyPem is encrypted`);
    }
  });

  it("a second preview plans no change", async () => {
    const preview = await engine.preview();
    assert.deepEqual(changes(preview.steps), []);
    assert.deepEqual(preview.summary, { same: RESOURCES });
  });

  it("a second up changes nothing", async () => {
    const up = await engine.up();
    assert.deepEqual(changes(up.steps), []);
    assert.deepEqual(up.summary, { same: RESOURCES });
  });

  it("refresh finds nothing changed", async () => {
    const refresh = await engine.refresh();
    assert.deepEqual(refresh.summary, { same: RESOURCES });
    assert.deepEqual(changes((await engine.preview()).steps), []);
  });

  it("destroy leaves the stack empty", async () => {
    const destroy = await engine.destroy();
    assert.deepEqual(destroy.summary, { delete: RESOURCES });
    assert.deepEqual((await engine.exportedState()).resources, []);
  });
});

/** Where the exported state holds a private key in plain text: `<urn> <property>`, never the value. */
function plainKeysIn(text: string): string[] {
  if (!PLAIN_KEY.test(text)) return [];
  const resources = (JSON.parse(text) as { deployment: { resources?: StateResource[] } }).deployment.resources ?? [];
  const found = resources.flatMap((r) =>
    (["inputs", "outputs"] as const).flatMap((part) => Object.entries(r[part] ?? {})
      .filter(([, v]) => PLAIN_KEY.test(JSON.stringify(v)))
      .map(([prop]) => `${r.urn} ${part}.${prop}`)));
  return found.length > 0 ? found : ["(outside any resource's inputs and outputs)"];
}

/** A secret as the state stores it: `{ <secret sig>, ciphertext }`, never the plain value. */
function isCiphertext(v: unknown): boolean {
  return typeof v === "object" && v !== null && typeof (v as { ciphertext?: unknown }).ciphertext === "string"
    && !("plaintext" in v);
}
