import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { privateKeyArgs } from "./algorithms";
import { CaId, CatalogRow, extendedUsagesOf, IssuedSpec, LEAF_KEY_USAGES, subjectFor, trustDomainOf } from "./catalog";
import { IssuedCa, IssuedKeyPair, issueCa, issueKeyPair } from "./issueAuthority";
import { IssueBatches, WORKERS_PER_BATCH } from "./issueBatches";
import { childName } from "./naming";
import { ClusterPlan, NodeContext, nodesWithRole } from "./plan";
import { leafGeneration } from "./rotation/plan";
import { RenewalCheck } from "./rotation/renewalCheck";
import { RotationStage } from "./rotation/rotationStage";
import { AUTHORITY_IDS, AuthorityId, stageOf } from "./rotation/stages";

export { IssuedCa, IssuedKeyPair } from "./issueAuthority";

/** A certificate issued from a CA to a node (or, when `node` is absent, to the operator). */
export interface IssuedCert {
  /** The catalog row. */
  readonly spec: IssuedSpec;
  /** The node it was issued to; absent for the operator's copy. */
  readonly node?: NodeContext;
  /** The certificate, signed by the row's issuing CA. */
  readonly certPem: pulumi.Output<string>;
  /** Its private key. */
  readonly keyPem: pulumi.Output<string>;
  /** Its re-issue generation `<all>.<kind>.<node>` (see `leafGeneration`). */
  readonly generation: string;
  /** The generation of the CA that issued it. */
  readonly issuingGeneration: number;
  /** Its expiry (the tls provider's `validityEndTime`), RFC 3339. */
  readonly validityEndTime: pulumi.Output<string>;
  /** Hours before expiry it is re-issued (its trust domain's `certificateRenewBefore`). */
  readonly renewBeforeHours: number;
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
 * Records every authority's rotation stage in the stack (see `rotationStage.ts`). Registered before
 * any key or certificate, so an illegal step fails the preview before anything else is planned.
 */
function recordStages(component: string, plan: ClusterPlan, parent: pulumi.Resource): void {
  for (const authority of AUTHORITY_IDS) {
    const stage = plan.rotation.stages[authority];
    new RotationStage(childName(component, `rotation-${authority}`), { authority, ...stage }, { parent });
  }
}

/**
 * Creates the resources of every catalog row: every generation of each CA and key pair its stage
 * needs, and per node (and operator copy) a key, CSR and certificate named by {@link childName},
 * parented to the component. Each leaf's key, CSR and certificate carry a `replacementTrigger` made
 * of its re-issue generation, its issuing CA generation and its renewal check's issue time: a
 * change of any of them re-issues exactly that leaf with a new key.
 */
export function issueCatalog(
  component: string,
  plan: ClusterPlan,
  catalog: readonly CatalogRow[],
  parent: pulumi.Resource,
): IssuedPki {
  recordStages(component, plan, parent);
  const cas = {} as Record<CaId, IssuedCa>;
  const keyPairs: IssuedKeyPair[] = [];
  const certs: IssuedCert[] = [];

  /** Registers a leaf's renewal check, key, CSR and certificate; returns it and the certificate's URN. */
  const issue = (spec: IssuedSpec, node?: NodeContext): { issued: IssuedCert; registered: pulumi.Output<string> } => {
    const ca = cas[spec.ca];
    const name = childName(component, spec.id, node?.name);
    const { generation, issuingGeneration, renewBeforeHours } = leafTerms(spec, node);
    const check = new RenewalCheck(
      name,
      { generation: `${generation}@${issuingGeneration}`, validityHours: plan.leafValidityHours, renewBeforeHours },
      { parent },
    );
    const opts: pulumi.CustomResourceOptions = {
      parent,
      replacementTrigger: pulumi.interpolate`generation ${generation} issuer ${issuingGeneration} issued ${check.issuedAt}`,
    };
    const key = new tls.PrivateKey(name, privateKeyArgs(plan.algorithms[trustDomainOf(spec)]), opts);
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
        earlyRenewalHours: renewBeforeHours,
      },
      opts,
    );
    return {
      issued: {
        spec, node, certPem: cert.certPem, keyPem: key.privateKeyPem, generation, issuingGeneration,
        validityEndTime: cert.validityEndTime, renewBeforeHours,
      },
      registered: cert.urn,
    };
  };
  /** What a leaf's certificate is issued under, known before it is registered. */
  const leafTerms = (spec: IssuedSpec, node?: NodeContext): Pick<IssuedCert, "generation" | "issuingGeneration" | "renewBeforeHours"> => ({
    generation: leafGeneration(plan.rotation, spec.id, node?.name),
    issuingGeneration: cas[spec.ca].issuingGeneration,
    renewBeforeHours: plan.rotation.renewBeforeHours[trustDomainOf(spec)],
  });

  const batches = new IssueBatches<IssuedCert>();
  const batchOf = new Map(plan.nodes.filter((n) => !n.roles.has("control-plane")).map((n, i) => [n.name, Math.floor(i / WORKERS_PER_BATCH)]));
  /** Issues a leaf now, or, for a worker past the first batch, puts it off into its batch (see `issueBatches.ts`). */
  const issueLeaf = (spec: IssuedSpec, node?: NodeContext): void => {
    const batch = node === undefined ? 0 : batchOf.get(node.name) ?? 0;
    if (batch === 0) {
      const { issued, registered } = issue(spec, node);
      certs.push(issued);
      batches.now(registered);
      return;
    }
    const later = pulumi.output(batches.later(batch, () => issue(spec, node)));
    certs.push({
      spec, node, ...leafTerms(spec, node),
      certPem: later.apply((issued) => issued.certPem),
      keyPem: pulumi.secret(later.apply((issued) => issued.keyPem)),
      validityEndTime: later.apply((issued) => issued.validityEndTime),
    });
  };

  for (const row of catalog) {
    switch (row.kind) {
      case "ca":
        cas[row.id] = issueCa(component, plan, row, plan.rotation.stages[row.id], parent);
        break;
      case "key-pair":
        keyPairs.push(issueKeyPair(component, plan, row, plan.rotation.stages[row.id as AuthorityId] ?? stageOf(undefined), parent));
        break;
      case "leaf":
        nodesWithRole(plan, row.nodes).forEach((node) => issueLeaf(row, node));
        break;
      case "kubeconfig":
        if (row.nodes !== undefined) nodesWithRole(plan, row.nodes).forEach((node) => issueLeaf(row, node));
        if (row.operator) issueLeaf(row);
        break;
    }
  }
  batches.start();
  return { cas, keyPairs, certs };
}
