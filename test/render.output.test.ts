import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { KubernetesPkiArgs } from "../components";
import { render, startRender, writeStack } from "./helpers/renderCli";

const SMALL: KubernetesPkiArgs = { encryptionAlgorithm: "ECDSA-P256", controlPlane: [{ name: "cp-1", address: "127.0.0.11" }] };
/** Slow to render (RSA-4096 keys for several nodes), so that it can be interrupted while it runs. */
const SLOW: KubernetesPkiArgs = {
  encryptionAlgorithm: "RSA-4096",
  controlPlane: [1, 2, 3].map((i) => ({ name: `cp-${i}`, address: `127.0.0.1${i}` })),
  workers: [1, 2, 3, 4].map((i) => ({ name: `w-${i}`, address: `127.0.0.2${i}` })),
};
/** Fails validation, after `--out` has been prepared: a cheap run that still cleans up leftovers. */
const INVALID = { controlPlane: [{ name: "cp-1", address: "10.0.0.300" }] };

/** Every entry under `dir` (not following links) with its permission bits, e.g. `nodes/cp-1` → `0700`. */
function modes(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const stat = lstatSync(path);
      found.set(relative(dir, path), (stat.mode & 0o777).toString(8).padStart(4, "0"));
      if (stat.isDirectory()) walk(path);
    }
  };
  found.set(".", (lstatSync(dir).mode & 0o777).toString(8).padStart(4, "0"));
  walk(dir);
  return found;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", "0"]).pid!;
}

const leftovers = (dir: string): string[] => readdirSync(dir).filter((name) => /^\..*\.(partial|previous)-/.test(name));

