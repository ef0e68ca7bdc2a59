import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ConfigValue, EngineEvent, LocalWorkspace, OpMap, OutputMap, PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { PLUGINS_DIR, pulumiCli, REPO_ROOT } from "./cli";
import { CLOCK_ENV as PROGRAM_CLOCK_ENV } from "../../../components/rotation/clock";
import { CLOCK_ENV as TLS_CLOCK_ENV } from "../plugins/emulatorProvider";

const execFileAsync = promisify(execFile);

/** The stack program every scenario runs: the repository's `index.ts`. */
const PROGRAM = join(REPO_ROOT, "index.ts");

/** The project name, as in the repository's `Pulumi.yaml`. */
export const PROJECT = "kubernetes-pki";

/** The config key the stack program reads. */
export const CLUSTER_KEY = "kubernetes-pki:cluster";

/** Test-only passphrase of the scenarios' throwaway stacks. */
const PASSPHRASE = "engine-tests-only";

/** One step the engine planned or took, from its `resourcePreEvent`. */
export interface Step {
  /** `same`, `create`, `update`, `replace`, `create-replacement`, `delete-replaced`, `delete`, `refresh`, `read`, … */
  readonly op: string;
  readonly urn: string;
  readonly type: string;
  /** The resource name: the last URN segment. */
  readonly name: string;
  /** The properties that force a replacement (`replace` steps). */
  readonly keys: readonly string[];
  /** The properties that differ. */
  readonly diffs: readonly string[];
}

/** What one engine operation planned or did. */
export interface Operation {
  readonly steps: readonly Step[];
  /** Resource count by op, as the engine summarises it. */
  readonly summary: OpMap;
  readonly stdout: string;
}

/** A resource of the exported state. */
export interface StateResource {
  readonly urn: string;
  readonly type: string;
  readonly id?: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
}

/**
 * The stack program as an Automation API inline program: `index.ts` loaded fresh for every run
 * (it reads its config at load time), its exports returned as the stack outputs.
 */
export async function stackProgram(): Promise<Record<string, unknown>> {
  delete require.cache[require.resolve(PROGRAM)];
  return { ...(require(PROGRAM) as Record<string, unknown>) };
}

/**
 * A stack of the project's own program on a real Pulumi engine: its own `file://` backend,
 * `PULUMI_HOME` and work directory in a fresh temporary directory, the passphrase secrets
 * provider, the tls emulator plugin and the dynamic-provider plugin on PATH for the CLI's
 * child processes only. Config is set the way a user sets it: the stack settings file holds the
 * `kubernetes-pki:cluster` object; changes go through `pulumi config set --path`.
 */
export class EngineStack {
  private constructor(readonly stack: Stack, readonly dir: string, private readonly binDir: string) {}

  /** Creates stack `name` with `cluster` as its `kubernetes-pki:cluster` config; `program` is the stack program by default. */
  static async create(name: string, cluster: object, program: PulumiFn = stackProgram): Promise<EngineStack> {
    const { command, binDir } = await pulumiCli();
    const dir = mkdtempSync(join(tmpdir(), `k8s-pki-engine-${name}-`));
    const [backend, home, workDir] = ["backend", "home", "work"].map((sub) => join(dir, sub));
    for (const d of [backend, home, workDir]) mkdirSync(d);
    // Plugins run in the work directory: a dynamic provider's `require`s resolve from there.
    symlinkSync(join(REPO_ROOT, "node_modules"), join(workDir, "node_modules"));
    const stack = await LocalWorkspace.createStack({ stackName: name, projectName: PROJECT, program }, {
      workDir,
      pulumiHome: home,
      pulumiCommand: command,
      secretsProvider: "passphrase",
      projectSettings: { name: PROJECT, runtime: "nodejs", backend: { url: `file://${backend}` } },
      envVars: {
        PATH: [PLUGINS_DIR, binDir, process.env.PATH ?? ""].join(":"),
        PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_IGNORE_AMBIENT_PLUGINS: "false",
      },
    });
    const engine = new EngineStack(stack, dir, binDir);
    await engine.replaceCluster(cluster);
    return engine;
  }

  /** Replaces the whole `kubernetes-pki:cluster` object, as editing `Pulumi.<stack>.yaml` does. */
  async replaceCluster(cluster: object): Promise<void> {
    const workspace = this.stack.workspace;
    const settings = await workspace.stackSettings(this.stack.name);
    await workspace.saveStackSettings(this.stack.name, { ...settings, config: { ...settings.config, [CLUSTER_KEY]: cluster } });
  }

