import * as assert from "node:assert/strict";
import { execSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { KubernetesBootstrap, KubernetesPki, KubernetesPkiArgs, Manifest, manifestFiles } from "../components";
import { ENCRYPTION_CONFIG_PATH } from "../components/bootstrap/encryption";
import { TlsEmulator } from "../offline/tlsEmulator";
import { EXPECTED_CLUSTER_OBJECTS, EXPECTED_KUBE_PROXY_OBJECTS, EXPECTED_TOKEN_DATA_KEYS, ExpectedObject } from "./helpers/kubeadmBootstrapTable";
import { sampleArgs } from "./helpers/sampleArgs";
import { pemBlocks, unverified } from "./helpers/trustMatrix";
import { unwrap } from "./helpers/unwrap";

const TOKEN_ID = /^[a-z0-9]{6}$/;
const TOKEN_SECRET = /^[a-z0-9]{16}$/;

const bootstrapArgs = (overrides: Partial<KubernetesPkiArgs> = {}): KubernetesPkiArgs =>
  sampleArgs({
    encryptionAlgorithm: "ECDSA-P256",
    bootstrap: { tokens: [{ name: "default" }], kubeProxy: true },
    encryptionAtRest: {},
    ...overrides,
  });

const subjectsOf = (m: Manifest): string[] =>
  ((m.subjects ?? []) as { kind: string; name: string; namespace?: string }[]).map((s) =>
    s.kind === "ServiceAccount" ? `ServiceAccount/${s.namespace}/${s.name}` : `${s.kind}/${s.name}`);

const decode = (data: unknown, key: string): string => Buffer.from((data as Record<string, string>)[key], "base64").toString("utf8");

function assertMatches(actual: Manifest, expected: ExpectedObject): void {
  const what = `${expected.kind} ${expected.name}`;
  assert.equal(actual.apiVersion, expected.apiVersion, what);
  assert.equal(actual.kind, expected.kind, what);
  assert.equal(actual.metadata.name, expected.name, what);
  assert.equal(actual.metadata.namespace, expected.namespace, `${what}: namespace`);
  assert.deepEqual(actual.metadata.labels, expected.labels, `${what}: labels`);
  if (expected.roleRef !== undefined) {
    assert.deepEqual(actual.roleRef, { apiGroup: "rbac.authorization.k8s.io", ...expected.roleRef }, `${what}: roleRef`);
    assert.deepEqual(subjectsOf(actual), expected.subjects, `${what}: subjects`);
  }
  if (expected.rules !== undefined) {
    assert.deepEqual(actual.rules, expected.rules.map((r) => ({ apiGroups: [""], resources: r.resources, ...(r.resourceNames && { resourceNames: r.resourceNames }), verbs: r.verbs })), `${what}: rules`);
  }
  if (expected.dataKeys !== undefined) assert.deepEqual(Object.keys(actual.data as object).sort(), expected.dataKeys, `${what}: data keys`);
}

describe("bootstrap objects, tokens and encryption at rest (under the emulator)", function () {
  // Several tests construct whole clusters; on a loaded machine one takes more than a minute.
  this.timeout(300_000);
  let emulator: TlsEmulator;
  let pki: KubernetesPki;
  let manifests: Manifest[];

  before(async () => {
    emulator = new TlsEmulator();
    await pulumi.runtime.setMocks(emulator, "kubernetes-pki", "test", false);
    pki = new KubernetesPki("t", bootstrapArgs());
    manifests = await unwrap(pki.bootstrapManifests);
  });

  describe("objects, as kubeadm init creates them", () => {
    const all = [...EXPECTED_CLUSTER_OBJECTS, ...EXPECTED_KUBE_PROXY_OBJECTS];
    for (const expected of all) {
      it(`${expected.kind} ${expected.namespace ? `${expected.namespace}/` : ""}${expected.name}`, () => {
        const found = manifests.filter((m) => m.kind === expected.kind && m.metadata.name === expected.name);
        assert.equal(found.length, 1, `exactly one ${expected.kind} ${expected.name}`);
        assertMatches(found[0], expected);
      });
    }

    it("creates nothing else but one token Secret", () => {
      const others = manifests.filter((m) => !all.some((e) => e.kind === m.kind && e.name === m.metadata.name));
      assert.deepEqual(others.map((m) => `${m.kind}/${m.metadata.namespace}`), ["Secret/kube-system"]);
    });

    it("leaves kube-proxy's objects out unless bootstrap.kubeProxy", async () => {
      const plain = new KubernetesPki("no-proxy", bootstrapArgs({ bootstrap: { tokens: [] } }));
      const names = (await unwrap(plain.bootstrapManifests)).map((m) => `${m.kind}/${m.metadata.name}`);
      assert.deepEqual(names, EXPECTED_CLUSTER_OBJECTS.map((e) => `${e.kind}/${e.name}`));
    });

    it("cluster-info holds the control-plane endpoint and ca.crt under the empty cluster name, nothing else", async () => {
      const cm = manifests.find((m) => m.metadata.name === "cluster-info")!;
      const kubeconfig = parse((cm.data as Record<string, string>).kubeconfig) as Record<string, unknown>;
      const ca = (await unwrap(pki.caCertificates)).ca;
      assert.deepEqual(kubeconfig, {
        apiVersion: "v1",
        clusters: [{ cluster: { "certificate-authority-data": Buffer.from(ca).toString("base64"), server: "https://api.dev.example.com:6443" }, name: "" }],
        contexts: null,
        "current-context": "",
        kind: "Config",
        preferences: {},
        users: null,
      });
    });
  });

  describe("bootstrap tokens", () => {
    it("the token Secret is bootstrap-token-<id> in kube-system, type bootstrap.kubernetes.io/token, with kubeadm's data", async () => {
      const secret = manifests.find((m) => m.kind === "Secret")!;
      const token = (await unwrap(pki.bootstrapTokens)).default;
      assert.equal(secret.metadata.name, `bootstrap-token-${token.id}`);
      assert.equal(secret.metadata.namespace, "kube-system");
      assert.equal(secret.type, "bootstrap.kubernetes.io/token");
      assert.deepEqual(Object.keys(secret.data as object).sort(), EXPECTED_TOKEN_DATA_KEYS);
      assert.equal(decode(secret.data, "token-id"), token.id);
      assert.equal(decode(secret.data, "token-secret"), token.secret);
      assert.equal(decode(secret.data, "usage-bootstrap-signing"), "true");
      assert.equal(decode(secret.data, "usage-bootstrap-authentication"), "true");
      assert.equal(decode(secret.data, "auth-extra-groups"), "system:bootstrappers:kubeadm:default-node-token");
      assert.equal(decode(secret.data, "description"), "The default bootstrap token generated by 'kubeadm init'.");
      assert.equal(decode(secret.data, "expiration"), token.expiration);
    });

    it("id matches [a-z0-9]{6}, secret [a-z0-9]{16}, token <id>.<secret>", async () => {
      const token = (await unwrap(pki.bootstrapTokens)).default;
      assert.match(token.id, TOKEN_ID);
      assert.match(token.secret, TOKEN_SECRET);
      assert.equal(token.token, `${token.id}.${token.secret}`);
    });

    it("differs between runs (another component, the same settings)", async () => {
      const tokens = await Promise.all(["a", "b", "c"].map((n) => unwrap(new KubernetesPki(n, bootstrapArgs({ encryptionAtRest: undefined })).bootstrapTokens)));
      const ids = tokens.map((t) => t.default.token);
      assert.equal(new Set(ids).size, 3, "three different tokens");
    });

    it("expires in the future, at least renewBefore (a quarter of the 24h ttl) from now, at most the ttl", async () => {
      const expiration = new Date((await unwrap(pki.bootstrapTokens)).default.expiration);
      assert.match((await unwrap(pki.bootstrapTokens)).default.expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const left = expiration.getTime() - Date.now();
      assert.ok(left > 6 * 3_600_000 - 60_000, `${left} ms left`);
      assert.ok(left <= 24 * 3_600_000, `${left} ms left`);
    });

    it("the random id and secret are keyed by the token generation, so preview plans a new token once it starts", () => {
      const randoms = emulator.resources.filter((r) => r.name.startsWith("t-bootstrap-token-default-"));
      assert.deepEqual(randoms.map((r) => r.type).sort(), ["random:index/randomPassword:RandomPassword", "random:index/randomString:RandomString"]);
      for (const r of randoms) {
        assert.match(String((r.inputs.keepers as { issuedAt: string }).issuedAt), /^\d{4}-\d\d-\d\dT\d\d:00:00Z$/);
        assert.deepEqual([r.inputs.lower, r.inputs.upper, r.inputs.numeric, r.inputs.special], [true, false, true, false]);
      }
    });

    it("bootstrap-kubelet.conf is kubeadm's CreateWithToken shape, pointing at the endpoint", async () => {
      const token = (await unwrap(pki.bootstrapTokens)).default;
      const ca = (await unwrap(pki.caCertificates)).ca;
      assert.deepEqual(parse(token.bootstrapKubeconfig), {
        apiVersion: "v1",
        clusters: [{ cluster: { "certificate-authority-data": Buffer.from(ca).toString("base64"), server: "https://api.dev.example.com:6443" }, name: "kubernetes" }],
        contexts: [{ context: { cluster: "kubernetes", user: "tls-bootstrap-token-user" }, name: "tls-bootstrap-token-user@kubernetes" }],
        "current-context": "tls-bootstrap-token-user@kubernetes",
        kind: "Config",
        preferences: {},
        users: [{ name: "tls-bootstrap-token-user", user: { token: token.token } }],
      });
    });

    it("the discovery hash equals openssl's SHA-256 of ca.crt's SubjectPublicKeyInfo", async () => {
      const ca = (await unwrap(pki.caCertificates)).ca;
      const openssl = execSync("openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | sha256sum", { input: ca, encoding: "utf8" });
      assert.equal(await unwrap(pki.discoveryTokenCaCertHash), `sha256:${openssl.split(" ")[0]}`);
    });

    it("the join user-data writes ca.crt and bootstrap-kubelet.conf only, no per-node certificate", async () => {
      const doc = parse(await unwrap(pki.joinUserData("default"))) as { write_files: { path: string; permissions: string }[] };
      assert.deepEqual(doc.write_files.map((f) => `${f.path} ${f.permissions}`), [
        "/etc/kubernetes/bootstrap-kubelet.conf 0600",
        "/etc/kubernetes/pki/ca.crt 0644",
      ]);
    });

    it("workers listed in workers keep their pre-made kubelet certificates next to the token", async () => {
      const files = await unwrap(pki.nodeFiles("worker-1"));
      assert.ok(files["/etc/kubernetes/kubelet.conf"], "worker-1 has kubelet.conf");
      assert.ok(files["/var/lib/kubelet/pki/kubelet.crt"], "worker-1 has its serving certificate");
    });

    it("joinUserData of an unknown token names the tokens there are", () => {
      assert.throws(() => pki.joinUserData("nope"), /no bootstrap token "nope"; tokens are default/);
    });
  });

  describe("encryption at rest", () => {
    it("every control-plane node gets /etc/kubernetes/pki/encryption-config.yaml (0600); workers do not", async () => {
      const files = await unwrap(pki.files);
      for (const node of ["cp-1", "cp-2", "cp-3"]) assert.equal(files[node][ENCRYPTION_CONFIG_PATH]?.mode, "0600", node);
      for (const node of ["worker-1", "worker-2"]) assert.equal(files[node][ENCRYPTION_CONFIG_PATH], undefined, node);
      const contents = new Set(["cp-1", "cp-2", "cp-3"].map((n) => files[n][ENCRYPTION_CONFIG_PATH].content));
      assert.equal(contents.size, 1, "one configuration on every API server");
    });

    it("is an EncryptionConfiguration for secrets: secretbox key1 of 32 bytes, then identity", async () => {
      const config = parse(await unwrap(pki.encryptionConfiguration!)) as {
        apiVersion: string; kind: string; resources: { resources: string[]; providers: Record<string, { keys?: { name: string; secret: string }[] }>[] }[];
      };
      assert.equal(config.apiVersion, "apiserver.config.k8s.io/v1");
      assert.equal(config.kind, "EncryptionConfiguration");
      assert.equal(config.resources.length, 1);
      assert.deepEqual(config.resources[0].resources, ["secrets"]);
      const providers = config.resources[0].providers;
      assert.deepEqual(providers.map((p) => Object.keys(p)[0]), ["secretbox", "identity"]);
      assert.deepEqual(providers[1], { identity: {} });
      const keys = providers[0].secretbox.keys!;
      assert.deepEqual(keys.map((k) => k.name), ["key1"]);
      assert.equal(Buffer.from(keys[0].secret, "base64").length, 32);
    });

    it("the user-data of a control-plane node carries it", async () => {
      assert.match((await unwrap(pki.userData))["cp-1"], /path: \/etc\/kubernetes\/pki\/encryption-config\.yaml/);
    });

    it("aescbc, aesgcm and configurable resources; consecutive keys of one provider share an entry", async () => {
      const other = new KubernetesPki("enc", bootstrapArgs({
        bootstrap: undefined,
        encryptionAtRest: { resources: ["secrets", "configmaps"], provider: "aescbc", keys: [{ name: "a" }, { name: "b" }, { name: "c", provider: "aesgcm" }] },
      }));
      const config = parse(await unwrap(other.encryptionConfiguration!)) as { resources: { resources: string[]; providers: Record<string, { keys?: { name: string }[] }>[] }[] };
      assert.deepEqual(config.resources[0].resources, ["secrets", "configmaps"]);
      assert.deepEqual(config.resources[0].providers.map((p) => `${Object.keys(p)[0]}:${(Object.values(p)[0].keys ?? []).map((k) => k.name).join(",")}`), [
        "aescbc:a,b", "aesgcm:c", "identity:",
      ]);
    });
  });

  describe("outputs that hold tokens or keys are secret", () => {
    it("bootstrapTokens, bootstrapManifests, encryptionConfiguration, joinUserData, files, the admin kubeconfig", async () => {
      assert.equal(await pulumi.isSecret(pki.bootstrapTokens), true, "bootstrapTokens");
      assert.equal(await pulumi.isSecret(pki.bootstrapManifests), true, "bootstrapManifests");
      assert.equal(await pulumi.isSecret(pki.encryptionConfiguration!), true, "encryptionConfiguration");
      assert.equal(await pulumi.isSecret(pki.joinUserData("default")), true, "joinUserData");
      assert.equal(await pulumi.isSecret(pki.files), true, "files");
      assert.equal(await pulumi.isSecret(pki.kubeconfigs.admin), true, "admin");
    });

    it("the discovery hash is public", async () => {
      assert.equal(await pulumi.isSecret(pki.discoveryTokenCaCertHash), false);
    });

    it("without tokens, the manifests are public", async () => {
      const plain = new KubernetesPki("public", bootstrapArgs({ bootstrap: undefined, encryptionAtRest: undefined }));
      assert.equal(await pulumi.isSecret(plain.bootstrapManifests), false);
    });

    it("the render writes the token Secret 0600 and the rest 0644, one parsable YAML document each", async () => {
      const files = manifestFiles(pki.bootstrap.objects, manifests);
      assert.equal(files.length, manifests.length);
      for (const file of files) {
        assert.equal(file.secret, (parse(file.content) as Manifest).kind === "Secret", file.name);
        assert.match(file.name, /^\d\d-[a-z0-9.-]+\.yaml$/);
      }
    });
  });

  describe("during a cluster-CA rotation, joining nodes get the bundle (docs/kubeadm-spec.md §7.4 step 9)", () => {
    const hashOf = (pem: string): string =>
      `sha256:${execSync("openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | sha256sum", { input: pem, encoding: "utf8" }).split(" ")[0]}`;
    const caData = (kubeconfig: string): string =>
      Buffer.from((parse(kubeconfig) as { clusters: { cluster: Record<string, string> }[] }).clusters[0].cluster["certificate-authority-data"], "base64").toString("utf8");

    for (const phase of ["prepare", "switch"] as const) {
      describe(phase, () => {
        let rotating: KubernetesPki;
        let bundle: string;
        before(async () => {
          rotating = new KubernetesPki(`rotating-${phase}`, bootstrapArgs({ rotation: { ca: { generation: 1, phase } } }));
          bundle = (await unwrap(rotating.caCertificates)).ca;
          assert.equal(pemBlocks(bundle).length, 2, "ca.crt holds both generations");
        });

        it("cluster-info, bootstrap-kubelet.conf and the join files' ca.crt hold both CAs, issuer first", async () => {
          const cm = (await unwrap(rotating.bootstrapManifests)).find((m) => m.metadata.name === "cluster-info")!;
          assert.equal(caData((cm.data as Record<string, string>).kubeconfig), bundle, "cluster-info");
          const token = (await unwrap(rotating.bootstrapTokens)).default;
          assert.equal(caData(token.bootstrapKubeconfig), bundle, "bootstrap-kubelet.conf");
          assert.equal(token.files["/etc/kubernetes/pki/ca.crt"].content, bundle, "join ca.crt");
        });

        it("a joining kubelet trusts this phase's API server certificate, whose issuer is first (openssl)", async () => {
          const token = (await unwrap(rotating.bootstrapTokens)).default;
          const serving = (await unwrap(rotating.nodeFiles("cp-1")))["/etc/kubernetes/pki/apiserver.crt"].content;
          assert.deepEqual(unverified(caData(token.bootstrapKubeconfig), [serving]), []);
          const issuing = new X509Certificate(pemBlocks(bundle)[0]);
          assert.ok(new X509Certificate(serving).checkIssued(issuing), "the issuing CA comes first");
        });

        it("one discovery hash per CA, issuing first, each equal to openssl's", async () => {
          const hashes = await unwrap(rotating.discoveryTokenCaCertHashes);
          assert.deepEqual(hashes, pemBlocks(bundle).map(hashOf));
          assert.equal(await unwrap(rotating.discoveryTokenCaCertHash), hashes[0]);
          assert.notEqual(hashes[0], hashes[1]);
        });
      });
    }

    it("outside a rotation there is one hash, the discovery hash", async () => {
      assert.deepEqual(await unwrap(pki.discoveryTokenCaCertHashes), [await unwrap(pki.discoveryTokenCaCertHash)]);
    });
  });

  describe("KubernetesBootstrap", () => {
    it("creates every object with @pulumi/kubernetes through the admin provider with a stable cluster identifier", async () => {
      const bootstrap = new KubernetesBootstrap("t", { pki });
      await unwrap(bootstrap.manifests);
      await Promise.all(Object.values(bootstrap.resources).map((r) => unwrap(r.urn)));
      const created = emulator.resources.filter((r) => r.type.startsWith("kubernetes:"));
      const byType = created.map((r) => `${r.type} ${(r.inputs.metadata as { name: string }).name}`);
      for (const m of manifests) {
        const group = m.apiVersion === "v1" ? "core/v1" : m.apiVersion;
        assert.ok(byType.includes(`kubernetes:${group}:${m.kind} ${m.metadata.name}`), `${m.kind} ${m.metadata.name} created`);
      }
      const provider = emulator.resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
      assert.equal(provider.inputs.clusterIdentifier, "kubernetes-pki/t/kubernetes");
      assert.equal(provider.inputs.kubeconfig, await unwrap(pki.kubeconfigs.admin));
    });
  });
});

describe("bootstrap and encryptionAtRest validation", () => {
  before(() => pulumi.runtime.setMocks(new TlsEmulator(), "kubernetes-pki", "test", false));
  const rejects = (overrides: Partial<KubernetesPkiArgs>, message: RegExp): void => {
    assert.throws(() => new KubernetesPki("bad", sampleArgs(overrides)), message);
  };
  it("a token name that is not a DNS-1123 label", () => rejects({ bootstrap: { tokens: [{ name: "Default" }] } }, /bootstrap\.tokens\[0\]\.name: "Default" is not a DNS-1123 label/));
  it("two tokens of one name", () => rejects({ bootstrap: { tokens: [{ name: "a" }, { name: "a" }] } }, /bootstrap\.tokens\[1\]\.name: "a" is used by another token/));
  it("a ttl that is not whole hours", () => rejects({ bootstrap: { tokens: [{ name: "a", ttl: "90m" }] } }, /bootstrap\.tokens\[0\]\.ttl: "90m" is not a Go duration in whole hours above zero/));
  it("a renewal window as long as the ttl", () => rejects({ bootstrap: { tokens: [{ name: "a", ttl: "24h", renewBefore: "24h" }] } }, /bootstrap\.tokens\[0\]\.renewBefore: "24h" must be shorter than ttl "24h"/));
  it("an extra group outside system:bootstrappers:", () => rejects({ bootstrap: { tokens: [{ name: "a", groups: ["system:nodes"] }] } }, /bootstrap\.tokens\[0\]\.groups\[0\]: "system:nodes" does not match system:bootstrappers:/));
  it("an unknown usage", () => rejects({ bootstrap: { tokens: [{ name: "a", usages: ["login" as "signing"] }] } }, /bootstrap\.tokens\[0\]\.usages\[0\]: "login" is not a token usage/));
  it("an unknown encryption provider", () => rejects({ encryptionAtRest: { provider: "kms" as "secretbox" } }, /encryptionAtRest\.provider: "kms" is not supported; use one of secretbox, aescbc, aesgcm/));
  it("two keys of one name", () => rejects({ encryptionAtRest: { keys: [{ name: "k" }, { name: "k" }] } }, /encryptionAtRest\.keys\[1\]\.name: "k" is used by another key/));
  it("no key", () => rejects({ encryptionAtRest: { keys: [] } }, /encryptionAtRest\.keys: \[\] has no key/));
  it("a cloud-config that writes the encryption configuration's path", () =>
    rejects({ encryptionAtRest: {}, userData: { cloudConfig: { write_files: [{ path: ENCRYPTION_CONFIG_PATH, content: "x" }] } } },
      /userData\.cloudConfig\.write_files: "\/etc\/kubernetes\/pki\/encryption-config\.yaml" is a file the PKI writes/));
  it("a resource that is not a resource name", () => rejects({ encryptionAtRest: { resources: ["Secrets!"] } }, /encryptionAtRest\.resources\[0\]: "Secrets!" is not a resource name/));
});
