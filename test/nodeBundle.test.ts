import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import * as pulumi from "@pulumi/pulumi";
import {
  awsSecretsManagerFetchCommand,
  bundleInstallScript,
  KubernetesPki,
  NodeFile,
  renderNodeBundle,
  SECRET_STORE_LIMITS,
} from "../components";
import { TlsEmulator } from "../offline/tlsEmulator";
import { sampleArgs } from "./helpers/sampleArgs";
import { unwrap } from "./helpers/unwrap";
import { fakePem } from "./helpers/fakePem";

const SECRET = fakePem("EC PRIVATE KEY", "TOP-SECRET");

function filesUnder(root: string): NodeFile[] {
  return [
    { path: `${root}/etc/kubernetes/pki/ca.crt`, content: fakePem("CERTIFICATE", "MIIB"), mode: "0644" },
    { path: `${root}/etc/kubernetes/pki/apiserver.key`, content: SECRET, mode: "0600" },
    { path: `${root}/var/lib/kubelet/pki/kubelet.key`, content: SECRET, mode: "0600" },
  ];
}

/** Runs the user-data snippet with a fetch command that prints `bundle`, as boot would. */
function install(bundle: string, dir: string): { status: number | null; stdout: string; stderr: string } {
  writeFileSync(join(dir, "bundle"), bundle);
  const script = bundleInstallScript(`cat '${join(dir, "bundle")}'`);
  const run = spawnSync("sh", ["-c", script], { encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("secret-store bundles", () => {
  let scratch: string;
  beforeEach(() => (scratch = mkdtempSync(join(tmpdir(), "k8s-pki-bundle-"))));
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it("is {files: {path: {content, mode}}} JSON, and counts its bytes", () => {
    const bundle = renderNodeBundle(filesUnder("/r"));
    const doc = JSON.parse(bundle.content);
    assert.deepEqual(Object.keys(doc.files), ["/r/etc/kubernetes/pki/apiserver.key", "/r/etc/kubernetes/pki/ca.crt", "/r/var/lib/kubelet/pki/kubelet.key"]);
    assert.deepEqual(doc.files["/r/etc/kubernetes/pki/apiserver.key"], { content: SECRET, mode: "0600" });
    assert.equal(bundle.bytes, Buffer.byteLength(bundle.content));
  });

  it("gzips to base64 that decompresses to the same JSON, counting the gzip bytes", () => {
    const json = renderNodeBundle(filesUnder("/r"));
    const gz = renderNodeBundle(filesUnder("/r"), { encoding: "gzip" });
    const bytes = Buffer.from(gz.content, "base64");
    assert.equal(gunzipSync(bytes).toString("utf8"), json.content);
    assert.equal(gz.bytes, bytes.length);
  });

  for (const encoding of ["json", "gzip"] as const) {
    it(`installs a ${encoding} bundle with the user-data snippet: contents and modes exact, nothing secret printed`, () => {
      const files = filesUnder(scratch);
      const run = install(renderNodeBundle(files, { encoding }).content, scratch);
      assert.equal(run.status, 0, run.stderr);
      for (const file of files) {
        assert.equal(readFileSync(file.path, "utf8"), file.content);
        assert.equal((statSync(file.path).mode & 0o777).toString(8).padStart(4, "0"), file.mode, file.path);
      }
      assert.doesNotMatch(run.stdout + run.stderr, /TOP-SECRET|PRIVATE KEY/);
      assert.match(run.stdout, /kubernetes-pki: wrote .*apiserver\.key/);
    });
  }

  it("fails, writing nothing, when the fetch fails", () => {
    const script = bundleInstallScript("false");
    const run = spawnSync("sh", ["-c", script], { encoding: "utf8" });
    assert.notEqual(run.status, 0);
  });

  it("is a valid POSIX shell script without tracing", () => {
    const script = bundleInstallScript(awsSecretsManagerFetchCommand("prod/pki/cp-1"));
    assert.equal(spawnSync("sh", ["-n", "-c", script]).status, 0);
    assert.doesNotMatch(script, /set -x|set -o xtrace|echo "?\$/);
    assert.match(script, /aws secretsmanager get-secret-value --secret-id 'prod\/pki\/cp-1' --query SecretString --output text \| python3/);
    assert.match(awsSecretsManagerFetchCommand("x", "gzip"), /--query SecretBinary/);
  });

  describe("of a real stack", function () {
    this.timeout(600_000);
    let pki: KubernetesPki;
    before(async () => {
      await pulumi.runtime.setMocks(new TlsEmulator(), "kubernetes-pki", "test", false);
      pki = new KubernetesPki("t", sampleArgs());
    });

    it("holds exactly the node's files and is secret", async () => {
      const [bundle, files] = await unwrap(pulumi.all([pki.nodeBundle("cp-1"), pki.nodeFiles("cp-1")]));
      assert.deepEqual(JSON.parse(bundle).files, Object.fromEntries(Object.values(files).sort((a, b) => a.path.localeCompare(b.path)).map((f) => [f.path, { content: f.content, mode: f.mode }])));
      assert.equal(await pulumi.isSecret(pki.nodeBundle("cp-1")), true);
    });

    it("reports every node's bundle size; an RSA control-plane node fits AWS Secrets Manager, gzip shrinks it by a third or more", async () => {
      const sizes = await unwrap(pki.bundleSizes);
      assert.deepEqual(Object.keys(sizes), ["cp-1", "cp-2", "cp-3", "worker-1", "worker-2"]);
      const json = await unwrap(pki.nodeBundle("cp-1", { maxBytes: SECRET_STORE_LIMITS.awsSecretsManager }));
      assert.equal(sizes["cp-1"], Buffer.byteLength(json));
      const gz = await unwrap(pki.nodeBundle("cp-1", { encoding: "gzip" }));
      assert.ok(Buffer.from(gz, "base64").length < (Buffer.byteLength(json) * 2) / 3);
    });

    it("fails with the node, its size and the limit when over maxBytes", async () => {
      const bundle = (pki.nodeBundle("worker-1", { maxBytes: SECRET_STORE_LIMITS.azureKeyVault / 4 }) as unknown as { promise(): Promise<string> }).promise();
      await assert.rejects(bundle, /KubernetesPki "t": the secret-store bundle of node "worker-1" is \d+ bytes, over bundles\.maxBytes 6400/);
    });

    it("rejects an unknown encoding, naming it", () => {
      assert.throws(() => pki.nodeBundle("cp-1", { encoding: "zip" as never }), /nodeBundle options\.encoding: "zip" is not supported; use one of json, gzip/);
    });
  });
});
