import { APISERVER_KUBELET_CLIENT_USER, CLUSTER_ADMINS_GROUP } from "../catalog/kubernetes";
import { BootstrapTokenUsage } from "./args";

/**
 * What `kubeadm init` creates in the cluster (docs/kubeadm-spec.md §4, §5.2–§5.4), as a table of rows like
 * the certificate catalog: the admin and kubelet-client bindings, the node bootstrap bindings, the
 * `cluster-info` ConfigMap with its anonymous read access, one Secret per bootstrap token and,
 * optionally, kube-proxy's objects. The component creates one resource per row, the offline render
 * writes one YAML file per row, and an output carries the same manifests.
 */

/** kubeadm's group of bootstrap-token users (`NodeBootstrapTokenAuthGroup`). */
export const NODE_BOOTSTRAP_TOKEN_GROUP = "system:bootstrappers:kubeadm:default-node-token";

const RBAC = "rbac.authorization.k8s.io";
const RBAC_V1 = `${RBAC}/v1`;

/** A Kubernetes object as plain data, ready for YAML or for a `@pulumi/kubernetes` resource. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: ManifestKind;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> };
  readonly [field: string]: unknown;
}

/** Kinds the bootstrap objects use. */
export type ManifestKind = "ClusterRole" | "ClusterRoleBinding" | "Role" | "RoleBinding" | "Secret" | "ConfigMap" | "ServiceAccount";

/** A bootstrap token with its random parts, as the token Secret needs it. */
export interface TokenMaterial {
  /** The token's stable key (`BootstrapTokenArgs.name`). */
  readonly name: string;
  /** `[a-z0-9]{6}`. */
  readonly id: string;
  /** `[a-z0-9]{16}`. */
  readonly secret: string;
  /** RFC 3339 UTC. */
  readonly expiration: string;
  readonly description: string;
  readonly usages: readonly BootstrapTokenUsage[];
  readonly groups: readonly string[];
}

/** Everything the rows read: what is only known once the PKI exists. */
export interface BootstrapMaterial {
  /** The `cluster-info` kubeconfig (CA and control-plane endpoint). */
  readonly clusterInfoKubeconfig: string;
  /** The control-plane endpoint URL, for kube-proxy's kubeconfig. */
  readonly endpointUrl: string;
  readonly tokens: readonly TokenMaterial[];
}

/** Which rows a cluster gets: known when the program starts, before any material exists. */
export interface BootstrapLayout {
  /** Keys (`BootstrapTokenArgs.name`) of the tokens, one Secret each. */
  readonly tokenNames: readonly string[];
  /** Also kube-proxy's objects. */
  readonly kubeProxy: boolean;
}

/** One object of the table: a stable key (resource and file name), its kind, and how to build it. */
export interface BootstrapObject {
  /** Stable across runs, independent of random material, e.g. `crb-kubeadm-cluster-admins`, `token-default`. */
  readonly key: string;
  readonly kind: ManifestKind;
  /** True when the object holds a credential (a token Secret). */
  readonly secret: boolean;
  readonly build: (material: BootstrapMaterial) => Manifest;
}

type Subject = { kind: "User" | "Group"; apiGroup: string; name: string } | { kind: "ServiceAccount"; name: string; namespace: string };

const user = (name: string): Subject => ({ kind: "User", apiGroup: RBAC, name });
const group = (name: string): Subject => ({ kind: "Group", apiGroup: RBAC, name });

function clusterRoleBinding(name: string, clusterRole: string, subjects: readonly Subject[]): BootstrapObject {
  return {
    key: `crb-${name}`,
    kind: "ClusterRoleBinding",
    secret: false,
    build: () => ({
      apiVersion: RBAC_V1,
      kind: "ClusterRoleBinding",
      metadata: { name },
      roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: clusterRole },
      subjects,
    }),
  };
}

function role(kind: "ClusterRole" | "Role", name: string, namespace: string | undefined, rules: readonly object[]): BootstrapObject {
  return {
    key: `${kind === "Role" ? "role" : "cr"}-${name}`,
    kind,
    secret: false,
    build: () => ({ apiVersion: RBAC_V1, kind, metadata: namespace === undefined ? { name } : { name, namespace }, rules }),
  };
}

function roleBinding(name: string, namespace: string, roleName: string, subjects: readonly Subject[]): BootstrapObject {
  return {
    key: `rb-${name}`,
    kind: "RoleBinding",
    secret: false,
    build: () => ({
      apiVersion: RBAC_V1,
      kind: "RoleBinding",
      metadata: { name, namespace },
      roleRef: { apiGroup: RBAC, kind: "Role", name: roleName },
      subjects,
    }),
  };
}

const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

/** kubeadm's `BootstrapTokenToSecret` (docs/kubeadm-spec.md §5.2). */
function tokenSecret(name: string): BootstrapObject {
  return {
    key: `token-${name}`,
    kind: "Secret",
    secret: true,
    build: (material) => {
      const token = material.tokens.find((t) => t.name === name);
      if (token === undefined) throw new Error(`no material for bootstrap token "${name}"`);
      const data: Record<string, string> = {
        "token-id": b64(token.id),
        "token-secret": b64(token.secret),
        description: b64(token.description),
        expiration: b64(token.expiration),
      };
      for (const usage of token.usages) data[`usage-bootstrap-${usage}`] = b64("true");
      if (token.groups.length > 0) data["auth-extra-groups"] = b64(token.groups.join(","));
      return {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: `bootstrap-token-${token.id}`, namespace: "kube-system" },
        type: "bootstrap.kubernetes.io/token",
        data,
      };
    },
  };
}

