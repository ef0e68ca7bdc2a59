import { basename, join } from "node:path";
import { buildManifest } from "../../../offline/manifest";
import { RenderedStack, renderedStack, StackOutputValues } from "../../../offline/runProgram";
import { readStackConfig } from "../../../offline/stackConfig";
import { treeFiles } from "../../../offline/tree";
import { writeTree } from "../../../offline/writeTree";
import { REPO_ROOT } from "./cli";
import { stackFileCluster } from "./clusters";
import { EngineStack } from "./engineStack";

/** A stack file deployed by `pulumi up` and written to disk. */
export interface DeployedTree {
  /** The stack's outputs, as the offline render would have produced them. */
  readonly rendered: RenderedStack;
  /** The deployed stack (dispose it when done). */
  readonly engine: EngineStack;
}

/**
 * Deploys a stack file of the repository (`Pulumi.<stack>.yaml`) with `pulumi up` on a real engine,
 * then writes the stack's outputs to `treeDir` with the offline render's layout
 * (`nodes/<node>/<path>`, `admin/`, `cloud-init/`, `manifest.json`), modes applied.
 */
export async function deployTree(stackFile: string, treeDir: string): Promise<DeployedTree> {
  const { stack } = readStackConfig(join(REPO_ROOT, stackFile));
  const engine = await EngineStack.create(stack, stackFileCluster(basename(stackFile)));
  try {
    await engine.up();
    const outputs = await engine.outputs();
    const values = Object.fromEntries(Object.entries(outputs).map(([name, o]) => [name, o.value])) as unknown as StackOutputValues;
    const rendered = renderedStack(stack, values);
    const manifest = `${JSON.stringify(buildManifest(rendered), null, 2)}\n`;
    await writeTree(treeDir, [...treeFiles(rendered), { path: "manifest.json", content: manifest, mode: "0644" }], false);
    return { rendered, engine };
  } catch (error) {
    engine.dispose();
    throw error;
  }
}
