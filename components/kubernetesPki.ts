import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { BootstrapToken, ClusterBootstrap, clusterBootstrap, joinUserData } from "./bootstrap/clusterBootstrap";
import { ENCRYPTION_CONFIG_PATH } from "./bootstrap/encryption";
import { Manifest } from "./bootstrap/objects";
import { issueEncryptionKeys, issueTokens } from "./bootstrap/randomMaterial";
import { CATALOG, CaId, KubeconfigSpec } from "./catalog";
import { adminConf, serviceAccountKey, superAdminConf } from "./catalog/kubernetes";
import { CloudInitOptions, renderCloudInit, UserData } from "./cloudInit";
import { ExpiryReportRow, expiryReport } from "./expiryReport";
import { issueCatalog } from "./issue";
import { NodeFiles } from "./layout";
import { NodeBundleOptions, renderNodeBundle } from "./nodeBundle";
import { kubeconfigOf, nodeFileOutputs } from "./nodeFiles";
import { catalogPaths } from "./placement";
import { controlPlaneEndpointUrl } from "./endpoints";
import { ClusterPlan } from "./plan";
import { KubernetesPkiArgs } from "./types";
import { KubernetesPkiInputError, validate } from "./validate";
import { bundleProblems, cloudInitProblems } from "./validation/delivery";

/** The operator's kubeconfigs, not placed on any node. */
export interface OperatorKubeconfigs {
  /** `admin.conf`: `kubernetes-admin` in `kubeadm:cluster-admins`. Secret. */
  readonly admin: pulumi.Output<string>;
  /** `super-admin.conf`: break-glass `kubernetes-super-admin` in `system:masters`. Secret. */
  readonly superAdmin: pulumi.Output<string>;
}

/** The service-account token signing key pair (`sa.key`, `sa.pub`). */
export interface ServiceAccountKeyPair {
  /** `sa.pub`: PKIX `PUBLIC KEY` PEM. Public. */
  readonly publicKeyPem: pulumi.Output<string>;
  /** `sa.key`: private key PEM. Secret. */
  readonly privateKeyPem: pulumi.Output<string>;
}

/**
 * The complete PKI of a kubeadm-style control plane: the cluster, etcd and front-proxy CAs, the
 * service-account key pair, every leaf certificate and kubeconfig, per node and for the operator,
 * composed of `@pulumi/tls` resources. File names, subjects, usages and SANs follow kubeadm v1.31+.
 */
