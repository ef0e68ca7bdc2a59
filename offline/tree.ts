import { posix } from "node:path";
import { ENCRYPTION_CONFIG_PATH } from "../components/bootstrap/encryption";
import { KubeconfigSpec } from "../components/catalog";
import { CertificateEntry, certificatesOf } from "./inspect/inventory";
import { RenderedStack } from "./runProgram";
import { TreeFile } from "./writeTree";

import { OPERATOR } from "../components/expiryReport";

export { OPERATOR };

/** Directory of a rendered tree that holds the operator's kubeconfigs. */
export const OPERATOR_DIR = "admin";

/** Where a rendered tree keeps the operator's copy of a kubeconfig: `admin/<file name>`, e.g. `admin/admin.conf`. */
export const operatorTreePath = (row: Pick<KubeconfigSpec, "path">): string => posix.join(OPERATOR_DIR, posix.basename(row.path));

/** Directory of a rendered tree that holds each node's files, as `nodes/<node>/<absolute path>`. */
export const NODES_DIR = "nodes";

/** Directory of a rendered tree that holds each node's cloud-init user-data. */
export const CLOUD_INIT_DIR = "cloud-init";

/** Directory of a rendered tree that holds the bootstrap objects as YAML, for `kubectl apply -f`. */
export const MANIFESTS_DIR = "manifests";

/** Directory of a rendered tree that holds, per bootstrap token, `bootstrap-kubelet.conf` and the join user-data. */
export const BOOTSTRAP_DIR = "bootstrap";

/**
 * Every file of a rendered tree: each node's files at their absolute paths, the operator's
 * kubeconfigs, each node's user-data (`<node>.yaml`, or `<node>.yaml.gz` when gzipped whole), the
 * bootstrap objects (`manifests/NN-<key>.yaml`, 0600 when they hold a token) and, per token,
 * `bootstrap/<token>/bootstrap-kubelet.conf` and `user-data.yaml[.gz]`, and `bootstrap/discovery-token-ca-cert-hash` (one hash per line, issuing CA first).
 */
export function treeFiles(rendered: RenderedStack): TreeFile[] {
  const nodeFiles = Object.entries(rendered.files).flatMap(([node, files]) =>
    Object.values(files).map((file) => ({
      path: posix.join(NODES_DIR, node, file.path),
      content: file.content,
      mode: file.mode,
      node,
      nodePath: file.path,
      ...(file.path === ENCRYPTION_CONFIG_PATH && { kind: "encryption-config" as const }),
    })),
  );
  const operatorFiles = Object.entries(rendered.operatorKubeconfigs).map(([path, content]) => ({
    path: operatorTreePath({ path }),
    content,
    mode: "0600",
    node: OPERATOR,
    nodePath: path,
  }));
  const userData = Object.entries(rendered.userData).map(([node, content]) =>
    rendered.userDataGzipped
      ? { path: posix.join(CLOUD_INIT_DIR, `${node}.yaml.gz`), content: Buffer.from(content, "base64"), mode: "0600", node }
      : { path: posix.join(CLOUD_INIT_DIR, `${node}.yaml`), content, mode: "0600", node },
  );
  const manifests = rendered.manifests.map((file) => ({ path: posix.join(MANIFESTS_DIR, file.name), content: file.content, mode: file.secret ? "0600" : "0644", kind: "bootstrap-object" as const }));
  const tokens = Object.entries(rendered.bootstrapTokens).flatMap(([name, token]) => {
    const joinUserData = rendered.joinUserData[name];
    return [
      { path: posix.join(BOOTSTRAP_DIR, name, "bootstrap-kubelet.conf"), content: token.bootstrapKubeconfig, mode: "0600", kind: "bootstrap-kubeconfig" as const },
      rendered.userDataGzipped
        ? { path: posix.join(BOOTSTRAP_DIR, name, "user-data.yaml.gz"), content: Buffer.from(joinUserData, "base64"), mode: "0600" }
        : { path: posix.join(BOOTSTRAP_DIR, name, "user-data.yaml"), content: joinUserData, mode: "0600" },
    ];
  });
  const discovery = { path: posix.join(BOOTSTRAP_DIR, "discovery-token-ca-cert-hash"), content: rendered.discoveryTokenCaCertHashes.map((hash) => `${hash}\n`).join(""), mode: "0644", kind: "discovery-hash" as const };
  return [...nodeFiles, ...operatorFiles, ...userData, ...manifests, ...tokens, discovery];
}

/** Every certificate of a rendered stack: each node's, then the operator's. */
export function stackCertificates(rendered: RenderedStack): CertificateEntry[] {
  const perNode = Object.entries(rendered.files).flatMap(([node, files]) =>
    certificatesOf(new Map(Object.values(files).map((f) => [f.path, f.content])), node),
  );
  const operator = certificatesOf(
    new Map(Object.entries(rendered.operatorKubeconfigs)),
  );
  return [...perNode, ...operator];
}
