import { posix } from "node:path";
import { CertificateEntry, certificatesOf } from "./inventory";
import { RenderedStack } from "./runProgram";
import { TreeFile } from "./writeTree";

/** Directory of a rendered tree that holds the operator's kubeconfigs. */
export const OPERATOR_DIR = "admin";

/** Directory of a rendered tree that holds each node's files, as `nodes/<node>/<absolute path>`. */
export const NODES_DIR = "nodes";

/** Every file of a rendered tree: each node's files at their absolute paths, and the operator's kubeconfigs. */
export function treeFiles(rendered: RenderedStack): TreeFile[] {
  const nodeFiles = Object.entries(rendered.files).flatMap(([node, files]) =>
    Object.values(files).map((file) => ({ path: posix.join(NODES_DIR, node, file.path), content: file.content, mode: file.mode })),
  );
  const operatorFiles = Object.entries(rendered.operatorKubeconfigs).map(([name, content]) => ({
    path: posix.join(OPERATOR_DIR, name),
    content,
    mode: "0600",
  }));
  return [...nodeFiles, ...operatorFiles];
}

/** Every certificate of a rendered stack: each node's, then the operator's. */
export function stackCertificates(rendered: RenderedStack): CertificateEntry[] {
  const perNode = Object.entries(rendered.files).flatMap(([node, files]) =>
    certificatesOf(new Map(Object.values(files).map((f) => [f.path, f.content])), node),
  );
  const operator = certificatesOf(
    new Map(Object.entries(rendered.operatorKubeconfigs).map(([name, content]) => [`/etc/kubernetes/${name}`, content])),
  );
  return [...perNode, ...operator];
}
