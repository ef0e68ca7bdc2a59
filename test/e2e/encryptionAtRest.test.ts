import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { parse } from "yaml";
import { ENCRYPTION_CONFIG_PATH, EncryptionKey, renderEncryptionConfiguration } from "../../components/bootstrap/encryption";
import { apiServerEtcdClient, etcdCa } from "../../components/catalog/etcd";
import { LOCAL_CLIENTS, readText } from "./harness/cluster";
import { e2eCluster } from "./hooks";

const SECRET = "e2e-encrypted";
const LATE = "e2e-encrypted-late";

interface Config {
  resources: { resources: string[]; providers: Record<string, { keys?: { name: string; secret: string }[] }>[] }[];
}

/** The value etcd holds for a Secret, read raw with etcdctl as the API server's etcd client. */
async function rawSecret(name: string): Promise<string> {
  const cluster = e2eCluster();
  const cp = cluster.controlPlane[0];
  const tls = { cacert: cp.crt(etcdCa), cert: cp.crt(apiServerEtcdClient), key: cp.key(apiServerEtcdClient) };
  const r = await cluster.etcdctl(tls, undefined, "get", `/registry/secrets/default/${name}`, "--print-value-only");
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

/** What the API server returns for a Secret's `value`. */
async function readSecret(name: string): Promise<string> {
  const cluster = e2eCluster();
  const secret = await cluster.kubectlJson<{ data: { value: string } }>(cluster.superAdminConf, "get", "secret", name);
  return Buffer.from(secret.data.value, "base64").toString("utf8");
}

/**
 * Writes a configuration on every control-plane node, then rolls the nodes one at a time as an
 * operator (or the kubelet, for static pods) would: the API server restarts with the new file, and
 * the controller-manager and scheduler that use it are restarted with it.
 */
async function rollOut(keys: readonly EncryptionKey[]): Promise<void> {
  const cluster = e2eCluster();
  const text = renderEncryptionConfiguration(["secrets"], keys);
  for (const node of cluster.controlPlane) {
    writeFileSync(node.file(ENCRYPTION_CONFIG_PATH), text, { mode: 0o600 });
    await cluster.restartApiServer(node.name);
  }
}

/** Rewrites every Secret so it is stored with the current writing key (the documented `kubectl replace` step). */
async function rewriteSecrets(): Promise<void> {
  const cluster = e2eCluster();
  const all = await cluster.kubectlOk(cluster.superAdminConf, "get", "secrets", "-A", "-o", "json");
  const r = await cluster.kubectlInput(cluster.superAdminConf, all, "replace", "-f", "-");
  assert.equal(r.code, 0, r.stderr);
}

/**
 * Encryption at rest with the rendered `/etc/kubernetes/pki/encryption-config.yaml`
 * (`--encryption-provider-config`): Secrets are stored encrypted with secretbox, and stay readable
 * through the three steps of a key rotation (add key2 second, promote it, drop key1).
 */
describe("encryption at rest: the rendered EncryptionConfiguration, and a key rotation in three steps", function () {
  this.timeout(15 * 60_000);
  let key1: EncryptionKey;
  const key2: EncryptionKey = { name: "key2", provider: "secretbox", secret: randomBytes(32).toString("base64") };

  before(async () => {
    const cluster = e2eCluster();
    const config = parse(readText(cluster.controlPlane[0].file(ENCRYPTION_CONFIG_PATH))) as Config;
    const rendered = config.resources[0].providers[0].secretbox.keys![0];
    key1 = { name: rendered.name, provider: "secretbox", secret: rendered.secret };
    for (const name of [SECRET, LATE]) await cluster.kubectl(cluster.superAdminConf, "delete", "secret", name, "--ignore-not-found");
    await cluster.kubectlOk(cluster.superAdminConf, "create", "secret", "generic", SECRET, "--from-literal=value=before-rotation");
  });

  after(async () => {
    const cluster = e2eCluster();
    for (const node of cluster.controlPlane) {
      for (const component of ["kube-apiserver", ...LOCAL_CLIENTS] as const) {
        if (!cluster.isRunning(node.name, component)) await cluster.start(node.name, component);
      }
    }
    for (const name of [SECRET, LATE]) await cluster.kubectl(cluster.superAdminConf, "delete", "secret", name, "--ignore-not-found");
  });

  it("every API server runs with the rendered configuration: secretbox key1, then identity", () => {
    for (const node of e2eCluster().controlPlane) {
      const config = parse(readText(node.file(ENCRYPTION_CONFIG_PATH))) as Config;
      assert.deepEqual(config.resources[0].providers.map((p) => Object.keys(p)[0]), ["secretbox", "identity"]);
    }
  });

  it("a Secret written through the API is stored encrypted in etcd (k8s:enc:secretbox:v1:key1:), not in clear", async () => {
    const raw = await rawSecret(SECRET);
    assert.ok(raw.startsWith("k8s:enc:secretbox:v1:key1:"), raw.slice(0, 40));
    assert.ok(!raw.includes("before-rotation"), "the value is not in clear");
    assert.equal(await readSecret(SECRET), "before-rotation");
  });

  it("step 1, key2 added second: still written with key1, and readable", async () => {
    await rollOut([key1, key2]);
    await e2eCluster().kubectlOk(e2eCluster().superAdminConf, "create", "secret", "generic", LATE, "--from-literal=value=step-1");
    assert.ok((await rawSecret(LATE)).startsWith("k8s:enc:secretbox:v1:key1:"));
    assert.equal(await readSecret(SECRET), "before-rotation");
  });

  it("step 2, key2 promoted: rewritten Secrets are stored with key2, and all stay readable", async () => {
    await rollOut([key2, key1]);
    assert.equal(await readSecret(SECRET), "before-rotation", "a key1 Secret read through key1 as secondary");
    await rewriteSecrets();
    for (const name of [SECRET, LATE]) assert.ok((await rawSecret(name)).startsWith("k8s:enc:secretbox:v1:key2:"), name);
    assert.equal(await readSecret(SECRET), "before-rotation");
    assert.equal(await readSecret(LATE), "step-1");
  });

  it("step 3, key1 dropped: everything still reads with key2 alone", async () => {
    await rollOut([key2]);
    assert.equal(await readSecret(SECRET), "before-rotation");
    assert.equal(await readSecret(LATE), "step-1");
    assert.ok((await rawSecret(SECRET)).startsWith("k8s:enc:secretbox:v1:key2:"));
  });
});
