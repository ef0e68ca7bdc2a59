import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const REPO_ROOT = resolve(__dirname, "..");
const manifest = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
  name: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
};

/**
 * The package as a user gets it: `npm pack` of the compiled tree, unpacked into a fresh
 * `node_modules`, beside its runtime dependencies (linked from this checkout: no registry needed).
 */
function packedInstall(): string {
  execFileSync(process.execPath, [join(REPO_ROOT, "scripts", "compiled.js")], { stdio: "inherit" });
  const dir = mkdtempSync(join(tmpdir(), "kubernetes-pki-packed-"));
  const tarball = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", dir], { cwd: REPO_ROOT, encoding: "utf8" }).trim();
  const modules = join(dir, "node_modules");
  mkdirSync(join(modules, manifest.name), { recursive: true });
  execFileSync("tar", ["-xzf", join(dir, tarball), "-C", join(modules, manifest.name), "--strip-components=1"]);
  for (const entry of readdirSync(join(REPO_ROOT, "node_modules"))) {
    if (entry !== ".bin" && entry !== manifest.name) symlinkSync(join(REPO_ROOT, "node_modules", entry), join(modules, entry));
  }
  return dir;
}

describe("the published package", function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = packedInstall();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("loads only the component and its SDKs for `require(\"kubernetes-pki\")`: no tool, no emulator, no ASN.1 library", () => {
    const script = `const pki = require("kubernetes-pki");
      if (typeof pki.KubernetesPki !== "function") throw new Error("no KubernetesPki export");
      console.log(JSON.stringify(Object.keys(require.cache)));`;
    const loaded = JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8" })) as string[];
    const own = loaded.filter((path) => path.includes(`/node_modules/${manifest.name}/`));
    assert.ok(own.length > 0 && own.every((path) => path.includes(`/node_modules/${manifest.name}/bin/components/`)), own.join("\n"));
    assert.deepEqual(loaded.filter((path) => /\/(@peculiar|asn1js|pvtsutils)\//.test(path)), []);
  });

  it("publishes the render and check commands, which run from the packed files without loading an ASN.1 library", () => {
    for (const [command, target] of Object.entries(manifest.bin)) {
      assert.match(readFileSync(join(dir, "node_modules", manifest.name, target), "utf8"), /^#!\/usr\/bin\/env node\n/, command);
    }
    const stack = join(dir, "Pulumi.packed.yaml");
    writeFileSync(stack, [
      "config:", "  kubernetes-pki:cluster:", "    encryptionAlgorithm: ECDSA-P256",
      "    controlPlane: [{ name: cp-1, address: 10.0.0.11 }]", "    workers: [{ name: worker-1, address: 10.0.1.21 }]", "",
    ].join("\n"));
    const loadedList = join(dir, "loaded.txt");
    const record = join(dir, "record-loaded.js");
    writeFileSync(record, `process.on("exit", () => require("fs").appendFileSync(${JSON.stringify(loadedList)}, Object.keys(require.cache).join("\\n") + "\\n"));`);
    const run = (name: string, args: string[]): string =>
      execFileSync(process.execPath, ["--require", record, join(dir, "node_modules", manifest.name, manifest.bin[name]), ...args], { cwd: dir, encoding: "utf8" });
    const out = join(dir, "tree");
    run("kubernetes-pki-render", ["--config", stack, "--out", out]);
    assert.match(run("kubernetes-pki-check", [out]), /apiserver/);
    const loaded = readFileSync(loadedList, "utf8").split("\n");
    assert.ok(loaded.some((path) => path.endsWith("/offline/tls/certificate.js")), "the render loaded the tls emulator");
    assert.deepEqual(loaded.filter((path) => /\/(@peculiar|asn1js|pvtsutils|pvutils)\//.test(path)), []);
  });
});
