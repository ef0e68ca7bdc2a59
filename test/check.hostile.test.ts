import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runProgram } from "../offline/runProgram";
import { readStackConfig } from "../offline/stackConfig";
import { copyTree, problemLines, RunResult, runCheck, TempDirs, writeRenderedTree } from "./helpers/checkTree";
import { writeStack } from "./helpers/renderCli";

const PKI = "nodes/cp-1/etc/kubernetes/pki";
const KUBE = "nodes/cp-1/etc/kubernetes";

/** Base64 windows of every private key of a tree (key files and kubeconfigs' client-key-data): none may be printed. */
function keyFragments(tree: string, files: readonly string[]): string[] {
  const bodies = files.map((file) => {
    const text = readFileSync(join(tree, file), "utf8");
    const data = /client-key-data: (\S+)/.exec(text)?.[1];
    const pem = data === undefined ? text : Buffer.from(data, "base64").toString("utf8");
    return [pem.replace(/-----[^-]+-----|\s/g, ""), data ?? ""];
  });
  return bodies.flat().flatMap((body) => Array.from({ length: Math.floor(body.length / 12) - 1 }, (_, i) => body.slice(i * 12, i * 12 + 24)));
}

function assertNoKeyMaterial(run: RunResult, fragments: readonly string[]): void {
  const output = run.stdout + run.stderr;
  assert.doesNotMatch(output, /PRIVATE KEY/);
  const leaked = fragments.find((fragment) => output.includes(fragment));
  assert.equal(leaked, undefined, "a fragment of a private key was printed");
}

describe("check on a hostile tree", function () {
  this.timeout(600_000);
  const temp = new TempDirs();
  let tree: string;
  let fragments: string[];
  let text: RunResult;
  let json: RunResult;

  before(async () => {
    const work = temp.make("hostile");
    const stack = writeStack(work, "hostile", {
      encryptionAlgorithm: "ECDSA-P256",
      controlPlane: [{ name: "cp-1", address: "127.0.0.11" }],
      workers: [{ name: "w-1" }, { name: "w-2" }],
    });
    const pristine = join(work, "pristine");
    await writeRenderedTree(await runProgram(readStackConfig(stack)), pristine);
    tree = join(work, "tree");
    copyTree(pristine, tree);
    fragments = keyFragments(pristine, [`${PKI}/ca.key`, `${PKI}/apiserver.key`, `${KUBE}/admin.conf`, "admin/super-admin.conf", `${KUBE}/scheduler.conf`]);

    const outside = join(work, "outside.key");
    writeFileSync(outside, readFileSync(join(pristine, `${PKI}/sa.key`)));
    rmSync(join(tree, `${PKI}/sa.key`));
    symlinkSync(outside, join(tree, `${PKI}/sa.key`));
    rmSync(join(tree, `${PKI}/front-proxy-client.key`));
    execFileSync("mkfifo", [join(tree, `${PKI}/front-proxy-client.key`)]);
    rmSync(join(tree, `${PKI}/etcd/ca.crt`));
    symlinkSync("/dev/zero", join(tree, `${PKI}/etcd/ca.crt`));
    writeFileSync(join(tree, `${PKI}/apiserver.crt`), Buffer.alloc(2 * 1024 * 1024, 0x41));

    const admin = readFileSync(join(pristine, `${KUBE}/admin.conf`), "utf8");
    const keyData = /client-key-data: (\S+)/.exec(admin)![1];
    const blockKey = Buffer.from(keyData, "base64").toString("utf8").replace(/^/gm, "      ");
    writeFileSync(join(tree, `${KUBE}/admin.conf`), admin.replace(/client-key-data: \S+/, `client-key-data: |\n${blockKey}\n  : - ]: [bad`));
    const superAdmin = readFileSync(join(pristine, "admin/super-admin.conf"), "utf8");
    writeFileSync(join(tree, "admin/super-admin.conf"), superAdmin.replace("client-key-data: ", "client-key-data: !vault "));
    const scheduler = readFileSync(join(pristine, `${KUBE}/scheduler.conf`), "utf8");
    writeFileSync(join(tree, `${KUBE}/scheduler.conf`), scheduler.replace(/current-context: .*/, `current-context: ${/client-key-data: (\S+)/.exec(scheduler)![1]}`));

    rmSync(join(tree, "nodes/w-1"), { recursive: true });
    mkdirSync(join(tree, "nodes/w-1"));
    rmSync(join(tree, "nodes/w-2"), { recursive: true });
    symlinkSync(join(pristine, "nodes/w-2"), join(tree, "nodes/w-2"));

    text = runCheck([tree]);
    json = runCheck([tree, "--json"]);
  });
  after(() => temp.removeAll());

  const problem = (file: string, message: RegExp): void => {
    const lines = problemLines(text.stdout);
    assert.ok(lines.some((line) => line.includes(`: ${file}: `) && message.test(line)), `no problem for ${file} matching ${message}:\n${lines.join("\n")}`);
  };

  it("finishes with exit status 1 (problems found), text and JSON alike", () => {
    assert.equal(text.status, 1, text.stderr);
    assert.equal(json.status, 1, json.stderr);
    assert.ok(JSON.parse(json.stdout).problems.length > 0);
  });

  it("reports a key linked to a file outside the tree without reading it", () => {
    problem("/etc/kubernetes/pki/sa.key", /is a symbolic link, not a regular file; it was not opened/);
  });

  it("reports a FIFO without opening it", () => problem("/etc/kubernetes/pki/front-proxy-client.key", /is a FIFO, not a regular file/));

  it("reports a link to /dev/zero without opening it", () => problem("/etc/kubernetes/pki/etcd/ca.crt", /is a symbolic link/));

  it("reports a file over the size cap without reading it", () => {
    problem("/etc/kubernetes/pki/apiserver.crt", /is 2097152 bytes, more than the 1048576 a PKI file can be; it was not read/);
  });

  it("reports a kubeconfig that is not YAML by position and error code only", () => {
    problem("/etc/kubernetes/admin.conf", /is not valid YAML \(line \d+, column \d+: [A-Z_]+\)/);
  });

  it("reports an empty node directory", () => problem("nodes/w-1", /holds none of the PKI files$/));

  it("reports a node directory that is a symbolic link without following it", () => problem("nodes/w-2", /is a symbolic link, not a node directory/));

  it("prints no key material, no parser excerpt and no library warning, in text or JSON", () => {
    assertNoKeyMaterial(text, fragments);
    assertNoKeyMaterial(json, fragments);
    assert.doesNotMatch(text.stderr + json.stderr, /Warning|Unresolved tag|!vault/);
    assert.match(text.stdout, /current-context \(a name of \d+ characters\) names no cluster/);
  });
});
