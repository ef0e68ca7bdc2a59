/**
 * Importing this module first makes a command start faster: the JavaScript modules it loads from
 * disk are compiled from V8 code caches kept in `<cache home>/kubernetes-pki/` (`$XDG_CACHE_HOME`,
 * else `~/.cache`) instead of from source. A render loads some 700 modules (`@pulumi/pulumi`, grpc,
 * protobuf, TypeScript for closure serialisation); compiling them is about a fifth of a small render.
 *
 * One file per Node version and V8 flag set holds the caches of the modules the tools loaded, each
 * keyed by path, length and CRC-32 of the source, so an edited or upgraded module is compiled from
 * source again. The file is rewritten (to a temporary name, then renamed) only when a run compiled
 * something it did not hold, with the code V8 compiled during that run; it keeps what other runs
 * loaded (the check's modules beside the render's) but no older version of a module this run
 * loaded, and past {@link MAX_CACHE_BYTES} only this run's modules. It holds compiled library code,
 * never data: no key, certificate or config. Any failure
 * (no home, a read-only disk, a corrupt file) only means compiling from source. Deleting the
 * directory is always safe. `KUBERNETES_PKI_COMPILE_CACHE=off` turns it off.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import Module from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { Script } from "node:vm";
import { crc32 } from "node:zlib";

/** Node's CommonJS loader internals this module replaces or calls. */
interface Loader {
  prototype: { _compile(this: LoadedModule, content: string, filename: string): unknown };
  _extensions: Record<string, (module: LoadedModule, filename: string) => void>;
  _resolveFilename(request: string, parent: LoadedModule, isMain: boolean, options?: { paths?: string[] }): string;
  _resolveLookupPaths(request: string, parent: LoadedModule): string[] | null;
  _cache: Record<string, unknown>;
  wrap(content: string): string;
}

/** A module being loaded, as the loader passes it. */
interface LoadedModule {
  exports: unknown;
  require(id: string): unknown;
}

/** One cached module: the key it was stored under and V8's code cache. */
type CacheEntries = Map<string, Buffer>;

/**
 * `@pulumi/pulumi` turns this V8 flag on when it loads (closure serialisation needs it). V8 accepts
 * a code cache only under the flags it was made with, so it is on from the start: every module is
 * then compiled, and its cache made, under the same flags.
 */
const PULUMI_V8_FLAG = "--allow-natives-syntax";

/**
 * The command-line options that may change how V8 compiles (`--max-semi-space-size=64`, …): every
 * `--name[=value]` but those naming code to run (`--require`, `--eval`, …), whose values differ
 * from run to run.
 */
function engineFlags(): string[] {
  return process.execArgv.filter((arg) => /^--[a-z0-9-]+(=.*)?$/.test(arg) && !/^--(require|import|loader|eval|print)\b/.test(arg));
}

/** `import(` not right after a name character or a dot: a dynamic import, or that text in a string or comment. */
const IMPORT_CALL = /(?:^|[^\w$.])import\s*\(/gm;

/**
 * Whether a module may call `import()`. Such modules are compiled by Node as usual: in Node 20 a
 * script compiled from a code cache loses its dynamic-import callback
 * (`ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING`). An `import(` after an odd number of one kind of quote
 * on its line is taken to be inside a string (TypeScript's compiler has such messages) and ignored;
 * anything else, comments included, counts as a call.
 */
function mayImportDynamically(source: string): boolean {
  for (const match of source.matchAll(IMPORT_CALL)) {
    const lineStart = source.lastIndexOf("\n", match.index) + 1;
    const before = source.slice(lineStart, match.index + 1);
    const insideString = ['"', "'", "`"].some((quote) => before.split(quote).length % 2 === 0);
    if (!insideString) return true;
  }
  return false;
}

/** Beyond this size a rewrite keeps only the modules of the run that rewrites it. */
const MAX_CACHE_BYTES = 64 * 2 ** 20;

/** The cache file of this Node version and flag set, or `undefined` when there is no home to keep it in. */
function cacheFile(): string | undefined {
  const home = process.env.XDG_CACHE_HOME || (homedir() ? join(homedir(), ".cache") : "");
  if (!home) return undefined;
  const flags = crc32([...engineFlags(), PULUMI_V8_FLAG].join("\0")).toString(16);
  return join(home, "kubernetes-pki", `compile-cache-node${process.versions.node}-${process.arch}-${flags}.bin`);
}

/** The key a module's cache is stored under: its path, and its source's length and CRC-32. */
function keyOf(filename: string, content: string): string {
  return `${filename}\0${content.length}\0${crc32(content)}`;
}

/** The path part of a {@link keyOf} key. */
function filenameOf(key: string): string {
  return key.slice(0, key.indexOf("\0"));
}

/**
 * What a run that compiled something new writes: the stored entries of modules it did not load, then
 * what it used and compiled; only the latter past {@link MAX_CACHE_BYTES}.
 */
function entriesToKeep(stored: CacheEntries, thisRun: CacheEntries): CacheEntries {
  const loaded = new Set([...thisRun.keys()].map(filenameOf));
  const kept: CacheEntries = new Map([...stored].filter(([key]) => !loaded.has(filenameOf(key))));
  for (const [key, data] of thisRun) kept.set(key, data);
  const bytes = [...kept.values()].reduce((sum, data) => sum + data.length, 0);
  return bytes > MAX_CACHE_BYTES ? thisRun : kept;
}

/** Reads a cache file: a count, then per entry a key and its data, each prefixed by its length (32-bit LE). */
function readEntries(file: string): CacheEntries {
  const entries: CacheEntries = new Map();
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return entries;
  }
  try {
    let at = 0;
    const take = (length: number): Buffer => {
      if (at + length > bytes.length) throw new RangeError("truncated");
      const part = bytes.subarray(at, at + length);
      at += length;
      return part;
    };
    const count = take(4).readUInt32LE(0);
    for (let i = 0; i < count; i++) {
      const key = take(take(4).readUInt32LE(0)).toString("utf8");
      entries.set(key, take(take(4).readUInt32LE(0)));
    }
    return entries;
  } catch {
    return new Map();
  }
}