export class KubernetesPki extends pulumi.ComponentResource {
  /** Trusted CA certificates (PEM) by CA id: `ca`, `etcd-ca`, `front-proxy-ca`; both generations during a staged rotation, issuing first. Public. */
  public readonly caCertificates: pulumi.Output<Record<CaId, string>>;
  /** Issuing CA private keys (PEM) by CA id. Secret; only `ca.key` is placed on nodes. */
  public readonly caPrivateKeys: pulumi.Output<Record<CaId, string>>;
  /** The service-account token signing key pair. */
  public readonly serviceAccount: ServiceAccountKeyPair;
  /** The operator's `admin.conf` and `super-admin.conf`. Secret. */
  public readonly kubeconfigs: OperatorKubeconfigs;
  /** Every file each node needs, keyed by node name, then absolute path. Secret. */
  public readonly files: pulumi.Output<Record<string, NodeFiles>>;
  /** Every node's cloud-init user-data, rendered with the `userData` options, by node name. Secret. */
  public readonly userData: pulumi.Output<Record<string, string>>;
  /** Size in bytes of every node's user-data as the cloud counts it, by node name. Public. */
  public readonly userDataSizes: pulumi.Output<Record<string, number>>;
  /** Size in bytes of every node's secret-store bundle (`bundles` options), by node name. Public. */
  public readonly bundleSizes: pulumi.Output<Record<string, number>>;
  /**
   * One row per certificate: every CA generation and every leaf and kubeconfig identity, with its
   * expiry, when it is re-issued (a CA: when previews start warning), its issuing CA and generations.
   * Public. Format it with `formatExpiryReport`.
   */
  public readonly expiryReport: pulumi.Output<ExpiryReportRow[]>;
  /** Names of every node, control-plane nodes first, then etcd members, then workers. */
  public readonly nodeNames: readonly string[];
  /** The validated and defaulted inputs. */
  public readonly plan: ClusterPlan;
  /**
   * What `kubeadm init` creates in the cluster (RBAC, `cluster-info`, token Secrets, optionally
   * kube-proxy's objects) as plain manifests, for `kubectl apply` or {@link KubernetesBootstrap}.
   * Secret when they hold bootstrap tokens.
   */
  public readonly bootstrapManifests: pulumi.Output<Manifest[]>;
  /** Bootstrap tokens by name: id, secret, expiration, `bootstrap-kubelet.conf` and join files. Secret. */
  public readonly bootstrapTokens: pulumi.Output<Record<string, BootstrapToken>>;
  /** `--discovery-token-ca-cert-hash`: `sha256:` and the hex SHA-256 of the issuing cluster CA's SubjectPublicKeyInfo. Public. */
  public readonly discoveryTokenCaCertHash: pulumi.Output<string>;
  /**
   * One `--discovery-token-ca-cert-hash` per CA in `ca.crt`, issuing first: one outside a
   * rotation, both generations during one. A join command that passes them all works in every
   * phase, as `kubeadm token create --print-join-command` does. Public.
   */
  public readonly discoveryTokenCaCertHashes: pulumi.Output<string[]>;
  /** The `EncryptionConfiguration` placed on control-plane nodes, when `encryptionAtRest` is given. Secret. */
  public readonly encryptionConfiguration?: pulumi.Output<string>;
  /** The bootstrap object table and its material, for {@link KubernetesBootstrap}. */
  public readonly bootstrap: ClusterBootstrap;

  private readonly nodeFileMaps: ReadonlyMap<string, pulumi.Output<NodeFiles>>;
  private readonly componentName: string;
  private readonly args: KubernetesPkiArgs;
  private provider?: k8s.Provider;

