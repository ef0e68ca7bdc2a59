import * as pulumi from "@pulumi/pulumi";
import { subjectFor } from "./catalog";
import { IssuedCert, IssuedPki } from "./issue";
import { renderKubeconfig } from "./kubeconfig";
import { NodeFile, PUBLIC_MODE, SECRET_MODE } from "./layout";
import { ClusterPlan, NodeContext, NodeRole } from "./plan";

type FileOutputs = Record<string, pulumi.Output<NodeFile>>;

const file = (path: string, content: pulumi.Output<string>, mode: NodeFile["mode"]): [string, pulumi.Output<NodeFile>] => [
  path,
  content.apply((text) => ({ path, content: text, mode })),
];

const hasAny = (node: NodeContext, roles: readonly NodeRole[]): boolean => roles.some((role) => node.roles.has(role));

/** The kubeconfig of an issued client certificate (a node's copy, or the operator's when `node` is absent). */
export function kubeconfigOf(plan: ClusterPlan, pki: IssuedPki, cert: IssuedCert): pulumi.Output<string> {
  if (cert.spec.kind !== "kubeconfig") throw new Error(`${cert.spec.id} is not a kubeconfig`);
  const spec = cert.spec;
  return pulumi.all([pki.cas[spec.ca].certPem, cert.certPem, cert.keyPem]).apply(([caCertPem, clientCertPem, clientKeyPem]) =>
    renderKubeconfig({
      clusterName: plan.clusterName,
      server: spec.server(plan, cert.node),
      caCertPem,
      user: subjectFor(spec.subject, cert.node).commonName,
      clientCertPem,
      clientKeyPem,
    }),
  );
}

/**
 * Every file a node needs, keyed by absolute path: the CA certificates (and the cluster CA key on
 * control-plane nodes), key pairs, its own leaves and kubeconfigs. Keys and kubeconfigs are 0600.
 */
export function nodeFileOutputs(plan: ClusterPlan, pki: IssuedPki, node: NodeContext): FileOutputs {
  const entries: [string, pulumi.Output<NodeFile>][] = [];
  for (const ca of Object.values(pki.cas)) {
    if (hasAny(node, ca.spec.certOn)) entries.push(file(`${ca.spec.file}.crt`, ca.certPem, PUBLIC_MODE));
    if (hasAny(node, ca.spec.keyOn)) entries.push(file(`${ca.spec.file}.key`, ca.keyPem, SECRET_MODE));
  }
  for (const pair of pki.keyPairs) {
    if (!hasAny(node, pair.spec.on)) continue;
    entries.push(file(`${pair.spec.file}.key`, pair.privateKeyPem, SECRET_MODE));
    entries.push(file(`${pair.spec.file}.pub`, pair.publicKeyPem, PUBLIC_MODE));
  }
  for (const cert of pki.certs) {
    if (cert.node?.name !== node.name) continue;
    if (cert.spec.kind === "kubeconfig") {
      entries.push(file(cert.spec.file, kubeconfigOf(plan, pki, cert), SECRET_MODE));
    } else {
      entries.push(file(`${cert.spec.file}.crt`, cert.certPem, PUBLIC_MODE));
      entries.push(file(`${cert.spec.file}.key`, cert.keyPem, SECRET_MODE));
    }
  }
  return Object.fromEntries(entries);
}
