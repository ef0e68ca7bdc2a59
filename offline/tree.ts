import { posix } from "node:path";
import { KUBERNETES_DIR } from "../components/layout";
import { CertificateEntry, certificatesOf } from "./inventory";
import { RenderedStack } from "./runProgram";
import { TreeFile } from "./writeTree";

/** How reports name the cluster operator, whose kubeconfigs belong to no node. */
export const OPERATOR = "(operator)";

/** Directory of a rendered tree that holds the operator's kubeconfigs. */
export const OPERATOR_DIR = "admin";

/** Directory of a rendered tree that holds each node's files, as `nodes/<node>/<absolute path>`. */
export const NODES_DIR = "nodes";

/** Directory of a rendered tree that holds each node's cloud-init user-data. */
export const CLOUD_INIT_DIR = "cloud-init";

/**
 * Every file of a rendered tree: each node's files at their absolute paths, the operator's
 * kubeconfigs, and each node's user-data (`<node>.yaml`, or `<node>.yaml.gz` when gzipped whole).
 */
export function treeFiles(rendered: RenderedStack): TreeFile[] {
  const nodeFiles = Object.entries(rendered.files).flatMap(([node, files]) =>
    Object.values(files).map((file) => ({
      path: posix.join(NODES_DIR, node, file.path),
      content: file.content,
      mode: file.mode,
      node,
      nodePath: file.path,
    })),
  );
  const operatorFiles = Object.entries(rendered.operatorKubeconfigs).map(([name, content]) => ({
    path: posix.join(OPERATOR_DIR, name),
    content,
    mode: "0600",
    node: OPERATOR,
    nodePath: posix.join(KUBERNETES_DIR, name),
  }));
  const userData = Object.entries(rendered.userData).map(([node, content]) =>
    rendered.userDataGzipped
      ? { path: posix.join(CLOUD_INIT_DIR, `${node}.yaml.gz`), content: Buffer.from(content, "base64"), mode: "0600", node }
      : { path: posix.join(CLOUD_INIT_DIR, `${node}.yaml`), content, mode: "0600", node },
  );
  return [...nodeFiles, ...operatorFiles, ...userData];
}

/** Every certificate of a rendered stack: each node's, then the operator's. */
export function stackCertificates(rendered: RenderedStack): CertificateEntry[] {
  const perNode = Object.entries(rendered.files).flatMap(([node, files]) =>
    certificatesOf(new Map(Object.values(files).map((f) => [f.path, f.content])), node),
  );
  const operator = certificatesOf(
    new Map(Object.entries(rendered.operatorKubeconfigs).map(([name, content]) => [posix.join(KUBERNETES_DIR, name), content])),
  );
  return [...perNode, ...operator];
}
