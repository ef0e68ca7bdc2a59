import * as assert from "node:assert/strict";
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { KubernetesPki, KubernetesPkiArgs, NodeFiles } from "../components";
import { TlsEmulator } from "../offline/tlsEmulator";
import { EXPECTED_CAS, EXPECTED_KUBECONFIGS, EXPECTED_LEAVES, ExpectedCluster, ExpectedNode, Holder } from "./helpers/kubeadmTable";
import { opensslVerify } from "./helpers/openssl";
import { sampleArgs } from "./helpers/sampleArgs";
import { unwrap } from "./helpers/unwrap";
import { certFacts, keyMatchesCertificate } from "./helpers/x509";

interface Variant {
  readonly title: string;
  readonly args: KubernetesPkiArgs;
  readonly cluster: ExpectedCluster;
  /** Expected key type per CA file: `rsa:<bits>` or `ec:<curve>`. */
  readonly keyTypes: Record<string, string>;
}

const VARIANTS: Variant[] = [
  {
    title: "the sample HA stack (RSA-2048)",
    args: sampleArgs(),
    cluster: { clusterName: "kubernetes", endpointUrl: "https://api.dev.example.com:6443", bindPort: 6443, serviceIp: "10.96.0.1", dnsDomain: "cluster.local", endpointHost: "api.dev.example.com" },
    keyTypes: { ca: "rsa:2048", "etcd/ca": "rsa:2048", "front-proxy-ca": "rsa:2048" },
  },
  {
    title: "an ECDSA stack with a P-384 etcd domain",
    args: sampleArgs({
      clusterName: "ec",
      encryptionAlgorithm: "ECDSA-P256",
      trustDomainAlgorithms: { etcd: "ECDSA-P384" },
      controlPlaneEndpoint: "10.0.0.100",
      apiServer: { bindPort: 8443 },
      networking: { serviceSubnet: "172.20.0.0/16", dnsDomain: "ec.internal" },
      certificateValidityPeriod: "2160h",
    }),
    cluster: { clusterName: "ec", endpointUrl: "https://10.0.0.100:8443", bindPort: 8443, serviceIp: "172.20.0.1", dnsDomain: "ec.internal", endpointHost: "10.0.0.100" },
    keyTypes: { ca: "ec:prime256v1", "etcd/ca": "ec:secp384r1", "front-proxy-ca": "ec:prime256v1" },
  },
  {
    title: "a dual-stack IPv6-first stack",
    args: {
      controlPlaneEndpoint: "[fd00::100]:6443",
      networking: { serviceSubnet: "fd00:10:96::/112,10.96.0.0/16" },
      controlPlane: [
        { name: "cp-a", address: "fd00::11" },
        { name: "cp-b", address: "fd00::12" },
      ],
      workers: [{ name: "worker-a", address: "fd00::21" }, { name: "worker-b" }],
    },
    cluster: { clusterName: "kubernetes", endpointUrl: "https://[fd00::100]:6443", bindPort: 6443, serviceIp: "fd00:10:96::1", dnsDomain: "cluster.local", endpointHost: "fd00::100" },
    keyTypes: { ca: "rsa:2048", "etcd/ca": "rsa:2048", "front-proxy-ca": "rsa:2048" },
  },
];

const HOUR = 3_600_000;

function expectedNodes(args: KubernetesPkiArgs): ExpectedNode[] {
  const cp = args.controlPlane.map((n) => ({ name: n.name, address: n.address, holds: new Set<Holder>(["control-plane", "etcd", "kubelet"]) }));
  const workers = (args.workers ?? []).map((n) => ({ name: n.name, address: n.address, holds: new Set<Holder>(["kubelet"]) }));
  return [...cp, ...workers];
}

function keyType(pem: string): string {
  const key = new X509Certificate(pem).publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  return key.asymmetricKeyType === "rsa" ? `rsa:${details.modulusLength}` : `ec:${details.namedCurve}`;
}

function fileOf(files: NodeFiles, path: string): string {
  const file = files[path];
  assert.ok(file !== undefined, `missing ${path}`);
  return file.content;
}