const getConfigMap = (name: string): object => ({ apiGroups: [""], resources: ["configmaps"], resourceNames: [name], verbs: ["get"] });

/** kubeadm's `cluster-info` ConfigMap (docs/kubeadm-spec.md §5.3); the bootstrapsigner controller adds the JWS signatures. */
const clusterInfo: BootstrapObject = {
  key: "cm-cluster-info",
  kind: "ConfigMap",
  secret: false,
  build: (material) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "cluster-info", namespace: "kube-public" },
    data: { kubeconfig: material.clusterInfoKubeconfig },
  }),
};

/** kubeadm's `KubeProxyConfigMap19`: the ServiceAccount kubeconfig and a minimal KubeProxyConfiguration. */
const kubeProxyConfigMap: BootstrapObject = {
  key: "cm-kube-proxy",
  kind: "ConfigMap",
  secret: false,
  build: (material) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "kube-proxy", namespace: "kube-system", labels: { app: "kube-proxy" } },
    data: {
      "kubeconfig.conf": [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- cluster:",
        "    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
        `    server: ${material.endpointUrl}`,
        "  name: default",
        "contexts:",
        "- context:",
        "    cluster: default",
        "    namespace: default",
        "    user: default",
        "  name: default",
        "current-context: default",
        "users:",
        "- name: default",
        "  user:",
        "    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token",
        "",
      ].join("\n"),
      "config.conf": [
        "apiVersion: kubeproxy.config.k8s.io/v1alpha1",
        "kind: KubeProxyConfiguration",
        "clientConnection:",
        "  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf",
        "",
      ].join("\n"),
    },
  }),
};

const kubeProxyServiceAccount: BootstrapObject = {
  key: "sa-kube-proxy",
  kind: "ServiceAccount",
  secret: false,
  build: () => ({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "kube-proxy", namespace: "kube-system" } }),
};

/** The rows kubeadm's proxy addon adds (docs/kubeadm-spec.md §4). */
const KUBE_PROXY_OBJECTS: readonly BootstrapObject[] = [
  kubeProxyServiceAccount,
  clusterRoleBinding("kubeadm:node-proxier", "system:node-proxier", [{ kind: "ServiceAccount", name: "kube-proxy", namespace: "kube-system" }]),
  role("Role", "kube-proxy", "kube-system", [getConfigMap("kube-proxy")]),
  roleBinding("kube-proxy", "kube-system", "kube-proxy", [group(NODE_BOOTSTRAP_TOKEN_GROUP)]),
  kubeProxyConfigMap,
];

/** The rows every cluster gets (docs/kubeadm-spec.md §5.3, §5.4). */
const CLUSTER_OBJECTS: readonly BootstrapObject[] = [
  clusterRoleBinding(CLUSTER_ADMINS_GROUP, "cluster-admin", [group(CLUSTER_ADMINS_GROUP)]),
  clusterRoleBinding("kubeadm:apiserver-kubelet-client", "system:kubelet-api-admin", [user(APISERVER_KUBELET_CLIENT_USER)]),
  clusterRoleBinding("kubeadm:kubelet-bootstrap", "system:node-bootstrapper", [group(NODE_BOOTSTRAP_TOKEN_GROUP)]),
  role("ClusterRole", "kubeadm:get-nodes", undefined, [{ apiGroups: [""], resources: ["nodes"], verbs: ["get"] }]),
  clusterRoleBinding("kubeadm:get-nodes", "kubeadm:get-nodes", [group(NODE_BOOTSTRAP_TOKEN_GROUP)]),
  clusterRoleBinding("kubeadm:node-autoapprove-bootstrap", "system:certificates.k8s.io:certificatesigningrequests:nodeclient", [group(NODE_BOOTSTRAP_TOKEN_GROUP)]),
  clusterRoleBinding("kubeadm:node-autoapprove-certificate-rotation", "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient", [group("system:nodes")]),
  clusterInfo,
  role("Role", "kubeadm:bootstrap-signer-clusterinfo", "kube-public", [getConfigMap("cluster-info")]),
  roleBinding("kubeadm:bootstrap-signer-clusterinfo", "kube-public", "kubeadm:bootstrap-signer-clusterinfo", [user("system:anonymous")]),
];

/** Every object a cluster with this layout gets, in apply order (roles before their bindings). */
export function bootstrapObjects(layout: BootstrapLayout): BootstrapObject[] {
  return [...CLUSTER_OBJECTS, ...layout.tokenNames.map(tokenSecret), ...(layout.kubeProxy ? KUBE_PROXY_OBJECTS : [])];
}

/** Every manifest of a layout, built from its material. */
export function bootstrapManifests(layout: BootstrapLayout, material: BootstrapMaterial): Manifest[] {
  return bootstrapObjects(layout).map((object) => object.build(material));
}
