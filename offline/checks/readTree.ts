import { lstatSync, readdirSync, Stats, statSync } from "node:fs";
import { join } from "node:path";
import { CATALOG, KubeconfigSpec } from "../../components/catalog";
import { CertificateEntry, certificatesOf } from "../inspect/inventory";
import { NODES_DIR, OPERATOR_DIR, operatorTreePath } from "../tree";
import { CATALOG_FILES } from "../inspect/catalogFiles";
import { InspectedFile, InspectedNode, InspectedTree, OPERATOR, Problem } from "./inspectedTree";
import { fileType, readInside } from "./safeRead";
import { SIGNING_CERT_FILES } from "./trustBundles";

/** Every path of a node the check reads: the catalog's files and the CAs' signing certificates. */
const NODE_PATHS: readonly string[] = [...CATALOG_FILES.map((f) => f.path), ...SIGNING_CERT_FILES.map((f) => f.path)];

/** A tree that cannot be read at all (not a directory, no `nodes/`): a usage error, not a problem of the PKI. */
export class TreeError extends Error {}

/** A tree and the files of it that could not be read or parsed. */
export interface ReadResult {
  readonly tree: InspectedTree;
  readonly problems: Problem[];
}

/**
 * Reads a rendered tree: every directory under `<dir>/nodes/` is a node whose files sit at their
 * absolute paths, and `<dir>/admin/` holds the operator's kubeconfigs. Only the catalog's files are read.
 */
export function readRenderedTree(dir: string): ReadResult {
  const nodesDir = join(dir, NODES_DIR);
  if (!isDirectory(nodesDir)) {
    throw new TreeError(`${dir} is not a rendered tree: it has no ${NODES_DIR}/ directory (for a node's own files use --node-root)`);
  }
  const problems: Problem[] = [];
  const names = readdirSync(nodesDir).sort();
  if (names.length === 0) throw new TreeError(`${nodesDir} holds no node directories`);
  const nodes: InspectedNode[] = [];
  for (const name of names) {
    const label = `${NODES_DIR}/${name}`;
    const stat = lstatSync(join(nodesDir, name));
    if (!stat.isDirectory()) {
      problems.push({ node: name, file: label, check: "read", message: `is ${fileType(stat)}, not a node directory; it was not followed` });
      continue;
    }
    const unreadable = unreadableReason(join(nodesDir, name));
    if (unreadable !== undefined) {
      problems.push({ node: name, file: label, check: "read", message: unreadable });
      continue;
    }
    const node = readNode(dir, name, NODE_PATHS, (path) => join(nodesDir, name, path), (path) => path, problems);
    if (node.files.size === 0 && !problems.some((p) => p.node === name)) {
      problems.push({ node: name, file: label, check: "read", message: "holds none of the PKI files" });
    }
    nodes.push(node);
  }
  const operatorRows = CATALOG.filter((row): row is KubeconfigSpec => row.kind === "kubeconfig" && row.operator === true);
  const operatorDir = join(dir, OPERATOR_DIR);
  const operatorStat = lstatOrUndefined(operatorDir);
  if (operatorStat !== undefined && !operatorStat.isDirectory()) {
    problems.push({ node: OPERATOR, file: OPERATOR_DIR, check: "read", message: `is ${fileType(operatorStat)}, not a directory; it was not followed` });
  } else if (operatorStat !== undefined) {
    const byPath = new Map(operatorRows.map((row) => [row.path, operatorTreePath(row)]));
    nodes.push(readNode(dir, OPERATOR, [...byPath.keys()], (path) => join(dir, byPath.get(path)!), (path) => byPath.get(path)!, problems));
  }
  return { tree: { root: dir, nodes }, problems };
}

/** Reads a real node's own files at their absolute paths under `root` (`/` on the node itself). */
export function readNodeRoot(root: string, nodeName: string): ReadResult {
  if (!isDirectory(root)) throw new TreeError(`${root} is not a directory`);
  const problems: Problem[] = [];
  const node = readNode(root, nodeName, NODE_PATHS, (path) => join(root, path), (path) => path, problems);
  if (node.files.size === 0 && problems.length === 0) throw new TreeError(`${root} holds none of the PKI files (e.g. ${join(root, CATALOG_FILES[0].path)})`);
  return { tree: { root, nodes: [node] }, problems };
}

function readNode(
  root: string,
  name: string,
  paths: readonly string[],
  source: (path: string) => string,
  label: (path: string) => string,
  problems: Problem[],
): InspectedNode {
  const files = new Map<string, InspectedFile>();
  for (const path of paths) {
    const read = readInside(root, source(path));
    if (read === undefined) continue;
    if ("refused" in read) problems.push({ node: name, file: label(path), check: "read", message: read.refused });
    else files.set(path, { path, label: label(path), content: read.content, mode: read.mode });
  }
  const certificates: CertificateEntry[] = [];
  for (const file of files.values()) {
    try {
      // One file at a time, so one unreadable certificate does not hide the others.
      certificates.push(...certificatesOf(new Map([[file.path, file.content]]), name === OPERATOR ? undefined : name));
    } catch (error) {
      problems.push({ node: name, file: file.label, check: "read", message: `holds no readable certificate: ${messageOf(error)}` });
    }
  }
  return { name, files, certificates };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** Why a directory cannot be listed (`EACCES`), or undefined when it can. */
function unreadableReason(dir: string): string | undefined {
  try {
    readdirSync(dir);
    return undefined;
  } catch (error) {
    return `cannot be read: ${(error as NodeJS.ErrnoException).code ?? "error"}`;
  }
}

/**
 * The first line of an error's message. Later lines can quote the file (the YAML parser shows the
 * offending lines of a kubeconfig, which may hold a key), so they are never printed.
 */
export function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}
