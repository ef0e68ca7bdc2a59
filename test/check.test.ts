import * as assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { catalogFile } from "../offline/inspect/catalogFiles";
import { readExtensions } from "../offline/inspect/x509Extensions";
import { RenderedStack } from "../offline/runProgram";
import { stackCertificates } from "../offline/tree";
import {
  copyTree,
  makeCaWithOpenssl,
  problemLines,
  reissueWithOpenssl,
  renderDevStack,
  runCheck,
  RunResult,
  TempDirs,
  writeRenderedTree,
} from "./helpers/checkTree";

const PKI = "etc/kubernetes/pki";
/** Asserts that the check failed with exactly one problem, matching `pattern`. */
function expectOnlyProblem(run: RunResult, pattern: RegExp): void {
  assert.equal(run.status, 1, run.stdout + run.stderr);
  const problems = problemLines(run.stdout);
  assert.equal(problems.length, 1, problems.join("\n"));
  assert.match(problems[0], pattern);
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

describe("npm run check (offline/check.ts)", function () {
  this.timeout(120_000);
  const temp = new TempDirs();
  let rendered: RenderedStack;
  let pristine: string;

  before(async function () {
    this.timeout(600_000);
    rendered = await renderDevStack();
    pristine = join(temp.make("check"), "tree");
    await writeRenderedTree(rendered, pristine);
  });

  after(() => temp.removeAll());

  /** A copy of the clean tree with one thing changed; returns the tree's directory. */
  const corrupt = (change: (tree: string, work: string) => void): string => {
    const work = temp.make("check-corrupt");
    const tree = join(work, "tree");
    copyTree(pristine, tree);
    change(tree, work);
    return tree;
  };
  const node = (tree: string, name: string, path: string): string => join(tree, "nodes", name, path);

  /** No PEM block, no private key's base64 body, no kubeconfig's client-key-data. */
  const assertNothingSecret = (printed: string): void => {
    assert.doesNotMatch(printed, /-----BEGIN|PRIVATE KEY|client-key-data/);
    const secrets = Object.values(rendered.files)
      .flatMap((files) => Object.values(files))
      .flatMap((file) => {
        if (catalogFile(file.path)?.role === "private-key") return [file.content.split("\n")[1]];
        const data = /client-key-data: (\S+)/.exec(file.content);
        return data === null ? [] : [data[1].slice(40, 80)];
      });
    assert.ok(secrets.length > 40);
    for (const secret of secrets) assert.ok(!printed.includes(secret), "key material was printed");
  };

  it("passes a freshly rendered tree with exit 0, lists every certificate of every node and prints nothing secret", () => {
    const run = runCheck([pristine]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const certificates = stackCertificates(rendered);
    assert.match(run.stdout, new RegExp(`^no problems: ${certificates.length} certificates on ${Object.keys(rendered.files).length} node\\(s\\) of `, "m"));
    const lines = run.stdout.split("\n");
    for (const entry of certificates) {
      const row = new RegExp(`^${escape(entry.name)}\\s+${escape(entry.node ?? "(operator)")}\\s+\\w{3} \\d\\d, \\d{4} \\d\\d:\\d\\d UTC\\s`);
      assert.ok(lines.some((line) => row.test(line)), `no row for ${entry.name} on ${entry.node ?? "(operator)"}`);
    }
    assert.match(run.stdout, /^CERTIFICATE\s+NODE\s+EXPIRES\s+RESIDUAL TIME\s+CERTIFICATE AUTHORITY\s+EXTERNALLY MANAGED$/m);
    assert.match(run.stdout, /^apiserver\s+cp-1\s.*\s364d\s+ca\s+no$/m, "ca.key is on control-plane nodes");
    assert.match(run.stdout, /^apiserver-etcd-client\s+cp-1\s.*\setcd-ca\s+yes$/m, "etcd-ca's key stays off the nodes");
    assert.match(run.stdout, /^kubelet\.conf\s+worker-1\s.*\sca\s+yes$/m, "workers do not get ca.key");
    assertNothingSecret(run.stdout + run.stderr);
  });

  it("flags a leaf re-signed by another CA of the same name, naming the CA file and every fault", () => {
    const tree = corrupt((dir, work) => {
      const other = makeCaWithOpenssl(work, "etcd-ca");
      reissueWithOpenssl(
        {
          cert: node(dir, "cp-2", `${PKI}/apiserver-etcd-client.crt`),
          key: node(dir, "cp-2", `${PKI}/apiserver-etcd-client.key`),
          caCert: other.cert,
          caKey: other.key,
          days: 365,
          extendedKeyUsage: "clientAuth",
        },
        work,
      );
    });
    expectOnlyProblem(runCheck([tree]), /^cp-2: \/etc\/kubernetes\/pki\/apiserver-etcd-client\.crt: apiserver-etcd-client is not issued by etcd-ca \(\/etc\/kubernetes\/pki\/etcd\/ca\.crt\): its signature does not verify with the CA's key; its authority key identifier [0-9a-f:]+ is not the CA's subject key identifier [0-9a-f:]+$/);
  });

  it("flags two nodes' swapped apiserver keys, on both nodes", () => {
    const tree = corrupt((dir) => {
      const one = node(dir, "cp-1", `${PKI}/apiserver.key`);
      const two = node(dir, "cp-2", `${PKI}/apiserver.key`);
      renameSync(one, `${one}.swap`);
      renameSync(two, one);
      renameSync(`${one}.swap`, two);
    });
    const run = runCheck([tree]);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.deepEqual(problemLines(run.stdout), [
      "cp-1: /etc/kubernetes/pki/apiserver.key: does not match /etc/kubernetes/pki/apiserver.crt: the certificate's public key is not this key's public half",
      "cp-2: /etc/kubernetes/pki/apiserver.key: does not match /etc/kubernetes/pki/apiserver.crt: the certificate's public key is not this key's public half",
    ]);
  });

  it("flags an apiserver certificate re-issued without kubernetes.default.svc", () => {
    const tree = corrupt((dir, work) => {
      const cert = node(dir, "cp-1", `${PKI}/apiserver.crt`);
      const ext = readExtensions(new X509Certificate(readFileSync(cert)));
      assert.ok(ext.dnsNames.includes("kubernetes.default.svc"));
      reissueWithOpenssl(
        {
          cert,
          key: node(dir, "cp-1", `${PKI}/apiserver.key`),
          caCert: node(dir, "cp-1", `${PKI}/ca.crt`),
          caKey: node(dir, "cp-1", `${PKI}/ca.key`),
          days: 365,
          extendedKeyUsage: "serverAuth",
          subjectAltNames: [
            ...ext.dnsNames.filter((name) => name !== "kubernetes.default.svc").map((name) => `DNS:${name}`),
            ...ext.ipAddresses.map((ip) => `IP:${ip}`),
          ],
        },
        work,
      );
    });
    const run = runCheck([tree]);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.deepEqual(problemLines(run.stdout), ["cp-1: /etc/kubernetes/pki/apiserver.crt: apiserver lacks SAN DNS:kubernetes.default.svc"]);
  });

  it("flags an apiserver-kubelet-client made as kubeadm v1.29–v1.35.4 did (O=kubeadm:cluster-admins): v1.35.5+ has no O", () => {
    const tree = corrupt((dir, work) =>
      reissueWithOpenssl(
        {
          cert: node(dir, "cp-1", `${PKI}/apiserver-kubelet-client.crt`),
          key: node(dir, "cp-1", `${PKI}/apiserver-kubelet-client.key`),
          caCert: node(dir, "cp-1", `${PKI}/ca.crt`),
          caKey: node(dir, "cp-1", `${PKI}/ca.key`),
          days: 365,
          extendedKeyUsage: "clientAuth",
          subject: "/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client",
        },
        work,
      ),
    );
    expectOnlyProblem(runCheck([tree]), /^cp-1: \/etc\/kubernetes\/pki\/apiserver-kubelet-client\.crt: .*subject O "kubeadm:cluster-admins" should be absent/);
  });

  describe("a certificate re-issued by openssl for 10 days", () => {
    let tree: string;
    before(() => {
      tree = corrupt((dir, work) =>
        reissueWithOpenssl(
          {
            cert: node(dir, "cp-2", `${PKI}/apiserver-kubelet-client.crt`),
            key: node(dir, "cp-2", `${PKI}/apiserver-kubelet-client.key`),
            caCert: node(dir, "cp-2", `${PKI}/ca.crt`),
            caKey: node(dir, "cp-2", `${PKI}/ca.key`),
            days: 10,
            extendedKeyUsage: "clientAuth",
          },
          work,
        ),
      );
    });

    it("is flagged with the default 720h threshold", () => {
      expectOnlyProblem(runCheck([tree]), /^cp-2: \/etc\/kubernetes\/pki\/apiserver-kubelet-client\.crt: apiserver-kubelet-client expires on \w{3} \d\d, \d{4} \d\d:\d\d UTC, in 9d(\d+h)?: within the 720h warning window$/);
    });

    it("is not flagged with --warn-within 24h", () => {
      const run = runCheck([tree, "--warn-within", "24h"]);
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /^apiserver-kubelet-client\s+cp-2\s.*\s9d\s+ca\s+no$/m);
    });
  });

  it("flags a deleted certificate as missing on its node", () => {
    const tree = corrupt((dir) => rmSync(node(dir, "cp-3", `${PKI}/front-proxy-client.crt`)));
    const run = runCheck([tree]);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.deepEqual(problemLines(run.stdout), [
      "cp-3: /etc/kubernetes/pki/front-proxy-client.crt: front-proxy-client certificate is missing; every control-plane node needs it",
    ]);
  });

  it("flags a world-readable private key", () => {
    const tree = corrupt((dir) => chmodSync(node(dir, "worker-1", "var/lib/kubelet/pki/kubelet.key"), 0o644));
    const run = runCheck([tree]);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.deepEqual(problemLines(run.stdout), [
      "worker-1: /var/lib/kubelet/pki/kubelet.key: mode 0644 is too open for a private key; it must be 0600 or stricter",
    ]);
  });

  it("flags a kubeconfig that carries another CA's certificate", () => {
    const tree = corrupt((dir) => {
      const path = node(dir, "cp-3", "etc/kubernetes/controller-manager.conf");
      const etcdCa = readFileSync(node(dir, "cp-3", `${PKI}/etcd/ca.crt`), "utf8");
      const text = readFileSync(path, "utf8").replace(
        /certificate-authority-data: \S+/,
        `certificate-authority-data: ${Buffer.from(etcdCa).toString("base64")}`,
      );
      writeFileSync(path, text);
    });
    expectOnlyProblem(runCheck([tree]), /^cp-3: \/etc\/kubernetes\/controller-manager\.conf: certificate-authority-data is not the CA in \/etc\/kubernetes\/pki\/ca\.crt: it holds "CN=etcd-ca" \(SHA-256 [0-9A-F:]+…\)$/);
  });

  it("prints a JSON report with --json: rows and problems", () => {
    const tree = corrupt((dir) => chmodSync(node(dir, "cp-1", "etc/kubernetes/admin.conf"), 0o640));
    const run = runCheck([tree, "--json"]);
    assert.equal(run.status, 1, run.stderr);
    assertNothingSecret(run.stdout + run.stderr);
    const report = JSON.parse(run.stdout) as {
      certificates: { name: string; node: string; notAfter: string; ca: string; authority: boolean; externallyManaged: boolean }[];
      authorities: { name: string; node: string }[];
      problems: { node: string; file: string; check: string; message: string }[];
    };
    assert.equal(report.certificates.length + report.authorities.length, stackCertificates(rendered).length);
    const admin = report.certificates.find((r) => r.name === "admin.conf" && r.node === "cp-1")!;
    assert.equal(admin.ca, "ca");
    assert.equal(admin.authority, false);
    assert.equal(admin.externallyManaged, false);
    assert.ok(!Number.isNaN(Date.parse(admin.notAfter)));
    assert.deepEqual(report.problems, [
      {
        node: "cp-1",
        file: "/etc/kubernetes/admin.conf",
        check: "mode",
        message: "mode 0640 is too open for a kubeconfig; it must be 0600 or stricter",
      },
    ]);
  });

  it("checks one node's own files with --node-root", () => {
    const run = runCheck(["--node-root", join(pristine, "nodes", "cp-2"), "--node-name", "cp-2"]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^no problems: \d+ certificates on 1 node\(s\) of /m);
    assert.match(run.stdout, /^etcd-server\s+cp-2\s/m);
    assert.doesNotMatch(run.stdout, /\scp-1\s/);
  });

  it("exits 2 on usage errors", () => {
    for (const args of [[], ["--warn-within", "soon", pristine], [join(pristine, "nodes")]]) {
      const run = runCheck(args);
      assert.equal(run.status, 2, `${args.join(" ")}: ${run.stdout}${run.stderr}`);
      assert.match(run.stderr, /usage: npm run check/);
    }
  });
});
