import { basename } from "node:path";
import { KubernetesPkiArgs } from "../../../components";
import { PriorResource } from "../../../offline/continuity";
import { runProgram, stackEmulator } from "../../../offline/runProgram";
import { readStackConfig, StackConfig } from "../../../offline/stackConfig";
import { treeFiles } from "../../../offline/tree";
import { TreeFile, writeTree } from "../../../offline/writeTree";
import { pulumiCli } from "../../engine/harness/cli";
import { CLUSTER_KEY, EngineStack } from "../../engine/harness/engineStack";
import { deployedFiles, deployTree } from "../../engine/harness/engineTree";

/** Where the tree comes from: `E2E_PKI_SOURCE` (`engine` or `offline`), else the engine when its CLI is available. */
const PKI_SOURCE = process.env.E2E_PKI_SOURCE ?? "";

/** What an update of the stack changed in its tree: files to write (new or different) and paths it no longer has. */
export interface TreeChange {
  readonly changed: readonly TreeFile[];
  /** Paths relative to the tree's root. */
  readonly removed: readonly string[];
}

/**
 * The stack behind the cluster's PKI, kept after the first tree is written so that later updates
 * (a rotation phase) are made the same way: consecutive `pulumi up`s of the same stack, or
 * consecutive offline renders that continue from the last one's resources (`npm run render --
 * --state`). Either keeps what did not change and replaces exactly what the engine would.
 */
export interface PkiSource {
  /** How the tree was made, for the boot log. */
  readonly description: string;
  /** Applies `cluster` as the stack's whole `kubernetes-pki:cluster` object; returns what changed in the tree since the last update. */
  update(cluster: KubernetesPkiArgs): Promise<TreeChange>;
  /** Removes the engine's stack and backend, if any. */
  dispose(): void;
}

/** Files of `next` that `previous` lacks or holds with other content or mode, and paths of `previous` that `next` lacks. */
export function treeChange(previous: readonly TreeFile[], next: readonly TreeFile[]): TreeChange {
  const before = new Map(previous.map((f) => [f.path, f]));
  const paths = new Set(next.map((f) => f.path));
  return {
    changed: next.filter((f) => {
      const old = before.get(f.path);
      return old === undefined || old.mode !== f.mode || !Buffer.from(old.content).equals(Buffer.from(f.content));
    }),
    removed: previous.filter((f) => !paths.has(f.path)).map((f) => f.path),
  };
}

/** Consecutive `pulumi up`s of one stack on a real engine. */
class EngineSource implements PkiSource {
  readonly description = "pulumi up through the engine";

  private constructor(private readonly engine: EngineStack, private files: readonly TreeFile[]) {}

  static async deploy(stackFile: string, treeDir: string): Promise<EngineSource> {
    const deployed = await deployTree(basename(stackFile), treeDir);
    return new EngineSource(deployed.engine, deployed.files);
  }

  async update(cluster: KubernetesPkiArgs): Promise<TreeChange> {
    await this.engine.replaceCluster(cluster);
    await this.engine.up();
    const { files } = await deployedFiles(this.engine);
    const change = treeChange(this.files, files);
    this.files = files;
    return change;
  }

  dispose(): void {
    this.engine.dispose();
  }
}

/** Consecutive offline renders, each continuing from the resources of the last, as `npm run render -- --state <file>`. */
class OfflineSource implements PkiSource {
  private constructor(
    readonly description: string,
    private readonly stackConfig: StackConfig,
    private state: ReadonlyMap<string, PriorResource>,
    private files: readonly TreeFile[],
  ) {}

  static async render(stackFile: string, treeDir: string, description: string): Promise<OfflineSource> {
    const stackConfig = readStackConfig(stackFile);
    const { state, files } = await OfflineSource.run(stackConfig, undefined);
    await writeTree(treeDir, files, false);
    return new OfflineSource(description, stackConfig, state, files);
  }

  private static async run(stackConfig: StackConfig, prior: ReadonlyMap<string, PriorResource> | undefined): Promise<{ state: ReadonlyMap<string, PriorResource>; files: TreeFile[] }> {
    const emulator = stackEmulator({ prior, record: true });
    const files = treeFiles(await runProgram(stackConfig, emulator));
    return { state: emulator.records, files };
  }

  async update(cluster: KubernetesPkiArgs): Promise<TreeChange> {
    const stackConfig = { ...this.stackConfig, config: { ...this.stackConfig.config, [CLUSTER_KEY]: JSON.stringify(cluster) } };
    const { state, files } = await OfflineSource.run(stackConfig, this.state);
    const change = treeChange(this.files, files);
    [this.state, this.files] = [state, files];
    return change;
  }

  dispose(): void {}
}

/**
 * Writes the stack's PKI into `treeDir` (which must not exist), with the offline render's layout,
 * and returns where it came from, ready for the next update. By default from a real `pulumi up` of
 * the stack file (the Pulumi CLI built by test/engine/build/pulumi.sh, the tls emulator as its
 * provider plugin), the path users take; when that CLI cannot be had (no Go, a failed build), from
 * the offline render (`npm run render`, the tls emulator under mocks), saying why.
 * `E2E_PKI_SOURCE=engine|offline` forces one.
 */
export async function deployPki(stackFile: string, treeDir: string): Promise<PkiSource> {
  if (!["", "engine", "offline"].includes(PKI_SOURCE)) throw new Error(`E2E_PKI_SOURCE: "${PKI_SOURCE}" is not engine or offline`);
  if (PKI_SOURCE !== "offline") {
    try {
      await pulumiCli();
    } catch (error) {
      if (PKI_SOURCE === "engine") throw error;
      return OfflineSource.render(stackFile, treeDir, `offline render (the Pulumi CLI is unavailable: ${(error as Error).message})`);
    }
    return EngineSource.deploy(stackFile, treeDir);
  }
  return OfflineSource.render(stackFile, treeDir, "offline render (E2E_PKI_SOURCE=offline)");
}
