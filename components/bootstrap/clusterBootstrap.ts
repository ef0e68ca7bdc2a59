import * as pulumi from "@pulumi/pulumi";
import { CloudInitOptions, renderCloudInit } from "../cloudInit";
import { clusterCa } from "../catalog/kubernetes";
import { KUBERNETES_DIR, NodeFile, PUBLIC_MODE, SECRET_MODE } from "../layout";
import { rowPath } from "../placement";
import { renderBootstrapKubeconfig, renderClusterInfoKubeconfig } from "./bootstrapKubeconfig";
import { discoveryTokenCaCertHash, discoveryTokenCaCertHashes } from "./discoveryHash";
import { ENCRYPTION_CONFIG_PATH, renderEncryptionConfiguration } from "./encryption";
import { BootstrapMaterial, BootstrapObject, bootstrapObjects, Manifest, TokenMaterial } from "./objects";
import { BootstrapPlan } from "./plan";
import { IssuedEncryptionKey, IssuedToken } from "./randomMaterial";

/** Where a joining kubelet finds its bootstrap kubeconfig (kubeadm `KubeletBootstrapKubeConfigFileName`). */
export const BOOTSTRAP_KUBECONFIG_PATH = `${KUBERNETES_DIR}/bootstrap-kubelet.conf`;

/** Where a joining node gets the cluster CA bundle. */
const CA_CERT_PATH = rowPath(clusterCa, "certificate");

/** One bootstrap token and what a joining node needs from it. */
export interface BootstrapToken {
  /** `[a-z0-9]{6}`. */
  readonly id: string;
  /** `[a-z0-9]{16}`. */
  readonly secret: string;
  /** `<id>.<secret>`, as `kubeadm join --token` takes it. */
  readonly token: string;
  /** RFC 3339 UTC. */
  readonly expiration: string;
  /** `/etc/kubernetes/bootstrap-kubelet.conf` for a kubelet's `--bootstrap-kubeconfig`. */
  readonly bootstrapKubeconfig: string;
  /** The files a joining node needs: `ca.crt` and `bootstrap-kubelet.conf`, keyed by path. No per-node certificate. */
  readonly files: Record<string, NodeFile>;
}

/** Everything the cluster-side bootstrap produces from the PKI and the random material. */
export interface ClusterBootstrap {
  /** The object table for this cluster (kinds and keys known before any material). */
  readonly objects: readonly BootstrapObject[];
  /** What the table's rows read. Secret when there are tokens. */
  readonly material: pulumi.Output<BootstrapMaterial>;
  /** Every object as a manifest. Secret when there are tokens. */
  readonly manifests: pulumi.Output<Manifest[]>;
  /** By token name. Secret. */
  readonly tokens: pulumi.Output<Record<string, BootstrapToken>>;
  /** `sha256:<hex>` of the issuing cluster CA's SubjectPublicKeyInfo. Public. */
  readonly discoveryTokenCaCertHash: pulumi.Output<string>;
  /** One hash per CA of the cluster CA bundle, issuing first (two during a rotation). Public. */
  readonly discoveryTokenCaCertHashes: pulumi.Output<string[]>;
  /** The `EncryptionConfiguration` file for control-plane nodes, when encryption at rest is on. Secret. */
  readonly encryptionConfigFile?: pulumi.Output<NodeFile>;
}

/**
 * Assembles the bootstrap outputs from the cluster CA bundle (issuing CA first; both generations
 * during a rotation), the endpoint and the random material.
 */
export function clusterBootstrap(
  plan: BootstrapPlan,
  caBundlePem: pulumi.Output<string>,
  endpointUrl: string,
  tokens: readonly IssuedToken[],
  keys: readonly IssuedEncryptionKey[],
): ClusterBootstrap {
  const objects = bootstrapObjects({ tokenNames: plan.tokens.map((t) => t.name), kubeProxy: plan.kubeProxy });
  const tokenMaterial = pulumi.all(tokens.map((t) => pulumi.all([t.id, t.secret]).apply(([id, secret]): TokenMaterial => ({
    name: t.plan.name, id, secret, expiration: t.expiration, description: t.plan.description, usages: t.plan.usages, groups: t.plan.groups,
  }))));
  const holdsTokens = tokens.length > 0;
  const plainMaterial = pulumi.all([caBundlePem, tokenMaterial]).apply(([ca, list]): BootstrapMaterial => ({
    clusterInfoKubeconfig: renderClusterInfoKubeconfig({ server: endpointUrl, caCertPem: ca }),
    endpointUrl,
    tokens: list,
  }));
  // Secret when it holds tokens; what is derived from it (the manifests) inherits that.
  const material = holdsTokens ? pulumi.secret(plainMaterial) : plainMaterial;
  const manifests = material.apply((m) => objects.map((object) => object.build(m)));
  const tokenOutputs = pulumi.secret(pulumi.all([caBundlePem, tokenMaterial]).apply(([ca, list]) =>
    Object.fromEntries(list.map((t): [string, BootstrapToken] => {
      const token = `${t.id}.${t.secret}`;
      const bootstrapKubeconfig = renderBootstrapKubeconfig({ server: endpointUrl, caCertPem: ca, token });
      const files: Record<string, NodeFile> = {
        [CA_CERT_PATH]: { path: CA_CERT_PATH, content: ca, mode: PUBLIC_MODE },
        [BOOTSTRAP_KUBECONFIG_PATH]: { path: BOOTSTRAP_KUBECONFIG_PATH, content: bootstrapKubeconfig, mode: SECRET_MODE },
      };
      return [t.name, { id: t.id, secret: t.secret, token, expiration: t.expiration, bootstrapKubeconfig, files }];
    })),
  ));
  const encryption = plan.encryption;
  const encryptionConfigFile = encryption === undefined ? undefined : pulumi.secret(
    pulumi.all(keys.map((key) => key.secret)).apply((secrets): NodeFile => ({
      path: ENCRYPTION_CONFIG_PATH,
      content: renderEncryptionConfiguration(encryption.resources, keys.map((key, i) => ({ name: key.name, provider: key.provider, secret: secrets[i] }))),
      mode: SECRET_MODE,
    })),
  );
  return {
    objects,
    material,
    manifests,
    tokens: tokenOutputs,
    discoveryTokenCaCertHash: caBundlePem.apply(discoveryTokenCaCertHash),
    discoveryTokenCaCertHashes: caBundlePem.apply(discoveryTokenCaCertHashes),
    encryptionConfigFile,
  };
}

/** Cloud-init user-data for a node that joins with a bootstrap token: `ca.crt` and `bootstrap-kubelet.conf` only. */
export function joinUserData(token: BootstrapToken, options: CloudInitOptions): string {
  return renderCloudInit(Object.values(token.files), options).content;
}
