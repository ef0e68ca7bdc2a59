import * as assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { CLUSTER_ADMINS_GROUP, clusterCa } from "../../components/catalog/kubernetes";
import { Manifest } from "../../components";
import { readText } from "./harness/cluster";
import { httpsRequest } from "./harness/https";
import { waitFor } from "./harness/wait";
import { e2eCluster } from "./hooks";

type Live = Manifest & { metadata: Manifest["metadata"] & { uid: string } };

const rendered = (): Manifest[] =>
  readdirSync(e2eCluster().manifestsDir).sort().map((name) => parse(readFileSync(join(e2eCluster().manifestsDir, name), "utf8")) as Manifest);

/**
 * docs/kubeadm-spec.md §4, §5.2–§5.4: what `kubeadm init` creates in the cluster, applied from the offline
 * render's `manifests/` with `kubectl apply -f` (a control plane not made with Pulumi).
 */
describe("bootstrap objects: the rendered manifests/ applied with kubectl", () => {
  before(async () => {
    await e2eCluster().applyManifests();
  });

  it("every rendered object exists as rendered (kind, name, namespace, labels, roleRef, subjects, rules, data, type)", async () => {
    const cluster = e2eCluster();
    for (const m of rendered()) {
      const args = ["get", m.kind.toLowerCase(), m.metadata.name, ...(m.metadata.namespace ? ["-n", m.metadata.namespace] : [])];
      const live = await cluster.kubectlJson<Live>(cluster.superAdminConf, ...args);
      for (const field of ["roleRef", "subjects", "rules", "type"]) {
        if (m[field] !== undefined) assert.deepEqual(live[field], m[field], `${m.kind} ${m.metadata.name}: ${field}`);
      }
      if (m.data !== undefined) {
        const want = m.data as Record<string, string>;
        const have = live.data as Record<string, string>;
        for (const [key, value] of Object.entries(want)) assert.equal(have[key], value, `${m.kind} ${m.metadata.name}: data.${key}`);
        // The bootstrapsigner controller adds a signature of cluster-info per signing token; nothing else is added.
        const added = Object.keys(have).filter((key) => !(key in want));
        assert.ok(added.every((key) => m.metadata.name === "cluster-info" && /^jws-kubeconfig-[a-z0-9]{6}$/.test(key)), `${m.kind} ${m.metadata.name}: ${added.join(", ")}`);
      }
      if (m.metadata.labels !== undefined) assert.deepEqual(live.metadata.labels, m.metadata.labels, `${m.kind} ${m.metadata.name}: labels`);
    }
  });

  it("admin.conf has cluster-admin rights only through kubeadm:cluster-admins: denied without it, allowed once the manifest is applied", async () => {
    const cluster = e2eCluster();
    await cluster.kubectlOk(cluster.superAdminConf, "delete", "clusterrolebinding", CLUSTER_ADMINS_GROUP);
    await cluster.waitAdminAllowed(false);
    const denied = await cluster.kubectl(cluster.adminConf, "get", "secrets", "-n", "kube-system");
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /User "kubernetes-admin" cannot list resource "secrets"/);
    await cluster.ensureClusterAdmins();
    assert.equal((await cluster.kubectlOk(cluster.adminConf, "auth", "can-i", "*", "*")).trim(), "yes");
  });

  it("cluster-info is readable anonymously and the bootstrapsigner controller signs it for the token (jws-kubeconfig-<id>)", async () => {
    const cluster = e2eCluster();
    const cp = cluster.controlPlane[0];
    const secret = rendered().find((m) => m.kind === "Secret")!;
    const id = Buffer.from((secret.data as Record<string, string>)["token-id"], "base64").toString("utf8");
    const data = await waitFor(`cluster-info signed for token ${id}`, 120_000, async () => {
      const r = await httpsRequest(`${cluster.apiServerUrl(cp)}/api/v1/namespaces/kube-public/configmaps/cluster-info`, { ca: readText(cp.crt(clusterCa)) });
      if (r.status !== 200) throw new Error(`anonymous GET cluster-info: ${r.status} ${r.body}`);
      const d = (JSON.parse(r.body) as { data: Record<string, string> }).data;
      return d[`jws-kubeconfig-${id}`] === undefined ? undefined : d;
    });
    assert.match(data[`jws-kubeconfig-${id}`], /^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$/, "a detached JWS");
    const anonymousSecrets = await httpsRequest(`${cluster.apiServerUrl(cp)}/api/v1/namespaces/kube-public/configmaps`, { ca: readText(cp.crt(clusterCa)) });
    assert.equal(anonymousSecrets.status, 403, "anonymous may read cluster-info only");
  });
});
