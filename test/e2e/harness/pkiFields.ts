import "reflect-metadata";
import { createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import * as x509 from "@peculiar/x509";
import { parse } from "yaml";
import { certFacts } from "../../helpers/x509";
import { fromBase64, KubeconfigDocument } from "./kubeconfigFile";

/** One field of a certificate or kubeconfig, as a comparable string. */
export type Fields = Record<string, string>;

const sorted = (values: readonly string[]): string => JSON.stringify([...values].sort());
const HOUR_MS = 3_600_000;
/** x509 times have whole seconds: a notBefore up to a second before `issuedFrom` is not backdated. */
const SECOND_MS = 1_000;

/** `ECDSA P-256`, `RSA 2048`: the key type and size of a certificate's public key. */
function keyAlgorithm(spkiDer: Buffer): string {
  const key = createPublicKey({ key: spkiDer, format: "der", type: "spki" });
  const details = key.asymmetricKeyDetails ?? {};
  return `${key.asymmetricKeyType ?? "?"} ${details.namedCurve ?? details.modulusLength ?? "?"}`;
}

/**
 * Every field of a certificate kubeadm decides, each as a string, so that two certificates compare
 * field by field. `issuedFrom` is when making the PKI began (our CAs included): a notBefore earlier
 * than that is backdated. The validity is notBefore to notAfter in whole hours.
 */
export function certificateFields(pem: string, issuedFrom: Date): Fields {
  const facts = certFacts(pem);
  const cert = new x509.X509Certificate(pem);
  return {
    "subject CN": facts.subjectCN,
    "subject O": sorted(facts.subjectO),
    issuer: cert.issuerName.toString(),
    "key usages": `${sorted(facts.keyUsages)}${facts.keyUsageCritical ? " critical" : ""}`,
    "extended key usages": sorted(facts.extendedKeyUsages),
    "basic constraints": cert.getExtension(x509.BasicConstraintsExtension) === null ? "absent" : `CA:${facts.isCa}${facts.basicConstraintsCritical ? " critical" : ""}`,
    "SAN DNS names": sorted(facts.dnsNames),
    "SAN IP addresses": sorted(facts.ipAddresses),
    "validity (hours)": String(Math.round((facts.notAfter.getTime() - facts.notBefore.getTime()) / HOUR_MS)),
    notBefore: facts.notBefore.getTime() < issuedFrom.getTime() - SECOND_MS ? "backdated" : "at issue",
    "key algorithm": keyAlgorithm(facts.publicKeyDer),
    "signature algorithm": JSON.stringify(cert.signatureAlgorithm),
  };
}

/**
 * The fields of a kubeconfig file: the names in it, the server, the embedded CA, and the fields of
 * its embedded client certificate (prefixed `client certificate `).
 */
export function kubeconfigFields(path: string, issuedFrom: Date): Fields {
  const doc = parse(readFileSync(path, "utf8")) as KubeconfigDocument;
  const cluster = doc.clusters.length === 1 ? doc.clusters[0] : undefined;
  const user = doc.users.length === 1 ? doc.users[0] : undefined;
  const context = doc.contexts.length === 1 ? doc.contexts[0] : undefined;
  if (cluster === undefined || user === undefined || context === undefined) throw new Error(`${path}: expected one cluster, one user and one context`);
  const certificate = certificateFields(fromBase64(user.user["client-certificate-data"]), issuedFrom);
  return {
    "cluster name": cluster.name,
    server: cluster.cluster.server,
    "embedded CA": fromBase64(cluster.cluster["certificate-authority-data"]).trim(),
    "user name": user.name,
    "user credentials": Object.keys(user.user).sort().join(","),
    "context name": context.name,
    "context cluster/user": `${context.context.cluster}/${context.context.user}`,
    "current-context": doc["current-context"],
    ...Object.fromEntries(Object.entries(certificate).map(([field, value]) => [`client certificate ${field}`, value])),
  };
}

/** One field where ours differs from kubeadm's. */
export interface FieldDifference {
  readonly field: string;
  readonly kubeadm: string;
  readonly ours: string;
}

/** The fields whose values differ, with both values. */
export function differences(kubeadm: Fields, ours: Fields): FieldDifference[] {
  return Object.keys(kubeadm)
    .filter((field) => kubeadm[field] !== ours[field])
    .map((field) => ({ field, kubeadm: kubeadm[field], ours: ours[field] }));
}
