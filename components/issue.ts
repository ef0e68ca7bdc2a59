import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { privateKeyArgs } from "./algorithms";
import { CA_USAGES, CaId, CaSpec, CatalogRow, extendedUsagesOf, IssuedSpec, KeyPairSpec, LEAF_KEY_USAGES, subjectFor } from "./catalog";
import { childName } from "./naming";
import { ClusterPlan, NodeContext, nodesWithRole } from "./plan";
import { TrustDomain } from "./types";

/** A CA certificate and its key. */
export interface IssuedCa {
  /** The catalog row. */
  readonly spec: CaSpec;
  /** The self-signed CA certificate. */
  readonly certPem: pulumi.Output<string>;
  /** The CA's private key. */
  readonly keyPem: pulumi.Output<string>;
}

/** A bare key pair. */
export interface IssuedKeyPair {
  /** The catalog row. */
  readonly spec: KeyPairSpec;
  /** The private key (PKCS#1 or SEC1 PEM). */
  readonly privateKeyPem: pulumi.Output<string>;
  /** The public key (PKIX PEM). */
  readonly publicKeyPem: pulumi.Output<string>;
}

/** A certificate issued from a CA to a node (or, when `node` is absent, to the operator). */
export interface IssuedCert {
  /** The catalog row. */
  readonly spec: IssuedSpec;
  /** The node it was issued to; absent for the operator's copy. */
  readonly node?: NodeContext;
  /** The certificate, signed by the row's CA. */
  readonly certPem: pulumi.Output<string>;
  /** Its private key. */
  readonly keyPem: pulumi.Output<string>;
}

/** Every piece of key material the catalog produced. */
export interface IssuedPki {
  /** The CAs by id. */
  readonly cas: Readonly<Record<CaId, IssuedCa>>;
  /** The bare key pairs. */
  readonly keyPairs: readonly IssuedKeyPair[];
  /** Every leaf and kubeconfig certificate, per node and for the operator. */
  readonly certs: readonly IssuedCert[];
}

/**
 * Creates the tls resources of every catalog row: one key, CSR and certificate per CA, node and
 * operator copy, named by {@link childName} and parented to the component.
 */
export function issueCatalog(
  component: string,
  plan: ClusterPlan,
  catalog: readonly CatalogRow[],
  parent: pulumi.Resource,
): IssuedPki {
  const opts: pulumi.CustomResourceOptions = { parent };
  const cas = {} as Record<CaId, IssuedCa>;
  const keyPairs: IssuedKeyPair[] = [];
  const certs: IssuedCert[] = [];
  const newKey = (name: string, domain: TrustDomain): tls.PrivateKey =>
    new tls.PrivateKey(name, privateKeyArgs(plan.algorithms[domain]), opts);

  const issue = (spec: IssuedSpec, node?: NodeContext): void => {
    const ca = cas[spec.ca];
    const name = childName(component, spec.id, node?.name);
    const key = newKey(name, ca.spec.domain);
    const sans = spec.kind === "leaf" && spec.sans !== undefined && node !== undefined ? spec.sans(node, plan) : undefined;
    const csr = new tls.CertRequest(
      name,
      {
        privateKeyPem: key.privateKeyPem,
        subject: subjectFor(spec.subject, node),
        ...(sans && { dnsNames: [...sans.dnsNames], ipAddresses: [...sans.ipAddresses] }),
      },
      opts,
    );
    const cert = new tls.LocallySignedCert(
      name,
      {
        certRequestPem: csr.certRequestPem,
        caCertPem: ca.certPem,
        caPrivateKeyPem: ca.keyPem,
        allowedUses: [...LEAF_KEY_USAGES, ...extendedUsagesOf(spec)],
        validityPeriodHours: plan.leafValidityHours,
        earlyRenewalHours: plan.leafRenewBeforeHours,
      },
      opts,
    );
    certs.push({ spec, node, certPem: cert.certPem, keyPem: key.privateKeyPem });
  };

  for (const row of catalog) {
    switch (row.kind) {
      case "ca": {
        const name = childName(component, row.id);
        const key = newKey(name, row.domain);
        const cert = new tls.SelfSignedCert(
          name,
          {
            privateKeyPem: key.privateKeyPem,
            subject: { commonName: row.commonName },
            dnsNames: [row.commonName],
            isCaCertificate: true,
            allowedUses: [...CA_USAGES],
            validityPeriodHours: plan.caValidityHours,
            earlyRenewalHours: plan.caRenewBeforeHours,
          },
          opts,
        );
        cas[row.id] = { spec: row, certPem: cert.certPem, keyPem: key.privateKeyPem };
        break;
      }
      case "key-pair": {
        const key = newKey(childName(component, row.id), row.domain);
        keyPairs.push({ spec: row, privateKeyPem: key.privateKeyPem, publicKeyPem: key.publicKeyPem });
        break;
      }
      case "leaf":
        nodesWithRole(plan, row.nodes).forEach((node) => issue(row, node));
        break;
      case "kubeconfig":
        if (row.nodes !== undefined) nodesWithRole(plan, row.nodes).forEach((node) => issue(row, node));
        if (row.operator) issue(row);
        break;
    }
  }
  return { cas, keyPairs, certs };
}
