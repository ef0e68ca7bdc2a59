import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Manifest, ManifestFile } from "../../offline/manifest";
import { REPO_ROOT } from "./harness/cli";
import { deployTree, DeployedTree } from "./harness/engineTree";

const STACK_FILE = "Pulumi.e2e.yaml";

/** Runs an npm script of the repository as a user would; returns its output, or throws with it. */
function npmRun(script: string, args: readonly string[]): { status: number | null; stdout: string } {
  const run = spawnSync("npm", ["run", "--silent", script, "--", ...args], {
    cwd: REPO_ROOT, encoding: "utf8", timeout: 300_000, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
  });
  if (run.error) throw run.error;
  return { status: run.status, stdout: `${run.stdout}${run.stderr}` };
}

/** What must agree between two trees for one file: everything but key bytes, digests, serials and instants. */
function comparable(file: ManifestFile): object {
  const c = file.certificate;
  return {
    node: file.node, path: file.path, treePath: file.treePath, mode: file.mode, kind: file.kind, row: file.row,
    ...(c && {
      certificate: {
        row: c.row, issuingCa: c.issuingCa, subject: c.subject, issuer: c.issuer, dnsNames: c.dnsNames, ipAddresses: c.ipAddresses,
        validityHours: (Date.parse(c.notAfter) - Date.parse(c.notBefore)) / 3_600_000,
      },
    }),
  };
}

const manifestOf = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;

describe(`emulator fidelity: ${STACK_FILE} rendered offline and deployed by the Pulumi engine`, () => {
  const dir = mkdtempSync(join(tmpdir(), "k8s-pki-fidelity-"));
  const offline = join(dir, "offline");
  const engine = join(dir, "engine");
  let deployed: DeployedTree | undefined;

  before(async () => {
    const render = npmRun("render", ["--config", STACK_FILE, "--out", offline]);
    assert.equal(render.status, 0, render.stdout);
    deployed = await deployTree(STACK_FILE, engine);
  });
  after(() => {
    deployed?.engine.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, tree] of [["offline render", offline], ["engine deployment", engine]]) {
    it(`check finds the ${name}'s tree clean`, () => {
      const check = npmRun("check", [tree]);
      assert.equal(check.status, 0, check.stdout);
    });
  }

  it("the two manifests agree in every file, path, mode, subject, issuer, SAN and validity period", () => {
    const [a, b] = [manifestOf(offline), manifestOf(engine)];
    assert.ok(a.files.length > 50, `${a.files.length} files`);
    assert.deepEqual(b.files.map(comparable), a.files.map(comparable));
  });

  it("the trees hold different key material: the engine made its own keys", () => {
    const key = "nodes/cp-1/etc/kubernetes/pki/ca.key";
    assert.notEqual(readFileSync(join(engine, key), "utf8"), readFileSync(join(offline, key), "utf8"));
  });
});