  constructor(name: string, args: KubernetesPkiArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validated before the component registers: bad input leaves nothing in the stack, not even an empty component.
    const plan = validate(name, args);
    super("kubernetes-pki:index:KubernetesPki", name, {}, opts);
    this.componentName = name;
    this.args = args;
    this.plan = plan;
    const pki = issueCatalog(name, this.plan, CATALOG, this);

    const caIds = Object.keys(pki.cas) as CaId[];
    const byCa = (pick: (id: CaId) => pulumi.Output<string>): pulumi.Output<Record<CaId, string>> =>
      pulumi.all(caIds.map(pick)).apply((pems) => Object.fromEntries(caIds.map((id, i) => [id, pems[i]])) as Record<CaId, string>);
    this.caCertificates = byCa((id) => pki.cas[id].bundlePem);
    this.caPrivateKeys = pulumi.secret(byCa((id) => pki.cas[id].keyPem));

    const sa = pki.keyPairs.find((pair) => pair.spec === serviceAccountKey);
    if (sa === undefined) throw new Error("the catalog issued no service-account key pair");
    this.serviceAccount = { publicKeyPem: sa.publicKeyPem, privateKeyPem: pulumi.secret(sa.privateKeyPem) };

    const operatorKubeconfig = (spec: KubeconfigSpec): pulumi.Output<string> => {
      const cert = pki.certs.find((c) => c.node === undefined && c.spec === spec);
      if (cert === undefined) throw new Error(`the catalog issued no operator ${spec.id}`);
      return pulumi.secret(kubeconfigOf(this.plan, pki, cert));
    };
    this.kubeconfigs = { admin: operatorKubeconfig(adminConf), superAdmin: operatorKubeconfig(superAdminConf) };

    // The clock is read once per run: it picks each token's generation, hence its renewal (see tokenPeriod).
    const tokens = issueTokens(name, this.plan.bootstrap, new Date(), this);
    const keys = issueEncryptionKeys(name, this.plan.bootstrap, this);
    this.bootstrap = clusterBootstrap(this.plan.bootstrap, pki.cas.ca.bundlePem, controlPlaneEndpointUrl(this.plan), tokens, keys);
    this.bootstrapManifests = this.bootstrap.manifests;
    this.bootstrapTokens = this.bootstrap.tokens;
    this.discoveryTokenCaCertHash = this.bootstrap.discoveryTokenCaCertHash;
    this.discoveryTokenCaCertHashes = this.bootstrap.discoveryTokenCaCertHashes;
    const encryptionFile = this.bootstrap.encryptionConfigFile;
    this.encryptionConfiguration = encryptionFile === undefined ? undefined : pulumi.secret(encryptionFile.apply((file) => file.content));

    this.expiryReport = expiryReport(pki, this.plan.caRenewBeforeHours);
    this.nodeNames = this.plan.nodes.map((node) => node.name);
    this.nodeFileMaps = new Map(
      this.plan.nodes.map((node) => {
        const files = nodeFileOutputs(this.plan, pki, CATALOG, node);
        if (encryptionFile !== undefined && node.roles.has("control-plane")) files[ENCRYPTION_CONFIG_PATH] = encryptionFile;
        return [node.name, pulumi.secret(pulumi.all(files))];
      }),
    );
    this.files = pulumi.secret(pulumi.all(Object.fromEntries(this.nodeFileMaps)));

    const perNode = <T>(render: (node: string) => pulumi.Output<T>): pulumi.Output<Record<string, T>> =>
      pulumi.all(Object.fromEntries(this.nodeNames.map((node) => [node, render(node)]))) as pulumi.Output<Record<string, T>>;
    const userData = perNode((node) => this.renderUserData(node, args.userData ?? {}));
    this.userData = pulumi.secret(userData.apply((docs) => mapValues(docs, (doc) => doc.content)));
    this.userDataSizes = pulumi.unsecret(userData.apply((docs) => mapValues(docs, (doc) => doc.bytes)));
    this.bundleSizes = pulumi.unsecret(perNode((node) => this.renderBundle(node, args.bundles ?? {}).apply((b) => b.bytes)));

    this.registerOutputs({
      caCertificates: this.caCertificates,
      caPrivateKeys: this.caPrivateKeys,
      serviceAccount: this.serviceAccount,
      kubeconfigs: this.kubeconfigs,
      files: this.files,
      userData: this.userData,
      userDataSizes: this.userDataSizes,
      bundleSizes: this.bundleSizes,
      bootstrapManifests: this.bootstrapManifests,
      bootstrapTokens: this.bootstrapTokens,
      discoveryTokenCaCertHash: this.discoveryTokenCaCertHash,
      discoveryTokenCaCertHashes: this.discoveryTokenCaCertHashes,
      expiryReport: this.expiryReport,
    });
  }

  /**
   * Cloud-init user-data for a worker that joins with a bootstrap token (an autoscaling group's
   * launch template): `ca.crt` and `bootstrap-kubelet.conf`, no per-node certificate; the kubelet
   * gets its client certificate through the CSR API. Options default to the component's `userData`. Secret.
   */
  public joinUserData(tokenName: string, options: CloudInitOptions = this.args.userData ?? {}): pulumi.Output<string> {
    const names = this.plan.bootstrap.tokens.map((token) => token.name);
    if (!names.includes(tokenName)) {
      throw new Error(`KubernetesPki "${this.componentName}" has no bootstrap token ${JSON.stringify(tokenName)}; tokens are ${names.join(", ") || "none (set bootstrap.tokens)"}`);
    }
    return pulumi.secret(this.bootstrapTokens.apply((tokens) => joinUserData(tokens[tokenName], options)));
  }

