import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REPO_ROOT = join(__dirname, "..");

/**
 * Runs `node` with the compile cache installed first, as the tools do, then requires `module` and
 * prints what it exports; returns stdout.
 */
function runWithCache(cacheHome: string, module: string, env: NodeJS.ProcessEnv = {}): string {
  const script = `require(${JSON.stringify(join(REPO_ROOT, "offline", "compileCache.ts"))});`
    + `console.log(require(${JSON.stringify(module)}).value);`;
  const run = spawnSync(process.execPath, ["-r", "ts-node/register", "-e", script], {
    cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, XDG_CACHE_HOME: cacheHome, ...env },
  });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim();
}

/** The cache files under a cache home. */
function cacheFiles(cacheHome: string): string[] {
  try {
    return readdirSync(join(cacheHome, "kubernetes-pki")).map((name) => join(cacheHome, "kubernetes-pki", name));
  } catch {
    return [];
  }
}

describe("compile cache (offline/compileCache.ts)", function () {
  this.timeout(120_000);
  let work: string;
  let cacheHome: string;
  let module: string;

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), "kpki-compile-cache-"));
    cacheHome = join(work, "cache");
    module = join(work, "answer.js");
    writeFileSync(module, "exports.value = 'first';\n");
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it("keeps the code of the modules a run loaded, private to the user, and reuses it without rewriting", () => {
    assert.equal(runWithCache(cacheHome, module), "first");
    const [file] = cacheFiles(cacheHome);
    assert.ok(file !== undefined, "no cache file written");
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(cacheHome, "kubernetes-pki")).mode & 0o777, 0o700);
    const written = statSync(file).mtimeMs;
    assert.equal(runWithCache(cacheHome, module), "first");
    assert.equal(statSync(file).mtimeMs, written, "a run that compiled nothing new rewrote the cache");
  });

  it("keeps what another command loaded, so two commands do not rewrite it in turn", () => {
    const other = join(work, "other.js");
    writeFileSync(other, "exports.value = 'second';\n");
    runWithCache(cacheHome, module);
    assert.equal(runWithCache(cacheHome, other), "second");
    const [file] = cacheFiles(cacheHome);
    const written = statSync(file).mtimeMs;
    runWithCache(cacheHome, module);
    runWithCache(cacheHome, other);
    assert.equal(statSync(file).mtimeMs, written, "the cache was rewritten by a command whose modules it held");
  });

  it("compiles an edited module from its new source, even at the same length", () => {
    runWithCache(cacheHome, module);
    writeFileSync(module, "exports.value = 'other';\n");
    assert.equal(runWithCache(cacheHome, module), "other");
  });

  it("starts from source when the cache file is corrupt, and replaces it", () => {
    runWithCache(cacheHome, module);
    const [file] = cacheFiles(cacheHome);
    writeFileSync(file, Buffer.from([0xff, 0xff, 0xff, 0x7f, 1, 2, 3]));
    assert.equal(runWithCache(cacheHome, module), "first");
    assert.ok(statSync(file).size > 7, "the corrupt cache was not replaced");
  });

  it("leaves dynamic import() working in the modules it compiles", () => {
    writeFileSync(module, "exports.value = 'pending'; import('node:path').then((path) => console.log(typeof path.join));\n");
    for (let run = 0; run < 2; run++) {
      assert.deepEqual(runWithCache(cacheHome, module).split("\n"), ["pending", "function"]);
    }
  });

  it("writes nothing when turned off", () => {
    assert.equal(runWithCache(cacheHome, module, { KUBERNETES_PKI_COMPILE_CACHE: "off" }), "first");
    assert.deepEqual(cacheFiles(cacheHome), []);
  });
});