/** Writes `entries` to `file` in the format {@link readEntries} reads, through a temporary file renamed into place. */
function writeEntries(file: string, entries: CacheEntries): void {
  const length = (n: number): Buffer => {
    const field = Buffer.alloc(4);
    field.writeUInt32LE(n, 0);
    return field;
  };
  const parts = [length(entries.size)];
  for (const [key, data] of entries) {
    const keyBytes = Buffer.from(key, "utf8");
    parts.push(length(keyBytes.length), keyBytes, length(data.length), data);
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, Buffer.concat(parts), { mode: 0o600 });
  renameSync(temporary, file);
}

/**
 * A `require` for a module compiled here, as Node gives each module: resolution relative to it, the
 * shared module cache and extensions.
 */
function requireFor(module: LoadedModule, loader: Loader): NodeJS.Require {
  const load = ((id: string) => module.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: { paths?: string[] }) =>
    loader._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => loader._resolveLookupPaths(request, module);
  load.resolve = resolve;
  load.main = require.main;
  load.extensions = loader._extensions as unknown as NodeJS.RequireExtensions;
  load.cache = loader._cache as NodeJS.Dict<NodeModule>;
  return load;
}

/** Installs the cache for this process (see the module comment). */
function install(): void {
  const file = cacheFile();
  if (file === undefined) return;
  setFlagsFromString(PULUMI_V8_FLAG);
  const loader = Module as unknown as Loader;
  const stored = readEntries(file);
  const used: CacheEntries = new Map();
  const compiledHere = new Map<string, Script>();
  const compileFromSource = loader.prototype._compile;
  const loadJs = loader._extensions[".js"];
  let loadingFromDisk: string | undefined;
  loader._extensions[".js"] = (module, filename) => {
    loadingFromDisk = filename;
    loadJs(module, filename);
  };
  loader.prototype._compile = function compile(this: LoadedModule, content: string, filename: string): unknown {
    const fromDisk = filename === loadingFromDisk;
    loadingFromDisk = undefined;
    if (!fromDisk || mayImportDynamically(content)) return compileFromSource.call(this, content, filename);
    const key = keyOf(filename, content);
    const cachedData = stored.get(key);
    const source = content.startsWith("#!") ? `//${content.slice(2)}` : content;
    const script = new Script(loader.wrap(source), { filename, cachedData });
    if (cachedData !== undefined && !script.cachedDataRejected) used.set(key, cachedData);
    else compiledHere.set(key, script);
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, requireFor(this, loader), this, filename, dirname(filename));
  };
  process.once("exit", () => {
    if (compiledHere.size === 0) return;
    try {
      for (const [key, script] of compiledHere) used.set(key, script.createCachedData());
      writeEntries(file, entriesToKeep(stored, used));
    } catch {
      // Not kept: the next run compiles from source again.
    }
  });
}

if (process.env.KUBERNETES_PKI_COMPILE_CACHE !== "off") install();
