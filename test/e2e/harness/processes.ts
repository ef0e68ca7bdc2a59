import { ChildProcess, spawn } from "node:child_process";
import { appendFileSync, closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { sleep } from "./wait";

/** A long-running process the suite starts: one component on one node. */
export interface ProcessSpec {
  /** Unique id, e.g. `cp-1/etcd`. */
  readonly id: string;
  readonly command: string;
  readonly args: readonly string[];
  /** stdout and stderr go here, appended across restarts. */
  readonly logFile: string;
}

/** How a process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** One started process and, once it has ended, how. */
export class ManagedProcess {
  exit?: ProcessExit;
  /** True while `stop` is ending it: its exit is expected. */
  stopping = false;

  constructor(readonly spec: ProcessSpec, readonly child: ChildProcess) {}

  /** Process id, which is also its process group id (each process leads its own group). */
  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.spec.id} has no pid`);
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** `running` or how it ended. */
  describe(): string {
    if (this.exit === undefined) return `running (pid ${this.pid})`;
    return `exited (pid ${this.pid}, ${this.exit.signal ?? `code ${this.exit.code}`})`;
  }
}

/** The last `lines` lines of a log file (only those matching `filter`, when given). */
export function tailFile(path: string, lines: number, filter?: RegExp): string {
  if (!existsSync(path)) return `(no log at ${path})`;
  const all = readFileSync(path, "utf8").trimEnd().split("\n");
  return all.filter((line) => filter === undefined || filter.test(line)).slice(-lines).join("\n");
}

/** Distinct TLS and x509 errors a log mentions (the usual reason a PKI mistake stops a process). */
export function tlsErrors(path: string, max = 5): string[] {
  if (!existsSync(path)) return [];
  const found = new Set<string>();
  for (const match of readFileSync(path, "utf8").matchAll(/(?:x509|tls): [^"\\\n]+/g)) {
    found.add(match[0].trim());
    if (found.size >= max) break;
  }
  return [...found];
}

/**
 * Starts processes each in its own process group with output to a log file, and stops them by
 * group id. Whatever is still running when the test process exits (a crash, Ctrl-C, an aborted
 * hook) is killed synchronously by pid, so no etcd or API server outlives the suite.
 */
export class Supervisor {
  private readonly processes = new Map<string, ManagedProcess>();
  private readonly killOnExit = (): void => this.killAllNow();
  private readonly killOnSignal = (signal: NodeJS.Signals): void => {
    this.killAllNow();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };

  constructor() {
    process.on("exit", this.killOnExit);
    process.on("SIGINT", this.killOnSignal);
    process.on("SIGTERM", this.killOnSignal);
  }

  /** Starts a process; a process with the same id must not be running. */
  start(spec: ProcessSpec): ManagedProcess {
    const previous = this.processes.get(spec.id);
    if (previous?.running) throw new Error(`${spec.id} is already running (pid ${previous.pid})`);
    appendFileSync(spec.logFile, `\n===== ${new Date().toISOString()} start: ${spec.command} ${spec.args.join(" ")}\n`);
    const fd = openSync(spec.logFile, "a");
    try {
      const child = spawn(spec.command, spec.args, { detached: true, stdio: ["ignore", fd, fd] });
      const managed = new ManagedProcess(spec, child);
      child.on("exit", (code, signal) => {
        managed.exit = { code, signal };
      });
      child.on("error", (error) => {
        managed.exit = { code: null, signal: null };
        appendFileSync(spec.logFile, `\n===== spawn error: ${error.message}\n`);
      });
      if (child.pid === undefined) throw new Error(`could not start ${spec.command}`);
      this.processes.set(spec.id, managed);
      return managed;
    } finally {
      closeSync(fd);
    }
  }

  get(id: string): ManagedProcess | undefined {
    return this.processes.get(id);
  }

  /** Every process started, in start order (restarts keep their first position). */
  all(): ManagedProcess[] {
    return [...this.processes.values()];
  }

  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves once the process has exited. */
  async stop(id: string, graceMs = 15_000): Promise<void> {
    const managed = this.processes.get(id);
    if (managed === undefined || !managed.running) return;
    managed.stopping = true;
    appendFileSync(managed.spec.logFile, `\n===== ${new Date().toISOString()} stop (SIGTERM to group ${managed.pid})\n`);
    signalGroup(managed.pid, "SIGTERM");
    const deadline = Date.now() + graceMs;
    while (managed.running && Date.now() < deadline) await sleep(100);
    if (managed.running) {
      signalGroup(managed.pid, "SIGKILL");
      while (managed.running) await sleep(100);
    }
    signalGroup(managed.pid, "SIGKILL"); // anything the process left behind in its group
  }

  /** Stops every running process, most recently started first. */
  async stopAll(): Promise<void> {
    for (const managed of this.all().reverse()) await this.stop(managed.spec.id);
  }

  /** SIGKILL to every running process group, synchronously (for `exit` handlers). */
  killAllNow(): void {
    for (const managed of this.processes.values()) {
      if (managed.running) signalGroup(managed.pid, "SIGKILL");
    }
  }

  /** Removes the exit and signal handlers (after `stopAll`). */
  dispose(): void {
    process.off("exit", this.killOnExit);
    process.off("SIGINT", this.killOnSignal);
    process.off("SIGTERM", this.killOnSignal);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}