for (const variant of VARIANTS) {
  describe(`KubernetesPki: ${variant.title}`, function () {
    let pki: KubernetesPki;
    let files: Record<string, NodeFiles>;
    let operator: { admin: string; superAdmin: string };
    const nodes = expectedNodes(variant.args);
    const { cluster } = variant;

    before(async function () {
      this.timeout(600_000); // RSA key generation for every node; see `npm run bench` for timings
      await pulumi.runtime.setMocks(new TlsEmulator(), "kubernetes-pki", "test", false);
      pki = new KubernetesPki("t", variant.args);
      files = await unwrap(pki.files);
      operator = { admin: await unwrap(pki.kubeconfigs.admin), superAdmin: await unwrap(pki.kubeconfigs.superAdmin) };
    });

    it("gives every node exactly the files kubeadm places on it, with the right modes", () => {
      for (const node of nodes) {
        const expected = new Map<string, string>();
        for (const ca of EXPECTED_CAS) {
          if (ca.certOn.some((h) => node.holds.has(h))) expected.set(`${ca.file}.crt`, "0644");
          if (ca.keyOn.some((h) => node.holds.has(h))) expected.set(`${ca.file}.key`, "0600");
        }
        if (node.holds.has("control-plane")) {
          expected.set("/etc/kubernetes/pki/sa.key", "0600");
          expected.set("/etc/kubernetes/pki/sa.pub", "0644");
        }
        for (const leaf of EXPECTED_LEAVES.filter((l) => node.holds.has(l.holder))) {
          expected.set(`${leaf.file}.crt`, "0644");
          expected.set(`${leaf.file}.key`, "0600");
        }
        for (const kc of EXPECTED_KUBECONFIGS.filter((k) => node.holds.has(k.holder))) expected.set(kc.file, "0600");
        const actual = new Map(Object.values(files[node.name]).map((f) => [f.path, f.mode]));
        assert.deepEqual([...actual.entries()].sort(), [...expected.entries()].sort(), node.name);
      }
    });

    it("never places super-admin.conf, etcd/ca.key or front-proxy-ca.key on a node", () => {
      for (const node of nodes) {
        for (const path of ["/etc/kubernetes/super-admin.conf", "/etc/kubernetes/pki/etcd/ca.key", "/etc/kubernetes/pki/front-proxy-ca.key"]) {
          assert.equal(files[node.name][path], undefined, `${node.name} has ${path}`);
        }
      }
    });

    it("makes the CAs as kubeadm does: CN, CA:TRUE, keyCertSign, SAN = CN, SKID, no AKID, 87600h", async () => {
      const caCerts = await unwrap(pki.caCertificates);
      const byFile: Record<string, string> = { ca: caCerts.ca, "etcd/ca": caCerts["etcd-ca"], "front-proxy-ca": caCerts["front-proxy-ca"] };
      for (const expected of EXPECTED_CAS) {
        const pem = byFile[expected.file.replace("/etc/kubernetes/pki/", "")];
        const facts = certFacts(pem);
        assert.equal(facts.subjectCN, expected.cn);
        assert.equal(facts.issuerCN, expected.cn);
        assert.deepEqual(facts.subjectO, []);
        assert.ok(facts.isCa && facts.basicConstraintsCritical, `${expected.cn} is not a critical CA:TRUE`);
        assert.deepEqual(facts.keyUsages.sort(), ["digitalSignature", "keyCertSign", "keyEncipherment"]);
        assert.ok(facts.keyUsageCritical);
        assert.deepEqual(facts.extendedKeyUsages, []);
        assert.deepEqual(facts.dnsNames, [expected.cn]);
        assert.ok(facts.subjectKeyId, `${expected.cn} has no SKID`);
        assert.equal(facts.authorityKeyId, undefined);
        assert.equal(facts.notAfter.getTime() - facts.notBefore.getTime(), 87600 * HOUR);
        assert.equal(keyType(pem), variant.keyTypes[expected.file.replace("/etc/kubernetes/pki/", "")]);
        for (const node of nodes.filter((n) => expected.certOn.some((h) => n.holds.has(h)))) {
          assert.equal(fileOf(files[node.name], `${expected.file}.crt`), pem, `${node.name} has another ${expected.cn}`);
        }
      }
    });

    for (const leaf of EXPECTED_LEAVES) {
      it(`issues ${leaf.file}.crt from ${leaf.issuerCN} with kubeadm's subject, usages and SANs`, () => {
        const holders = nodes.filter((n) => n.holds.has(leaf.holder));
        assert.ok(holders.length > 0);
        for (const node of holders) {
          const pem = fileOf(files[node.name], `${leaf.file}.crt`);
          const facts = certFacts(pem);
          const where = `${leaf.file} on ${node.name}`;
          assert.equal(facts.subjectCN, leaf.cn(node), where);
          assert.deepEqual(facts.subjectO, leaf.o, where);
          assert.equal(facts.issuerCN, leaf.issuerCN, where);
          assert.ok(!facts.isCa && facts.basicConstraintsCritical, `${where}: basicConstraints must be a critical CA:FALSE`);
          assert.deepEqual(facts.keyUsages.sort(), ["digitalSignature", "keyEncipherment"], where);
          assert.ok(facts.keyUsageCritical, where);
          assert.deepEqual(facts.extendedKeyUsages, leaf.ekus, where);
          const sans = leaf.sans?.(node, cluster) ?? { dns: [], ip: [] };
          for (const dns of sans.dns) assert.ok(facts.dnsNames.includes(dns), `${where} lacks DNS SAN ${dns}: ${facts.dnsNames}`);
          for (const ip of sans.ip) assert.ok(new X509Certificate(pem).checkIP(ip) !== undefined, `${where} lacks IP SAN ${ip}: ${facts.ipAddresses}`);
          if (leaf.sans === undefined) assert.deepEqual([...facts.dnsNames, ...facts.ipAddresses], [], `${where} has SANs`);
          assert.equal(facts.subjectKeyId, undefined, `${where} has a SKID`);
          const caPem = fileOf(files[node.name], leaf.issuerCN === "kubernetes" ? "/etc/kubernetes/pki/ca.crt" : leaf.issuerCN === "etcd-ca" ? "/etc/kubernetes/pki/etcd/ca.crt" : "/etc/kubernetes/pki/front-proxy-ca.crt");
          assert.equal(facts.authorityKeyId, certFacts(caPem).subjectKeyId, `${where}: AKID is not its CA's SKID`);
          const validityHours = (facts.notAfter.getTime() - facts.notBefore.getTime()) / HOUR;
          assert.equal(validityHours, variant.args.certificateValidityPeriod === "2160h" ? 2160 : 8760, where);
          assert.ok(keyMatchesCertificate(fileOf(files[node.name], `${leaf.file}.key`), pem), `${where}: key does not match`);
          const verified = opensslVerify(caPem, pem, leaf.ekus.includes("serverAuth") ? "sslserver" : "sslclient");
          assert.ok(verified.ok, `${where}: openssl verify failed: ${verified.output}`);
        }
      });
    }

    it("covers every API server SAN kubeadm computes, including the endpoint and the first service IP only", () => {
      for (const node of nodes.filter((n) => n.holds.has("control-plane"))) {
        const cert = new X509Certificate(fileOf(files[node.name], "/etc/kubernetes/pki/apiserver.crt"));
        const endpointIsIp = /^[\d.]+$|:/.test(cluster.endpointHost);
        if (endpointIsIp) assert.ok(cert.checkIP(cluster.endpointHost), `${node.name}: endpoint IP ${cluster.endpointHost}`);
        else assert.ok(cert.checkHost(cluster.endpointHost), `${node.name}: endpoint host ${cluster.endpointHost}`);
        assert.ok(cert.checkIP(cluster.serviceIp));
        assert.equal(cert.checkIP("127.0.0.1"), undefined, "kubeadm does not add 127.0.0.1 to the API server");
        if (variant.title.includes("dual-stack")) assert.equal(cert.checkIP("10.96.0.1"), undefined, "only the primary service CIDR");
      }
    });

    it("rejects a leaf under the wrong CA (openssl verify fails against another trust domain)", () => {
      const node = nodes[0];
      const etcdCa = fileOf(files[node.name], "/etc/kubernetes/pki/etcd/ca.crt");
      const apiserver = fileOf(files[node.name], "/etc/kubernetes/pki/apiserver.crt");
      assert.equal(opensslVerify(etcdCa, apiserver).ok, false);
      const clientOnly = fileOf(files[node.name], "/etc/kubernetes/pki/apiserver-etcd-client.crt");
      assert.equal(opensslVerify(etcdCa, clientOnly, "sslserver").ok, false, "a client certificate must not pass as a server");
    });

    it("uses the configured algorithm for every key of each trust domain", () => {
      const domainOf = (path: string): string =>
        path.includes("/etcd/") || path.includes("apiserver-etcd-client") ? "etcd/ca" : path.includes("front-proxy") ? "front-proxy-ca" : "ca";
      for (const node of nodes) {
        for (const file of Object.values(files[node.name]).filter((f) => f.path.endsWith(".crt"))) {
          assert.equal(keyType(file.content), variant.keyTypes[domainOf(file.path)], `${node.name} ${file.path}`);
        }
      }
    });

    it("makes sa.pub the public half of sa.key, identical on every control-plane node", async () => {
      const pub = await unwrap(pki.serviceAccount.publicKeyPem);
      for (const node of nodes.filter((n) => n.holds.has("control-plane"))) {
        const key = fileOf(files[node.name], "/etc/kubernetes/pki/sa.key");
        assert.equal(createPublicKey(createPrivateKey(key)).export({ type: "spki", format: "pem" }), pub);
        assert.equal(fileOf(files[node.name], "/etc/kubernetes/pki/sa.pub"), pub);
      }
    });

    it("places the cluster CA key that matches ca.crt on control-plane nodes", () => {
      for (const node of nodes.filter((n) => n.holds.has("control-plane"))) {
        assert.ok(keyMatchesCertificate(fileOf(files[node.name], "/etc/kubernetes/pki/ca.key"), fileOf(files[node.name], "/etc/kubernetes/pki/ca.crt")));
      }
    });

    const checkKubeconfig = (text: string, where: string, cn: string, o: string[], server: string): void => {
      const doc = parse(text);
      assert.equal(doc.kind, "Config", where);
      assert.equal(doc.clusters.length, 1);
      assert.equal(doc.clusters[0].name, cluster.clusterName, where);
      assert.equal(doc.clusters[0].cluster.server, server, where);
      const caPem = Buffer.from(doc.clusters[0].cluster["certificate-authority-data"], "base64").toString();
      assert.equal(certFacts(caPem).subjectCN, "kubernetes", where);
      assert.equal(doc["current-context"], `${cn}@${cluster.clusterName}`, where);
      assert.deepEqual(doc.contexts, [{ name: `${cn}@${cluster.clusterName}`, context: { cluster: cluster.clusterName, user: cn } }], where);
      assert.equal(doc.users[0].name, cn, where);
      const certPem = Buffer.from(doc.users[0].user["client-certificate-data"], "base64").toString();
      const keyPem = Buffer.from(doc.users[0].user["client-key-data"], "base64").toString();
      const facts = certFacts(certPem);
      assert.equal(facts.subjectCN, cn, where);
      assert.deepEqual(facts.subjectO, o, where);
      assert.equal(facts.issuerCN, "kubernetes", where);
      assert.deepEqual(facts.extendedKeyUsages, ["clientAuth"], where);
      assert.deepEqual([...facts.dnsNames, ...facts.ipAddresses], [], where);
      assert.ok(keyMatchesCertificate(keyPem, certPem), `${where}: client key does not match`);
      const verified = opensslVerify(caPem, certPem, "sslclient");
      assert.ok(verified.ok, `${where}: ${verified.output}`);
    };

    for (const kc of EXPECTED_KUBECONFIGS) {
      it(`writes ${kc.file} with kubeadm's names, server, CA data and identity`, () => {
        for (const node of nodes.filter((n) => n.holds.has(kc.holder))) {
          const text = fileOf(files[node.name], kc.file);
          checkKubeconfig(text, `${kc.file} on ${node.name}`, kc.cn(node), kc.o, kc.server(node, cluster));
          const caData = Buffer.from(parse(text).clusters[0].cluster["certificate-authority-data"], "base64").toString();
          assert.equal(caData, fileOf(files[node.name], "/etc/kubernetes/pki/ca.crt"), `${kc.file} on ${node.name}: CA data differs from ca.crt`);
        }
      });
    }

    it("gives the operator admin.conf (kubeadm:cluster-admins) and break-glass super-admin.conf (system:masters)", () => {
      checkKubeconfig(operator.admin, "operator admin.conf", "kubernetes-admin", ["kubeadm:cluster-admins"], cluster.endpointUrl);
      checkKubeconfig(operator.superAdmin, "super-admin.conf", "kubernetes-super-admin", ["system:masters"], cluster.endpointUrl);
    });

    it("gives each node and the operator its own keys: no private key is shared", () => {
      const owners = new Map<string, string>();
      const keys = Object.entries(files).flatMap(([node, nodeFiles]) =>
        Object.values(nodeFiles)
          .filter((f) => f.path.endsWith(".key") && !["/etc/kubernetes/pki/ca.key", "/etc/kubernetes/pki/sa.key"].includes(f.path))
          .map((f) => [f.content, `${node}:${f.path}`] as const),
      );
      for (const [key, owner] of keys) {
        assert.ok(!owners.has(key), `${owner} shares its key with ${owners.get(key)}`);
        owners.set(key, owner);
      }
    });
  });
}
