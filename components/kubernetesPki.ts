import * as pulumi from "@pulumi/pulumi";
import { CATALOG, CaId } from "./catalog";
import { issueCatalog } from "./issue";
import { NodeFiles } from "./layout";
import { kubeconfigOf, nodeFileOutputs } from "./nodeFiles";
import { ClusterPlan } from "./plan";
import { KubernetesPkiArgs } from "./types";
import { validate } from "./validate";

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
  /** CA certificates (PEM) by CA id: `ca`, `etcd-ca`, `front-proxy-ca`. Public. */
  public readonly caCertificates: pulumi.Output<Record<CaId, string>>;
  /** CA private keys (PEM) by CA id. Secret; only `ca.key` is placed on nodes. */
  public readonly caPrivateKeys: pulumi.Output<Record<CaId, string>>;
  /** The service-account token signing key pair. */
  public readonly serviceAccount: ServiceAccountKeyPair;
  /** The operator's `admin.conf` and `super-admin.conf`. Secret. */
  public readonly kubeconfigs: OperatorKubeconfigs;
  /** Every file each node needs, keyed by node name, then absolute path. Secret. */
  public readonly files: pulumi.Output<Record<string, NodeFiles>>;
  /** Names of every node, control-plane nodes first, then etcd members, then workers. */
  public readonly nodeNames: readonly string[];
  /** The validated and defaulted inputs. */
  public readonly plan: ClusterPlan;

  private readonly nodeFileMaps: ReadonlyMap<string, pulumi.Output<NodeFiles>>;

  constructor(name: string, args: KubernetesPkiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kubernetes-pki:index:KubernetesPki", name, {}, opts);
    this.plan = validate(name, args);
    const pki = issueCatalog(name, this.plan, CATALOG, this);

    const caIds = Object.keys(pki.cas) as CaId[];
    const byCa = (pick: (id: CaId) => pulumi.Output<string>): pulumi.Output<Record<CaId, string>> =>
      pulumi.all(caIds.map(pick)).apply((pems) => Object.fromEntries(caIds.map((id, i) => [id, pems[i]])) as Record<CaId, string>);
    this.caCertificates = byCa((id) => pki.cas[id].certPem);
    this.caPrivateKeys = pulumi.secret(byCa((id) => pki.cas[id].keyPem));

    const sa = pki.keyPairs[0];
    this.serviceAccount = { publicKeyPem: sa.publicKeyPem, privateKeyPem: pulumi.secret(sa.privateKeyPem) };

    const operatorKubeconfig = (id: string): pulumi.Output<string> => {
      const cert = pki.certs.find((c) => c.node === undefined && c.spec.id === id);
      if (cert === undefined) throw new Error(`the catalog has no operator kubeconfig ${id}`);
      return pulumi.secret(kubeconfigOf(this.plan, pki, cert));
    };
    this.kubeconfigs = { admin: operatorKubeconfig("admin.conf"), superAdmin: operatorKubeconfig("super-admin.conf") };

    this.nodeNames = this.plan.nodes.map((node) => node.name);
    this.nodeFileMaps = new Map(
      this.plan.nodes.map((node) => [node.name, pulumi.secret(pulumi.all(nodeFileOutputs(this.plan, pki, node)))]),
    );
    this.files = pulumi.secret(pulumi.all(Object.fromEntries(this.nodeFileMaps)));

    this.registerOutputs({
      caCertificates: this.caCertificates,
      caPrivateKeys: this.caPrivateKeys,
      serviceAccount: this.serviceAccount,
      kubeconfigs: this.kubeconfigs,
      files: this.files,
    });
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