describe("offline render: --out", function () {
  this.timeout(600_000);
  let scratch: string;
  let small: string;
  let rendered: string;

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), "k8s-pki-out-"));
    small = writeStack(scratch, "small", SMALL);
    rendered = join(scratch, "rendered");
    const run = render(["--config", small, "--out", rendered]);
    assert.equal(run.status, 0, run.stderr);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  /** [what --out is, how to make it, expected message] */
  const REFUSED: [string, () => string, RegExp][] = [
    ["an empty string", () => "", /^--out "": give the directory to write/],
    [".", () => ".", /^--out "\." is .*, the current directory or one above it/],
    ["..", () => "..", /^--out "\.\." is .*, the current directory or one above it/],
    ["a path under a file", () => { writeFileSync(join(scratch, "a-file"), "mine"); return join(scratch, "a-file", "tree"); }, /a-file is not a directory, so nothing can be written under it/],
    ["a file", () => { writeFileSync(join(scratch, "plain"), "mine"); return join(scratch, "plain"); }, /plain" is a file, not a directory/],
    ["a directory in a read-only file system", () => "/proc/kubernetes-pki-tree", /^--out "\/proc\/kubernetes-pki-tree": cannot write in \/proc: /],
    ["a symbolic link to a directory", () => { symlinkSync(rendered, join(scratch, "link")); return join(scratch, "link"); }, /link" is a symbolic link to ".*rendered"; the renderer does not write through or replace links/],
    ["a dangling symbolic link", () => { symlinkSync(join(scratch, "nowhere"), join(scratch, "dangling")); return join(scratch, "dangling"); }, /dangling" is a symbolic link/],
  ];
  for (const [what, make, message] of REFUSED) {
    it(`refuses ${what}, before making any key`, () => {
      const out = make();
      const run = render(["--config", small, "--out", out, "--force"]);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, "");
      assert.deepEqual(leftovers(scratch), []);
    });
  }

  it("keeps a symbolic link and the tree it points to when refusing it", () => {
    assert.ok(lstatSync(join(scratch, "link")).isSymbolicLink());
    assert.ok(existsSync(join(rendered, "manifest.json")));
  });

  it("refuses --force on a directory it did not render, naming what it holds, and leaves it untouched", () => {
    const home = join(scratch, "home");
    mkdirSync(join(home, "Documents"), { recursive: true });
    writeFileSync(join(home, ".bashrc"), "mine");
    const run = render(["--config", small, "--out", home, "--force"]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /home" is not a tree this command rendered: it holds "\.bashrc", "Documents", which a rendered tree does not\. --force replaces only such a tree/);
    assert.deepEqual([...modes(home).keys()].sort(), [".", ".bashrc", "Documents"]);
  });

  it("refuses --force on a rendered tree to which a file was added", () => {
    const tree = join(scratch, "added");
    cpSync(rendered, tree, { recursive: true });
    writeFileSync(join(tree, "nodes/cp-1/notes.txt"), "mine");
    const run = render(["--config", small, "--out", tree, "--force"]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /it holds "nodes\/cp-1\/notes\.txt", which its manifest\.json does not list/);
    assert.equal(readFileSync(join(tree, "nodes/cp-1/notes.txt"), "utf8"), "mine");
  });

  it("refuses --force on a tree-shaped directory without a manifest of its own", () => {
    const fake = join(scratch, "fake");
    mkdirSync(join(fake, "nodes"), { recursive: true });
    writeFileSync(join(fake, "manifest.json"), '{"name": "my-package"}');
    const run = render(["--config", small, "--out", fake, "--force"]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /its manifest\.json is not a manifest this command writes/);
  });

  it("names the file of a config that is a directory, or not YAML", () => {
    mkdirSync(join(scratch, "Pulumi.dir.yaml"));
    const dir = render(["--config", join(scratch, "Pulumi.dir.yaml"), "--out", join(scratch, "x")]);
    assert.equal(dir.status, 1);
    assert.match(dir.stderr, /Pulumi\.dir\.yaml: is a directory; --config takes a stack file/);
    writeFileSync(join(scratch, "Pulumi.broken.yaml"), "config:\n  kubernetes-pki:cluster: [1\n  other: x\n");
    const broken = render(["--config", join(scratch, "Pulumi.broken.yaml"), "--out", join(scratch, "x")]);
    assert.equal(broken.status, 1);
    assert.match(broken.stderr, /Pulumi\.broken\.yaml: not valid YAML \(line \d+, column \d+: [A-Z_]+\): /);
    const missing = render(["--config", join(scratch, "Pulumi.missing.yaml"), "--out", join(scratch, "x")]);
    assert.match(missing.stderr, /Pulumi\.missing\.yaml: ENOENT/);
  });

  it("names the config file in a validation error", () => {
    const run = render(["--config", writeStack(scratch, "typo", { ...SMALL, worker: [] }), "--out", join(scratch, "typo")]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /Pulumi\.typo\.yaml: KubernetesPki "typo" has 1 invalid input\(s\):\n {2}- worker: unknown field; did you mean "workers"\?/);
    assert.ok(!existsSync(join(scratch, "typo")));
    assert.deepEqual(leftovers(scratch), []);
  });

  it("honours a restrictive umask for directories, keeping secret files 0600", () => {
    const out = join(scratch, "umask077");
    const run = render(["--config", small, "--out", out], "077");
    assert.equal(run.status, 0, run.stderr);
    for (const [path, mode] of modes(out)) assert.ok(mode === "0700" || mode === "0600", `${path} is ${mode}`);
  });

  it("keeps keys, kubeconfigs and user-data 0600 under an open umask", () => {
    const out = join(scratch, "umask000");
    const run = render(["--config", small, "--out", out], "000");
    assert.equal(run.status, 0, run.stderr);
    const found = modes(out);
    assert.equal(found.get("."), "0755");
    assert.equal(found.get("nodes/cp-1/etc/kubernetes/pki/ca.crt"), "0644");
    for (const [path, mode] of found) {
      if (/^(nodes|admin|cloud-init)\/.*\.(key|conf|yaml)$/.test(path)) assert.equal(mode, "0600", path);
    }
  });

  it("removes its staging directory when interrupted by SIGTERM or SIGINT, then dies of that signal, leaving --out as it was", async () => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      const out = join(scratch, `interrupted-${signal}`);
      const child = startRender(["--config", writeStack(scratch, "slow", SLOW), "--out", out]);
      let stderr = "";
      child.stderr!.on("data", (chunk) => (stderr += chunk));
      const exited = new Promise<NodeJS.Signals | null>((done) => child.on("exit", (_code, by) => done(by)));
      while (!readdirSync(scratch).some((name) => name.startsWith(`.interrupted-${signal}.partial-`))) {
        await new Promise((wait) => setTimeout(wait, 100));
      }
      await new Promise((wait) => setTimeout(wait, 1000));
      child.kill(signal);
      assert.equal(await exited, signal, stderr);
      assert.match(stderr, new RegExp(`render interrupted by ${signal}: removed `));
      assert.deepEqual(leftovers(scratch), []);
      assert.ok(!existsSync(out));
    }
  });

  it("removes the staging directory of a killed render at the next render of the same target, and says so", () => {
    const stale = join(scratch, `.victim.partial-${deadPid()}-0badcafe`);
    mkdirSync(join(stale, "nodes/cp-1/etc/kubernetes/pki"), { recursive: true });
    writeFileSync(join(stale, "nodes/cp-1/etc/kubernetes/pki/ca.key"), "key material");
    const other = join(scratch, `.bystander.partial-${deadPid()}-0badcafe`);
    mkdirSync(other);
    const run = render(["--config", writeStack(scratch, "invalid", INVALID), "--out", join(scratch, "victim")]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /removed .*\.victim\.partial-\d+-0badcafe, the staging directory of an interrupted render/);
    assert.ok(!existsSync(stale));
    assert.ok(existsSync(other), "a staging directory of another target was removed");
    rmSync(other, { recursive: true });
  });

  it("puts the old tree back when a --force render was killed between its two renames", () => {
    const target = join(scratch, "swapped");
    const aside = join(scratch, `.swapped.previous-${deadPid()}-0badcafe`);
    cpSync(rendered, aside, { recursive: true });
    const run = render(["--config", writeStack(scratch, "invalid", INVALID), "--out", target, "--force"]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /restored .*swapped from .*\.swapped\.previous-\d+-0badcafe/);
    assert.ok(existsSync(join(target, "manifest.json")));
    assert.deepEqual(leftovers(scratch), []);
  });

  it("replaces its own tree with --force, leaving nothing beside it", () => {
    const before = readFileSync(join(rendered, "admin/admin.conf"), "utf8");
    const run = render(["--config", small, "--out", rendered, "--force"]);
    assert.equal(run.status, 0, run.stderr);
    assert.notEqual(readFileSync(join(rendered, "admin/admin.conf"), "utf8"), before);
    assert.deepEqual(leftovers(scratch), []);
  });
});
