import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { KubernetesPki, KubernetesPkiArgs, KubernetesPkiInputError, NodeFile, USER_DATA_LIMITS, renderCloudInit } from "../components";
import { TlsEmulator } from "../offline/tlsEmulator";
import { unwrap } from "./helpers/unwrap";
import { fakePem } from "./helpers/fakePem";

/** cloud-init's own interpreter (Debian's python3), which can import its modules. */
const CLOUD_INIT_PYTHON = "/usr/bin/python3";
const TOOLS_HINT = "install the test tools with .ci/install-test-tools.sh";

/** Runs cloud-init's schema validator on a document. */
function cloudInitSchema(document: string): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "k8s-pki-schema-"));
  try {
    writeFileSync(join(dir, "user-data"), document);
    const run = spawnSync("cloud-init", ["schema", "--config-file", join(dir, "user-data")], { encoding: "utf8" });
    if (run.error) throw new Error(`cloud-init is not available (${run.error.message}); ${TOOLS_HINT}`);
    return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Lays a document's write_files down under `root` with cloud-init's own `cc_write_files.write_files`
 * (paths re-rooted), as a node would at boot.
 */
function writeWithCloudInit(document: string, root: string): void {
  const script = [
    "import json, sys",
    "from cloudinit.config.cc_write_files import write_files",
    "doc, root = json.load(sys.stdin), sys.argv[1]",
    "files = [dict(f, path=root + f['path']) for f in doc['write_files']]",
    "write_files('write_files', files, 'root:root')",
  ].join("\n");
  const run = spawnSync(CLOUD_INIT_PYTHON, ["-c", script, root], { input: JSON.stringify(parse(document)), encoding: "utf8" });
  if (run.error) throw new Error(`${CLOUD_INIT_PYTHON} is not available; ${TOOLS_HINT}`);
  assert.equal(run.status, 0, `cloud-init write_files failed (${TOOLS_HINT}?): ${run.stderr}`);
}

const FILES: NodeFile[] = [
  { path: "/etc/kubernetes/pki/ca.crt", content: fakePem("CERTIFICATE", "MIIB"), mode: "0644" },
  { path: "/etc/kubernetes/pki/apiserver.key", content: fakePem("EC PRIVATE KEY", "MHc"), mode: "0600" },
  { path: "/etc/kubernetes/admin.conf", content: "apiVersion: v1\nkind: Config\nusers:\n- name: \"a: b\"\n", mode: "0600" },
];

describe("cloud-init user-data (pure)", () => {
  it("writes every file with owner root:root, its permissions and its exact content", () => {
    const doc = renderCloudInit(FILES);
    assert.ok(doc.content.startsWith("#cloud-config\n"));
    const entries = parse(doc.content).write_files as Record<string, string>[];
    assert.equal(entries.length, FILES.length);
    for (const file of FILES) {
      const entry = entries.find((e) => e.path === file.path);
      assert.deepEqual(entry, { path: file.path, owner: "root:root", permissions: file.mode, content: file.content });
    }
    assert.equal(doc.bytes, Buffer.byteLength(doc.content));
  });

  it("gzips each file with encoding gz+b64, decompressing to the same bytes", () => {
    const entries = parse(renderCloudInit(FILES, { compression: "files" }).content).write_files as Record<string, string>[];
    for (const file of FILES) {
      const entry = entries.find((e) => e.path === file.path)!;
      assert.equal(entry.encoding, "gz+b64");
      assert.equal(gunzipSync(Buffer.from(entry.content, "base64")).toString("utf8"), file.content);
    }
  });

  it("gzips the whole document for clouds that take binary user-data, and counts the gzip bytes", () => {
    const plain = renderCloudInit(FILES);
    const packed = renderCloudInit(FILES, { compression: "document" });
    const bytes = Buffer.from(packed.content, "base64");
    assert.equal(gunzipSync(bytes).toString("utf8"), plain.content);
    assert.equal(packed.bytes, bytes.length);
  });

  it("merges the user's cloud-config: their keys kept, their files first", () => {
    const doc = parse(
      renderCloudInit(FILES, { cloudConfig: { runcmd: ["systemctl restart kubelet"], write_files: [{ path: "/etc/motd", content: "hi" }] } }).content,
    );
    assert.deepEqual(doc.runcmd, ["systemctl restart kubelet"]);
    assert.equal(doc.write_files[0].path, "/etc/motd");
    assert.equal(doc.write_files.length, FILES.length + 1);
  });

  it("renders the same bytes for the same files in any order", () => {
    assert.equal(renderCloudInit(FILES).content, renderCloudInit([...FILES].reverse()).content);
  });
});

describe("cloud-init user-data of real stacks", function () {
  this.timeout(600_000);
  const stacks: [string, KubernetesPkiArgs][] = [
    [
      "the sample stack (RSA)",
      { controlPlaneEndpoint: "api.dev.example.com:6443", controlPlane: [{ name: "cp-1", address: "10.0.0.11" }, { name: "cp-2", address: "10.0.0.12" }], workers: [{ name: "worker-1", address: "10.0.1.21" }] },
    ],
    [
      "a larger ECDSA stack",
      {
        encryptionAlgorithm: "ECDSA-P384",
        apiServer: { certSANs: ["api.example.com", "*.api.example.com", "192.0.2.10"] },
        controlPlane: ["cp-1", "cp-2", "cp-3", "cp-4", "cp-5"].map((name, i) => ({ name, address: `10.1.0.${i + 1}` })),
        workers: Array.from({ length: 6 }, (_, i) => ({ name: `worker-${i + 1}`, address: `10.1.1.${i + 1}` })),
      },
    ],
  ];

  for (const [title, args] of stacks) {
    describe(title, () => {
      let pki: KubernetesPki;
      let files: Record<string, Record<string, NodeFile>>;
      let userData: Record<string, string>;
      let sizes: Record<string, number>;
      before(async () => {
        await pulumi.runtime.setMocks(new TlsEmulator(), "kubernetes-pki", "test", false);
        pki = new KubernetesPki("t", args);
        [files, userData, sizes] = await unwrap(pulumi.all([pki.files, pki.userData, pki.userDataSizes]));
      });

      it("passes cloud-init's schema validator for every node", () => {
        for (const [node, doc] of Object.entries(userData)) {
          const result = cloudInitSchema(doc);
          assert.ok(result.ok, `${node}: ${result.output}`);
        }
      });

      it("lays down every node's files byte for byte with their modes, through cloud-init's own writer", () => {
        for (const [node, doc] of Object.entries(userData)) {
          const root = mkdtempSync(join(tmpdir(), `k8s-pki-root-${node}-`));
          try {
            writeWithCloudInit(doc, root);
            for (const file of Object.values(files[node])) {
              assert.equal(readFileSync(join(root, file.path), "utf8"), file.content, `${node} ${file.path}`);
              assert.equal((statSync(join(root, file.path)).mode & 0o777).toString(8).padStart(4, "0"), file.mode, `${node} ${file.path}`);
            }
          } finally {
            rmSync(root, { recursive: true, force: true });
          }
        }
      });

      it("reports each node's user-data size in bytes", () => {
        for (const [node, doc] of Object.entries(userData)) assert.equal(sizes[node], Buffer.byteLength(doc), node);
      });

      it("fits Azure's 64 KiB custom data once gzipped", async () => {
        for (const node of pki.nodeNames) {
          const packed = await unwrap(pki.cloudInit(node, { compression: "document", maxBytes: USER_DATA_LIMITS.azure }));
          assert.ok(Buffer.from(packed, "base64").length <= USER_DATA_LIMITS.azure, node);
        }
      });

      it("is secret, and its sizes are not", async () => {
        assert.equal(await pulumi.isSecret(pki.userData), true);
        assert.equal(await pulumi.isSecret(pki.cloudInit("cp-1")), true);
        assert.equal(await pulumi.isSecret(pki.userDataSizes), false);
      });

      it("lays down the same files from per-file gzip user-data", async () => {
        const doc = await unwrap(pki.cloudInit("cp-1", { compression: "files" }));
        assert.ok(cloudInitSchema(doc).ok);
        const root = mkdtempSync(join(tmpdir(), "k8s-pki-root-gz-"));
        try {
          writeWithCloudInit(doc, root);
          for (const file of Object.values(files["cp-1"])) assert.equal(readFileSync(join(root, file.path), "utf8"), file.content);
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      });
    });
  }

  it("fails with the node, its size and the limit when a node's user-data is over maxBytes", async () => {
    await pulumi.runtime.setMocks(new TlsEmulator(), "kubernetes-pki", "test", false);
    const pki = new KubernetesPki("big", stacks[0][1]);
    const bytes = (await unwrap(pki.userDataSizes))["worker-1"];
    const doc = (pki.cloudInit("worker-1", { maxBytes: bytes - 1 }) as unknown as { promise(): Promise<unknown> }).promise();
    await assert.rejects(doc, new RegExp(`KubernetesPki "big": the user-data of node "worker-1" is ${bytes} bytes, over userData\\.maxBytes ${bytes - 1}; compress it`));
  });

  it("refuses at construction, before any resource, nodes that cannot fit the limit whatever their keys", async () => {
    const emulator = new TlsEmulator();
    await pulumi.runtime.setMocks(emulator, "kubernetes-pki", "test", false);
    const args = { ...stacks[0][1], userData: { compression: "document" as const, maxBytes: USER_DATA_LIMITS.ec2 } };
    assert.throws(() => new KubernetesPki("ec2", args), (e: KubernetesPkiInputError) => {
      assert.deepEqual(e.problems.map((p) => /node "([^"]+)"/.exec(p)?.[1]), ["cp-1", "cp-2"]);
      assert.match(e.problems[0], /^userData\.maxBytes: 16384 cannot hold node "cp-1", whose user-data takes at least \d+ bytes with RSA-2048 keys and compression "document"/);
      return true;
    });
    assert.deepEqual(emulator.resources.filter((r) => r.type.startsWith("tls:")), []);
  });

  it("fits every node of an ECDSA stack into EC2's 16 KiB once the document is gzipped", async () => {
    await pulumi.runtime.setMocks(new TlsEmulator(), "kubernetes-pki", "test", false);
    const args = { ...stacks[0][1], encryptionAlgorithm: "ECDSA-P256" as const, userData: { compression: "document" as const, maxBytes: USER_DATA_LIMITS.ec2 } };
    const sizes = await unwrap(new KubernetesPki("ec2", args).userDataSizes);
    for (const [node, bytes] of Object.entries(sizes)) assert.ok(bytes <= USER_DATA_LIMITS.ec2, `${node}: ${bytes}`);
  });

  it("rejects a user cloud-config that writes a PKI path, at construction", async () => {
    await pulumi.runtime.setMocks(new TlsEmulator(), "kubernetes-pki", "test", false);
    const args = { ...stacks[0][1], userData: { cloudConfig: { write_files: [{ path: "/etc/kubernetes/admin.conf", content: "x" }] } } };
    assert.throws(() => new KubernetesPki("t", args), (e: KubernetesPkiInputError) =>
      e.problems.includes('userData.cloudConfig.write_files: "/etc/kubernetes/admin.conf" is a file the PKI writes; choose another path'));
  });

  it("rejects an unknown compression and a bad limit, naming the field", async () => {
    await pulumi.runtime.setMocks(new TlsEmulator(), "kubernetes-pki", "test", false);
    const args = { ...stacks[0][1], userData: { compression: "zstd" as never, maxBytes: -1 } };
    assert.throws(() => new KubernetesPki("t", args), /userData\.compression: "zstd" is not supported; use one of none, files, document[\s\S]*userData\.maxBytes: -1 is not a positive whole number of bytes/);
  });
});
