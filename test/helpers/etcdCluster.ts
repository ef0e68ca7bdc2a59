import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, relative } from "node:path";
import { PKI_DIR } from "../../components/layout";
import { ETCD_PORTS, etcdClientUrl, kubeadmEtcdFlags } from "./kubeadmEtcdFlags";
import { setTimeout as sleep } from "node:timers/promises";

const INSTALL_HINT = "run .ci/install-test-tools.sh (it installs Debian's etcd-server and etcd-client)";


/** Throws, saying how to install them, when etcd or etcdctl is not on PATH. The tests never install anything. */
export function requireEtcdTools(): void {
  for (const tool of ["etcd", "etcdctl"]) {
    const run = spawnSync(tool, ["version"], { encoding: "utf8", env: { ...process.env, ETCDCTL_API: "3" } });
    if (run.error !== undefined) throw new Error(`${tool} is not on PATH: ${INSTALL_HINT}`);
  }
}

/**
 * A `127.a.b.` prefix whose `.1`, `.2` and `.3` have kubeadm's etcd ports free, so three members can
 * listen where kubeadm would without meeting a packaged etcd on 127.0.0.1 or another test run.
 */
export async function freeLoopbackPrefix(): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const prefix = `127.${10 + Math.floor(Math.random() * 240)}.${1 + Math.floor(Math.random() * 250)}.`;
    const addresses = [1, 2, 3].map((i) => `${prefix}${i}`);
    const checks = addresses.flatMap((address) => [ETCD_PORTS.client, ETCD_PORTS.peer, ETCD_PORTS.metrics].map((port) => isFree(address, port)));
    if ((await Promise.all(checks)).every(Boolean)) return prefix;
  }
  throw new Error("found no 127.a.b.0/24 with ports 2379-2381 free on .1, .2 and .3");
}

function isFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, address, () => server.close(() => resolve(true)));
  });
}

/** One stacked etcd member: a control-plane node of a rendered tree. */
export interface EtcdMember {
  /** Node name, etcd `--name`. */
  readonly name: string;
  /** Advertise address (a loopback address here). */
  readonly address: string;
  /** The node's `/etc/kubernetes/pki` in the rendered tree. */
  readonly pki: string;
}

/** `https://<address>:2379`. */
export const clientUrl = etcdClientUrl;

/** kubeadm's flags for a stacked member (see `kubeadmEtcdFlags`), logging to stderr. */
export function etcdFlags(member: EtcdMember, members: readonly EtcdMember[], dataDir: string, token: string): string[] {
  const files = { name: member.name, address: member.address, file: (nodePath: string) => join(member.pki, relative(PKI_DIR, nodePath)) };
  return [...kubeadmEtcdFlags(files, members, dataDir, token), "--logger=zap", "--log-outputs=stderr"];
}

/** A client identity for etcdctl: `--cacert`, `--cert`, `--key`. */
export interface EtcdClient {
  readonly cacert: string;
  readonly cert: string;
  readonly key: string;
}

/** What etcdctl printed and how it ended. */
export interface EtcdctlResult {
  readonly status: number | null;
  readonly output: string;
}

/** Runs `etcdctl` (API v3) against endpoints with a client certificate; bounded by its own timeouts. */
export function etcdctl(endpoints: readonly string[], client: EtcdClient, args: readonly string[]): EtcdctlResult {
  const run = spawnSync(
    "etcdctl",
    [`--endpoints=${endpoints.join(",")}`, `--cacert=${client.cacert}`, `--cert=${client.cert}`, `--key=${client.key}`,
      "--dial-timeout=2s", "--command-timeout=5s", ...args],
    { encoding: "utf8", timeout: 20_000, env: { ...process.env, ETCDCTL_API: "3" } },
  );
  if (run.error !== undefined) throw run.error;
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

interface RunningMember {
  readonly member: EtcdMember;
  readonly child: ChildProcess;
  readonly logFile: string;
}

/** A cluster of etcd processes this test started; {@link stop} ends them by PID. */
export class EtcdCluster {
  private constructor(private readonly running: readonly RunningMember[]) {}

  /** Starts every member at once (each waits for the others to form the cluster); logs go to `<workDir>/<name>.log`. */
  public static start(members: readonly EtcdMember[], workDir: string): EtcdCluster {
    const token = `kubernetes-pki-test-${process.pid}-${Date.now()}`;
    const running: RunningMember[] = [];
    for (const member of members) {
      const logFile = join(workDir, `${member.name}.log`);
      const log = openSync(logFile, "w");
      try {
        const child = spawn("etcd", etcdFlags(member, members, join(workDir, `${member.name}.etcd`), token), { stdio: ["ignore", log, log] });
        running.push({ member, child, logFile });
      } finally {
        closeSync(log);
      }
    }
    return new EtcdCluster(running);
  }

  /** Polls `etcdctl endpoint health` on every member until all are healthy, for at most `timeoutMs`. */
  public async waitHealthy(client: EtcdClient, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const endpoints = this.running.map((r) => clientUrl(r.member));
    let last: EtcdctlResult | undefined;
    while (Date.now() < deadline) {
      const exited = this.running.filter((r) => r.child.exitCode !== null || r.child.signalCode !== null);
      if (exited.length > 0) throw new Error(`etcd exited early: ${exited.map((r) => r.member.name).join(", ")}`);
      last = etcdctl(endpoints, client, ["endpoint", "health"]);
      if (last.status === 0) return;
      await sleep(500);
    }
    throw new Error(`the etcd cluster was not healthy within ${timeoutMs / 1000}s:\n${last?.output ?? ""}`);
  }

  /** A member's log so far. */
  public log(name: string): string {
    const member = this.running.find((r) => r.member.name === name);
    return member !== undefined && existsSync(member.logFile) ? readFileSync(member.logFile, "utf8") : "";
  }

  /** The last lines of every member's log, for a failed test's output. */
  public logTails(lines = 40): string {
    return this.running
      .map((r) => `--- ${r.member.name} (${r.logFile}) ---\n${this.log(r.member.name).split("\n").slice(-lines).join("\n")}`)
      .join("\n");
  }

  /** Ends every member by PID: SIGTERM, then SIGKILL after 5 s. */
  public async stop(): Promise<void> {
    await Promise.all(this.running.map((r) => stopProcess(r.child)));
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.kill(child.pid, "SIGTERM");
  const timedOut = await Promise.race([exited.then(() => false), sleep(5_000).then(() => true)]);
  if (timedOut && child.exitCode === null && child.signalCode === null) {
    process.kill(child.pid, "SIGKILL");
    await exited;
  }
}