  /**
   * A Kubernetes provider that acts with the operator's `admin.conf`. Its `clusterIdentifier` is
   * stable, so a renewed admin certificate (a new kubeconfig) updates the provider in place instead
   * of planning every Kubernetes resource it manages as replaced. One provider per component.
   */
  public kubernetesProvider(): k8s.Provider {
    this.provider ??= new k8s.Provider(`${this.componentName}-admin`, {
      kubeconfig: this.kubeconfigs.admin,
      clusterIdentifier: `kubernetes-pki/${this.componentName}/${this.plan.clusterName}`,
    }, { parent: this });
    return this.provider;
  }

  /**
   * One node's cloud-init user-data: a `#cloud-config` whose `write_files` lays down exactly that
   * node's files (owner `root:root`, keys and kubeconfigs 0600). Options default to the component's
   * `userData`. Secret. Fails (preview, once the keys exist, or up) when over `maxBytes`.
   */
  public cloudInit(nodeName: string, options: CloudInitOptions = this.args.userData ?? {}): pulumi.Output<string> {
    const paths = [
      ...catalogPaths(CATALOG),
      ...(this.encryptionConfiguration === undefined ? [] : [ENCRYPTION_CONFIG_PATH]),
    ];
    const problems = cloudInitProblems("cloudInit options", options, paths);
    if (problems.length > 0) throw new KubernetesPkiInputError(this.componentName, problems);
    return pulumi.secret(this.renderUserData(nodeName, options).apply((doc) => doc.content));
  }

  /**
   * One node's secret-store bundle: `{ "files": { "<path>": { "content", "mode" } } }` (JSON, or
   * gzip in base64). Options default to the component's `bundles`. Secret. Fails when over `maxBytes`.
   * Deliver it with `bundleInstallScript`.
   */
  public nodeBundle(nodeName: string, options: NodeBundleOptions = this.args.bundles ?? {}): pulumi.Output<string> {
    const problems = bundleProblems("nodeBundle options", options);
    if (problems.length > 0) throw new KubernetesPkiInputError(this.componentName, problems);
    return pulumi.secret(this.renderBundle(nodeName, options).apply((bundle) => bundle.content));
  }

  private renderUserData(nodeName: string, options: CloudInitOptions): pulumi.Output<UserData> {
    return this.nodeFiles(nodeName).apply((files) => {
      const doc = renderCloudInit(Object.values(files), options);
      this.enforceLimit(`the user-data of node "${nodeName}"`, doc.bytes, options.maxBytes, "userData.maxBytes",
        'compress it (compression "files", or "document" where the cloud takes gzip), use ECDSA keys, or deliver the files with nodeBundle() and a secret store');
      return doc;
    });
  }

  private renderBundle(nodeName: string, options: NodeBundleOptions): pulumi.Output<{ content: string; bytes: number }> {
    return this.nodeFiles(nodeName).apply((files) => {
      const bundle = renderNodeBundle(Object.values(files), options);
      this.enforceLimit(`the secret-store bundle of node "${nodeName}"`, bundle.bytes, options.maxBytes, "bundles.maxBytes",
        'use encoding "gzip" (a binary secret) or ECDSA keys');
      return bundle;
    });
  }

  private enforceLimit(what: string, bytes: number, maxBytes: number | undefined, field: string, remedy: string): void {
    if (maxBytes === undefined || bytes <= maxBytes) return;
    throw new Error(`KubernetesPki "${this.componentName}": ${what} is ${bytes} bytes, over ${field} ${maxBytes}; ${remedy}`);
  }

  /** Every file one node needs, keyed by absolute path. Secret. Throws for an unknown node name. */
  public nodeFiles(nodeName: string): pulumi.Output<NodeFiles> {
    const files = this.nodeFileMaps.get(nodeName);
    if (files === undefined) {
      throw new Error(`KubernetesPki has no node ${JSON.stringify(nodeName)}; nodes are ${this.nodeNames.join(", ")}`);
    }
    return files;
  }
}

function mapValues<T, U>(record: Record<string, T>, f: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value)]));
}
