import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { privateKeyArgs } from "./algorithms";
import { CA_USAGES, CaSpec, KeyPairSpec, trustDomainOf } from "./catalog";
import { childName, generationId } from "./naming";
import { ClusterPlan } from "./plan";
import { warnWhenCaDue } from "./rotation/caExpiryWarning";
import { Stage, stageEffect } from "./rotation/stages";

/** A CA as its stage makes it: the generation that issues, and the bundle every consumer trusts. */
export interface IssuedCa {
  /** The catalog row. */
  readonly spec: CaSpec;
  /** The rotation stage of this CA. */
  readonly stage: Stage;
  /** The generation that signs leaves now. */
  readonly issuingGeneration: number;
  /** The issuing CA certificate alone (what kube-controller-manager signs with; never a bundle). */
  readonly certPem: pulumi.Output<string>;
  /** The issuing CA's private key. */
  readonly keyPem: pulumi.Output<string>;
  /** Every existing generation's expiry (`validityEndTime`), oldest first. */
  readonly generations: readonly { readonly generation: number; readonly validityEndTime: pulumi.Output<string> }[];
  /** Every trusted CA certificate, issuing first: `ca.crt` on nodes and in kubeconfigs. One certificate outside a rotation. */
  readonly bundlePem: pulumi.Output<string>;
}

/** A key pair as its stage makes it (the service-account key). */
export interface IssuedKeyPair {
  /** The catalog row. */
  readonly spec: KeyPairSpec;
  /** The rotation stage of this key pair. */
  readonly stage: Stage;
  /** The signing generation's private key (PKCS#1 or SEC1 PEM). */
  readonly privateKeyPem: pulumi.Output<string>;
  /** Every trusted public key (PKIX PEM), signing key first: `sa.pub`. One key outside a rotation. */
  readonly publicKeyPem: pulumi.Output<string>;
}

/** PEM blocks joined as a bundle, each ending in exactly one newline. */
function concatPem(pems: pulumi.Output<string>[]): pulumi.Output<string> {
  return pulumi.all(pems).apply((blocks) => blocks.map((pem) => (pem.endsWith("\n") ? pem : `${pem}\n`)).join(""));
}

/** Picks the outputs of the listed generations from those that exist. */
function pick<T>(byGeneration: ReadonlyMap<number, T>, generations: readonly number[]): T[] {
  return generations.map((generation) => {
    const found = byGeneration.get(generation);
    if (found === undefined) throw new Error(`generation ${generation} was not created`);
    return found;
  });
}

/**
 * Creates every generation of a CA its stage needs (a key and a self-signed certificate each,
 * named `<component>-<ca>` for generation 0 and `<component>-<ca>-g<n>` after). CA certificates
 * carry no renewal window: inside `caCertificateRenewBefore` the component warns instead.
 */
export function issueCa(component: string, plan: ClusterPlan, row: CaSpec, stage: Stage, parent: pulumi.Resource): IssuedCa {
  const effect = stageEffect(stage);
  const made = new Map<number, { cert: tls.SelfSignedCert; key: tls.PrivateKey }>();
  for (const generation of effect.existing) {
    const name = childName(component, generationId(row.id, generation));
    const key = new tls.PrivateKey(name, privateKeyArgs(plan.algorithms[trustDomainOf(row)]), { parent });
    const cert = new tls.SelfSignedCert(
      name,
      {
        privateKeyPem: key.privateKeyPem,
        subject: { commonName: row.commonName },
        dnsNames: [row.commonName],
        isCaCertificate: true,
        allowedUses: [...CA_USAGES],
        validityPeriodHours: plan.caValidityHours,
      },
      { parent },
    );
    warnWhenCaDue(component, row.id, generation, cert.validityEndTime, plan.caRenewBeforeHours, cert);
    made.set(generation, { cert, key });
  }
  const issuing = pick(made, [effect.issuing])[0];
  return {
    spec: row,
    stage,
    issuingGeneration: effect.issuing,
    certPem: issuing.cert.certPem,
    keyPem: issuing.key.privateKeyPem,
    generations: [...made].map(([generation, ca]) => ({ generation, validityEndTime: ca.cert.validityEndTime })),
    bundlePem: concatPem(pick(made, effect.trusted).map((ca) => ca.cert.certPem)),
  };
}

/** Creates every generation of a key pair its stage needs, named like the CAs' ({@link issueCa}). */
export function issueKeyPair(component: string, plan: ClusterPlan, row: KeyPairSpec, stage: Stage, parent: pulumi.Resource): IssuedKeyPair {
  const effect = stageEffect(stage);
  const keys = new Map<number, tls.PrivateKey>();
  for (const generation of effect.existing) {
    const name = childName(component, generationId(row.id, generation));
    keys.set(generation, new tls.PrivateKey(name, privateKeyArgs(plan.algorithms[trustDomainOf(row)]), { parent }));
  }
  return {
    spec: row,
    stage,
    privateKeyPem: pick(keys, [effect.issuing])[0].privateKeyPem,
    publicKeyPem: concatPem(pick(keys, effect.trusted).map((key) => key.publicKeyPem)),
  };
}
