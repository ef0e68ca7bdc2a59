import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { readRenderedTree } from "../../offline/checks/readTree";
import { checkReport, formatCheckReport } from "../../offline/checks/report";
import { runChecks, sortProblems } from "../../offline/checks/runChecks";
import { RenderedStack, runProgram } from "../../offline/runProgram";
import { readStackConfig } from "../../offline/stackConfig";
import { treeFiles } from "../../offline/tree";
import { writeTree } from "../../offline/writeTree";

/** The repository root, where `offline/check.ts` and `Pulumi.dev.yaml` live. */
export const REPO_ROOT = resolve(__dirname, "..", "..");

let devStack: Promise<RenderedStack> | undefined;

/** `Pulumi.dev.yaml` rendered under the tls emulator, once per test process (it is plain data once resolved). */
export function renderDevStack(): Promise<RenderedStack> {
  devStack ??= runProgram(readStackConfig(join(REPO_ROOT, "Pulumi.dev.yaml")));
  return devStack;
}

/** Temporary directories a suite made; `removeAll` deletes them. */
export class TempDirs {
  private readonly dirs: string[] = [];

  /** A new empty directory under the system's temporary directory. */
  public make(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), `k8s-pki-${prefix}-`));
    this.dirs.push(dir);
    return dir;
  }

  public removeAll(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes a rendered stack as `render` does: `<dir>/nodes/<node>/<path>`, `<dir>/admin/<name>`. */
export function writeRenderedTree(rendered: RenderedStack, dir: string): Promise<void> {
  return writeTree(dir, treeFiles(rendered), true);
}

/** A copy of a tree, modes kept. */
export function copyTree(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
}

/** What a child process printed and how it ended. */
export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the check CLI as a user would (`node -r ts-node/register offline/check.ts …`) from the repository root. */
export function runCheck(args: readonly string[]): RunResult {
  const run = spawnSync(process.execPath, ["-r", "ts-node/register", "offline/check.ts", ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    timeout: 120_000,
    // Type-checking is `npm test`'s job (tsc --noEmit); the child only needs to run.
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
  });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/**
 * The check of a rendered tree run in this process, as `offline/check.ts` runs it with its default
 * options (now, `--warn-within 720h`): its text report and exit status, without a child process.
 */
export function checkInProcess(dir: string): RunResult {
  const { tree, problems: readProblems } = readRenderedTree(dir);
  const options = { now: new Date(), warnWithinHours: 720, apiServerSans: [] };
  const problems = sortProblems(tree, [...readProblems, ...runChecks(tree, options)]);
  return { status: problems.length > 0 ? 1 : 0, stdout: `${formatCheckReport(checkReport(tree, problems, options))}\n`, stderr: "" };
}

/** The problem lines of the check's text output (`<node>: <file>: <message>`), without indentation. */
export function problemLines(stdout: string): string[] {
  const lines = stdout.split("\n");
  const header = lines.findIndex((line) => / problem\(s\) in /.test(line));
  return header < 0 ? [] : lines.slice(header + 1).filter((line) => line.startsWith("  ")).map((line) => line.trim());
}

/** Runs openssl; throws with its output when it fails. */
export function openssl(args: readonly string[], cwd: string): string {
  const run = spawnSync("openssl", args, { cwd, encoding: "utf8" });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`openssl ${args.join(" ")} failed:\n${run.stdout}${run.stderr}`);
  return run.stdout;
}

/** A throwaway self-signed CA made by openssl, with the given CN (e.g. a second `etcd-ca`). */
export function makeCaWithOpenssl(dir: string, commonName: string): { cert: string; key: string } {
  const cert = join(dir, "other-ca.crt");
  const key = join(dir, "other-ca.key");
  openssl(
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", `/CN=${commonName}`, "-days", "365", "-keyout", key, "-out", cert,
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,digitalSignature,keyEncipherment"],
    dir,
  );
  return { cert, key };
}

/** What a certificate re-issued by openssl should say. */
export interface Reissue {
  /** The certificate to re-issue: its subject and key are kept. */
  readonly cert: string;
  /** Its private key (the re-issued certificate keeps the same key). */
  readonly key: string;
  readonly caCert: string;
  readonly caKey: string;
  readonly days: number;
  readonly extendedKeyUsage: "serverAuth" | "clientAuth" | "serverAuth,clientAuth";
  /** `DNS:…`/`IP:…` SANs; none when absent. */
  readonly subjectAltNames?: readonly string[];
  /** Another subject in openssl's form (`/O=…/CN=…`); the certificate's own when absent. */
  readonly subject?: string;
}

/**
 * Re-issues a certificate with openssl, as an operator would by hand: same key and (unless `subject`)
 * subject, kubeadm's leaf extensions, signed by the given CA, written over `cert`.
 */
export function reissueWithOpenssl(r: Reissue, workDir: string): void {
  const csr = join(workDir, "reissue.csr");
  const ext = join(workDir, "reissue.cnf");
  if (r.subject === undefined) openssl(["x509", "-x509toreq", "-in", r.cert, "-signkey", r.key, "-out", csr], workDir);
  else openssl(["req", "-new", "-key", r.key, "-subj", r.subject, "-out", csr], workDir);
  writeFileSync(
    ext,
    [
      "[leaf]",
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      `extendedKeyUsage=${r.extendedKeyUsage}`,
      "authorityKeyIdentifier=keyid:always",
      ...(r.subjectAltNames === undefined ? [] : [`subjectAltName=${r.subjectAltNames.join(",")}`]),
      "",
    ].join("\n"),
  );
  openssl(
    ["x509", "-req", "-in", csr, "-CA", r.caCert, "-CAkey", r.caKey, "-set_serial", String(Date.now()), "-days", String(r.days),
      "-sha256", "-extfile", ext, "-extensions", "leaf", "-out", r.cert],
    workDir,
  );
}
