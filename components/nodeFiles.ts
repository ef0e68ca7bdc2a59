import * as pulumi from "@pulumi/pulumi";
import { CatalogRow, subjectFor } from "./catalog";
import { IssuedCert, IssuedKeyPair, IssuedPki } from "./issue";
import { renderKubeconfig } from "./kubeconfig";
import { NodeFile, PUBLIC_MODE } from "./layout";
import { FileRole, placements, signingCertPath } from "./placement";
import { ClusterPlan, NodeContext } from "./plan";
import { isRotating } from "./rotation/stages";

/**
 * While a CA whose key sits on the node rotates, its issuing certificate alone, for the flags that
 * cannot take a bundle (`--cluster-signing-cert-file`). Absent outside a rotation: the CA's certificate file is
 * then that single certificate, as kubeadm lays it out.
 */
function signingCertFiles(pki: IssuedPki, catalog: readonly CatalogRow[], node: NodeContext): Record<string, pulumi.Output<NodeFile>> {
  const files: Record<string, pulumi.Output<NodeFile>> = {};
  for (const row of catalog) {
    if (row.kind !== "ca" || !row.keyOn.some((role) => node.roles.has(role)) || !isRotating(pki.cas[row.id].stage)) continue;
    const path = signingCertPath(row);
    files[path] = pki.cas[row.id].certPem.apply((content): NodeFile => ({ path, content, mode: PUBLIC_MODE }));
  }
  return files;
}

/** The kubeconfig of an issued client certificate (a node's copy, or the operator's when `node` is absent). */
export function kubeconfigOf(plan: ClusterPlan, pki: IssuedPki, cert: IssuedCert): pulumi.Output<string> {
  if (cert.spec.kind !== "kubeconfig") throw new Error(`${cert.spec.id} is not a kubeconfig`);
  const spec = cert.spec;
  return pulumi.all([pki.cas[spec.ca].bundlePem, cert.certPem, cert.keyPem]).apply(([caCertPem, clientCertPem, clientKeyPem]) =>
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

/** The issued material of one PKI, by row id and node name, so finding a node's files takes constant time. */
interface IssuedIndex {
  readonly keyPairs: ReadonlyMap<string, IssuedKeyPair>;
  readonly certs: ReadonlyMap<string, IssuedCert>;
}

const indexes = new WeakMap<IssuedPki, IssuedIndex>();
const certKey = (rowId: string, nodeName: string | undefined): string => JSON.stringify([rowId, nodeName ?? null]);

/** The index of a PKI, built on first use. */
function indexOf(pki: IssuedPki): IssuedIndex {
  let index = indexes.get(pki);
  if (index === undefined) {
    index = {
      keyPairs: new Map(pki.keyPairs.map((pair) => [pair.spec.id, pair])),
      certs: new Map(pki.certs.map((cert) => [certKey(cert.spec.id, cert.node?.name), cert])),
    };
    indexes.set(pki, index);
  }
  return index;
}

/** The material of one file role of a row, for a node. */
function material(plan: ClusterPlan, pki: IssuedPki, row: CatalogRow, role: FileRole, node: NodeContext): pulumi.Output<string> {
  switch (row.kind) {
    case "ca":
      return role === "certificate" ? pki.cas[row.id].bundlePem : pki.cas[row.id].keyPem;
    case "key-pair": {
      const pair = indexOf(pki).keyPairs.get(row.id);
      if (pair === undefined) throw new Error(`no key pair ${row.id} was issued`);
      return role === "private-key" ? pair.privateKeyPem : pair.publicKeyPem;
    }
    case "leaf":
    case "kubeconfig": {
      const cert = indexOf(pki).certs.get(certKey(row.id, node.name));
      if (cert === undefined) throw new Error(`no ${row.id} was issued to ${node.name}`);
      if (role === "kubeconfig") return kubeconfigOf(plan, pki, cert);
      return role === "certificate" ? cert.certPem : cert.keyPem;
    }
  }
}

/** Every file a node needs, keyed by absolute path, filled with the issued material. */
export function nodeFileOutputs(plan: ClusterPlan, pki: IssuedPki, catalog: readonly CatalogRow[], node: NodeContext): Record<string, pulumi.Output<NodeFile>> {
  return {
    ...Object.fromEntries(
      placements(catalog, node).map(({ path, mode, row, role }) => [
        path,
        material(plan, pki, row, role, node).apply((content) => ({ path, content, mode })),
      ]),
    ),
    ...signingCertFiles(pki, catalog, node),
  };
}