  /** `pulumi config set --path kubernetes-pki:cluster.<path> <value>`. */
  async setCluster(path: string, value: string): Promise<void> {
    await this.stack.setConfig(`${CLUSTER_KEY}.${path}`, { value } as ConfigValue, true);
  }

  /** `pulumi config rm --path kubernetes-pki:cluster.<path>`. */
  async removeCluster(path: string): Promise<void> {
    await this.stack.removeConfig(`${CLUSTER_KEY}.${path}`, true);
  }

  /**
   * Moves both test clocks to `now`; `undefined` restores the real clocks. The tls plugin reads
   * `KUBERNETES_PKI_TLS_NOW`; the renewal checks (run by the dynamic-provider plugin) and the CA
   * expiry warnings (run by the inline program, inside this process) read `KUBERNETES_PKI_TEST_NOW`.
   * So the plugins get both through the workspace's environment, and this process gets the
   * program's clock in `process.env`: reset it in an `after` hook, or a failing test would leak it.
   */
  setPluginClock(now: Date | undefined): void {
    const env = this.stack.workspace.envVars;
    for (const name of [TLS_CLOCK_ENV, PROGRAM_CLOCK_ENV]) {
      if (now === undefined) delete env[name];
      else env[name] = now.toISOString();
    }
    if (now === undefined) delete process.env[PROGRAM_CLOCK_ENV];
    else process.env[PROGRAM_CLOCK_ENV] = now.toISOString();
  }

  /** `pulumi preview`. */
  async preview(): Promise<Operation> {
    const events: EngineEvent[] = [];
    const result = await this.stack.preview({ onEvent: (e) => events.push(e) });
    return { steps: stepsOf(events), summary: result.changeSummary, stdout: result.stdout };
  }

  /** `pulumi up`. */
  async up(): Promise<Operation> {
    const events: EngineEvent[] = [];
    const result = await this.stack.up({ onEvent: (e) => events.push(e) });
    return { steps: stepsOf(events), summary: result.summary.resourceChanges ?? {}, stdout: result.stdout };
  }

  /** `pulumi refresh`. */
  async refresh(): Promise<Operation> {
    const events: EngineEvent[] = [];
    const result = await this.stack.refresh({ onEvent: (e) => events.push(e) });
    return { steps: stepsOf(events), summary: result.summary.resourceChanges ?? {}, stdout: result.stdout };
  }

  /** `pulumi destroy`. */
  async destroy(): Promise<Operation> {
    const events: EngineEvent[] = [];
    const result = await this.stack.destroy({ onEvent: (e) => events.push(e) });
    return { steps: stepsOf(events), summary: result.summary.resourceChanges ?? {}, stdout: result.stdout };
  }

  /** `pulumi stack output --json` (secret values shown as such by the Automation API: `secret: true`). */
  outputs(): Promise<OutputMap> {
    return this.stack.outputs();
  }

  /** Runs `pulumi <args>` for this stack, as a user would in its directory; returns its stdout. */
  async cli(args: readonly string[]): Promise<string> {
    const workspace = this.stack.workspace;
    const env = { ...process.env, PULUMI_HOME: workspace.pulumiHome, ...workspace.envVars };
    const pulumi = join(this.binDir, "pulumi");
    const run = await execFileAsync(pulumi, [...args, "--stack", this.stack.name], { cwd: workspace.workDir, env, maxBuffer: 1 << 30 });
    return run.stdout;
  }

  /** `pulumi stack export` (without `--show-secrets`): the state as stored, secrets encrypted. */
  async exportedState(): Promise<{ text: string; resources: StateResource[] }> {
    const text = await this.cli(["stack", "export"]);
    const resources = (JSON.parse(text) as { deployment: { resources?: StateResource[] } }).deployment.resources ?? [];
    return { text, resources };
  }

  /** Removes the stack's backend, home and work directory. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The steps of an operation's events, in order. */
function stepsOf(events: readonly EngineEvent[]): Step[] {
  return events.flatMap((e) => (e.resourcePreEvent === undefined ? [] : [e.resourcePreEvent.metadata])).map((m) => ({
    op: m.op,
    urn: m.urn,
    type: m.type,
    name: m.urn.split("::").pop() ?? "",
    keys: m.keys ?? [],
    diffs: m.diffs ?? [],
  }));
}
