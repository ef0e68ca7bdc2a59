import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tls from "node:tls";
import { runProgram } from "../offline/runProgram";
import { readStackConfig } from "../offline/stackConfig";
import { TempDirs, writeRenderedTree } from "./helpers/checkTree";
import {
  clientUrl,
  EtcdClient,
  EtcdCluster,
  etcdctl,
  EtcdMember,
  freeLoopbackPrefix,
  requireEtcdTools,
} from "./helpers/etcdCluster";
import { ETCD_PORTS } from "./helpers/kubeadmEtcdFlags";

/** A stack of three control-plane nodes with stacked etcd, each on its own loopback address. */
function stackFile(prefix: string): string {
  return [
    "config:",
    "  kubernetes-pki:cluster:",
    "    controlPlane:",
    ...[1, 2, 3].flatMap((i) => [`      - name: cp-${i}`, `        address: ${prefix}${i}`]),
    "",
  ].join("\n");
}

describe("etcd (Debian's etcd 3.4) on the rendered etcd PKI", function () {
  this.timeout(60_000);
  const temp = new TempDirs();
  let members: EtcdMember[];
  let cluster: EtcdCluster | undefined;
  const [one, two, three] = [0, 1, 2];

  /** A node's client identity to etcd: `etcd/ca.crt` and the pair `<base>.crt`/`<base>.key` under its pki dir. */
  const client = (member: EtcdMember, base: string): EtcdClient => ({
    cacert: join(member.pki, "etcd/ca.crt"),
    cert: join(member.pki, `${base}.crt`),
    key: join(member.pki, `${base}.key`),
  });

  before(async function () {
    this.timeout(600_000);
    requireEtcdTools();
    const prefix = await freeLoopbackPrefix();
    const work = temp.make("etcd");
    const stack = join(work, "Pulumi.etcd.yaml");
    writeFileSync(stack, stackFile(prefix));
    const tree = join(work, "tree");
    await writeRenderedTree(await runProgram(readStackConfig(stack)), tree);
    members = [1, 2, 3].map((i) => ({ name: `cp-${i}`, address: `${prefix}${i}`, pki: join(tree, "nodes", `cp-${i}`, "etc/kubernetes/pki") }));
    cluster = EtcdCluster.start(members, work);
    try {
      await cluster.waitHealthy(client(members[one], "etcd/healthcheck-client"), 30_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${cluster.logTails()}`);
    }
  });

  afterEach(function () {
    if (this.currentTest?.state === "failed" && cluster !== undefined) console.log(cluster.logTails());
  });

  after(async function () {
    this.timeout(30_000);
    await cluster?.stop();
    temp.removeAll();
  });

  it("forms a healthy three-member cluster, as etcd-healthcheck-client sees it", () => {
    const health = etcdctl([clientUrl(members[one])], client(members[one], "etcd/healthcheck-client"), ["endpoint", "health", "--cluster", "-w", "json"]);
    assert.equal(health.status, 0, health.output);
    const endpoints = JSON.parse(health.output) as { endpoint: string; health: boolean }[];
    assert.deepEqual(endpoints.map((e) => [e.endpoint, e.health]).sort(), members.map((m) => [clientUrl(m), true]).sort());
    const list = etcdctl([clientUrl(members[two])], client(members[two], "etcd/healthcheck-client"), ["member", "list", "-w", "json"]);
    assert.equal(list.status, 0, list.output);
    const names = (JSON.parse(list.output) as { members: { name: string }[] }).members.map((m) => m.name).sort();
    assert.deepEqual(names, ["cp-1", "cp-2", "cp-3"]);
  });

  it("lets the API server's etcd client write on member 1 and read the key back on member 3", () => {
    const value = randomBytes(8).toString("hex");
    const put = etcdctl([clientUrl(members[one])], client(members[one], "apiserver-etcd-client"), ["put", "/registry/kubernetes-pki-test", value]);
    assert.equal(put.status, 0, put.output);
    const get = etcdctl([clientUrl(members[three])], client(members[three], "apiserver-etcd-client"), ["get", "/registry/kubernetes-pki-test", "--print-value-only"]);
    assert.equal(get.status, 0, get.output);
    assert.equal(get.output.trim(), value);
  });

  it("rejects a client certificate issued by the cluster CA (apiserver-kubelet-client)", () => {
    const kubeletClient = client(members[one], "apiserver-kubelet-client");
    const put = etcdctl([clientUrl(members[one])], kubeletClient, ["put", "/registry/kubernetes-pki-test", "from-the-wrong-ca"]);
    assert.notEqual(put.status, 0, put.output);
    assert.match(cluster!.log("cp-1"), /rejected connection.*unknown authority/, "cp-1 does not log why it refused the client");
  });

  it("serves a certificate that passes for its own address but not for another member's", async () => {
    const connect = (address: string, expectedName: string): Promise<Error | undefined> =>
      new Promise((resolve) => {
        const identity = client(members[one], "etcd/healthcheck-client");
        const socket = tls.connect({
          host: address,
          port: ETCD_PORTS.client,
          ca: readFileSync(identity.cacert),
          cert: readFileSync(identity.cert),
          key: readFileSync(identity.key),
          checkServerIdentity: (_host, cert) => tls.checkServerIdentity(expectedName, cert),
        });
        const done = (error?: Error): void => {
          socket.destroy();
          resolve(error);
        };
        socket.once("secureConnect", () => done());
        socket.once("error", done);
        socket.setTimeout(5_000, () => done(new Error(`no TLS handshake with ${address} within 5s`)));
      });

    assert.equal(await connect(members[two].address, members[two].address), undefined, "member 2 does not pass for its own address");
    const mismatch = await connect(members[two].address, members[one].address);
    assert.ok(mismatch !== undefined, "member 2's certificate passed for member 1's address");
    assert.equal((mismatch as NodeJS.ErrnoException).code, "ERR_TLS_CERT_ALTNAME_INVALID");

    const verify = (cert: string, ip: string): { status: number | null; output: string } => {
      const run = spawnSync("openssl", ["verify", "-CAfile", join(members[one].pki, "etcd/ca.crt"), "-verify_ip", ip, cert], { encoding: "utf8" });
      return { status: run.status, output: `${run.stdout}${run.stderr}` };
    };
    const serverOne = join(members[one].pki, "etcd/server.crt");
    assert.equal(verify(serverOne, members[one].address).status, 0);
    const other = verify(serverOne, members[two].address);
    assert.notEqual(other.status, 0, other.output);
    assert.match(other.output, /IP address mismatch/);
  });
});
