import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesPki } from "../kubernetesPki";
import { childName } from "../naming";
import { Manifest, ManifestKind } from "./objects";

/** Arguments to {@link KubernetesBootstrap}. */
export interface KubernetesBootstrapArgs {
  /** The PKI whose bootstrap objects (bindings, `cluster-info`, tokens, `bootstrap` options) are created. */
  readonly pki: KubernetesPki;
  /** The cluster to create them in. Default: `pki.kubernetesProvider()` (the operator's `admin.conf`). */
  readonly provider?: k8s.Provider;
}

/** One field of a manifest, as an input (the manifests are plain data; their fields are typed by Kubernetes). */
type Field = (name: string) => pulumi.Output<any>;

/** How each kind becomes a `@pulumi/kubernetes` resource: `metadata` and the fields the table fills. */
const CREATE: Readonly<Record<ManifestKind, (name: string, f: Field, opts: pulumi.CustomResourceOptions) => pulumi.CustomResource>> = {
  ClusterRole: (name, f, opts) => new k8s.rbac.v1.ClusterRole(name, { metadata: f("metadata"), rules: f("rules") }, opts),
  ClusterRoleBinding: (name, f, opts) =>
    new k8s.rbac.v1.ClusterRoleBinding(name, { metadata: f("metadata"), roleRef: f("roleRef"), subjects: f("subjects") }, opts),
  Role: (name, f, opts) => new k8s.rbac.v1.Role(name, { metadata: f("metadata"), rules: f("rules") }, opts),
  RoleBinding: (name, f, opts) => new k8s.rbac.v1.RoleBinding(name, { metadata: f("metadata"), roleRef: f("roleRef"), subjects: f("subjects") }, opts),
  Secret: (name, f, opts) => new k8s.core.v1.Secret(name, { metadata: f("metadata"), type: f("type"), data: f("data") }, opts),
  ConfigMap: (name, f, opts) => new k8s.core.v1.ConfigMap(name, { metadata: f("metadata"), data: f("data") }, opts),
  ServiceAccount: (name, f, opts) => new k8s.core.v1.ServiceAccount(name, { metadata: f("metadata") }, opts),
};

/**
 * What `kubeadm init` creates in the cluster, created with `@pulumi/kubernetes` from the PKI's
 * bootstrap object table (the same manifests the offline render writes under `manifests/`): the
 * `kubeadm:cluster-admins` and `kubeadm:apiserver-kubelet-client` bindings, the node bootstrap
 * bindings, `cluster-info` with anonymous read access, one Secret per bootstrap token and,
 * with `bootstrap.kubeProxy`, kube-proxy's objects. Names, subjects and shapes are kubeadm's.
 * A renewed token is a new Secret (`bootstrap-token-<new id>`), created before the old one is deleted.
 */
export class KubernetesBootstrap extends pulumi.ComponentResource {
  /** Every object as created, in table order. Secret when it holds bootstrap tokens. */
  public readonly manifests: pulumi.Output<Manifest[]>;
  /** The created resources by table key (e.g. `crb-kubeadm:cluster-admins`, `token-default`). */
  public readonly resources: Readonly<Record<string, pulumi.CustomResource>>;

  constructor(name: string, args: KubernetesBootstrapArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kubernetes-pki:index:KubernetesBootstrap", name, {}, opts);
    const { pki } = args;
    const provider = args.provider ?? pki.kubernetesProvider();
    const material = pki.bootstrap.material;
    const resources: Record<string, pulumi.CustomResource> = {};
    for (const object of pki.bootstrap.objects) {
      const manifest = material.apply((m) => object.build(m));
      const field: Field = (f) => manifest.apply((m) => m[f]);
      resources[object.key] = CREATE[object.kind](childName(name, object.key.replace(/:/g, "-")), field, { parent: this, provider });
    }
    this.resources = resources;
    this.manifests = pki.bootstrapManifests;
    this.registerOutputs({ manifests: this.manifests });
  }
}
