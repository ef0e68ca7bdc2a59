import { basename, join } from "node:path";
import { buildManifest } from "../../../offline/manifest";
import { RenderedStack, renderedStack, StackOutputValues } from "../../../offline/runProgram";
import { readStackConfig } from "../../../offline/stackConfig";
import { treeFiles } from "../../../offline/tree";
import { TreeFile, writeTree } from "../../../offline/writeTree";
import { REPO_ROOT } from "./cli";
import { stackFileCluster } from "./clusters";
import { EngineStack } from "./engineStack";

/** A deployed stack's outputs, and the tree they make. */
export interface DeployedFiles {
  /** The stack's outputs, as the offline render would have produced them. */
  readonly rendered: RenderedStack;
  /** Every file of the tree, with the offline render's layout, `manifest.json` included. */
  readonly files: TreeFile[];
}

/** A stack file deployed by `pulumi up` and written to disk. */
export interface DeployedTree extends DeployedFiles {
  /** The deployed stack (dispose it when done). */
  readonly engine: EngineStack;
}

/**
 * The tree of a deployed stack's current outputs (`pulumi stack output`), with the offline render's
 * layout (`nodes/<node>/<path>`, `admin/`, `cloud-init/`, `manifests/`, `bootstrap/`, `manifest.json`).
 */
export async function deployedFiles(engine: EngineStack): Promise<DeployedFiles> {
  const outputs = await engine.outputs();
  const values = Object.fromEntries(Object.entries(outputs).map(([name, o]) => [name, o.value])) as unknown as StackOutputValues;
  const rendered = renderedStack(engine.stack.name, values);
  const manifest = `${JSON.stringify(buildManifest(rendered), null, 2)}\n`;
  return { rendered, files: [...treeFiles(rendered), { path: "manifest.json", content: manifest, mode: "0644" }] };
}

/**
 * Deploys a stack file of the repository (`Pulumi.<stack>.yaml`) with `pulumi up` on a real engine,
 * then writes the stack's outputs to `treeDir` with the offline render's layout, modes applied.
 */
export async function deployTree(stackFile: string, treeDir: string): Promise<DeployedTree> {
  const { stack } = readStackConfig(join(REPO_ROOT, stackFile));
  const engine = await EngineStack.create(stack, stackFileCluster(basename(stackFile)));
  try {
    await engine.up();
    const deployed = await deployedFiles(engine);
    await writeTree(treeDir, deployed.files, false);
    return { ...deployed, engine };
  } catch (error) {
    engine.dispose();
    throw error;
  }
}
