import * as assert from "node:assert/strict";
import { createPublicKey, generateKeyPairSync, KeyObject, sign, verify } from "node:crypto";
import { join } from "node:path";
import { clusterCa, serviceAccountKey } from "../../components/catalog/kubernetes";
import { readText } from "./harness/cluster";
import { writeKubeconfig } from "./harness/kubeconfigFile";
import { e2eCluster } from "./hooks";
import { rowPath } from "../../components/placement";

const SA = "e2e-sa";
const NAMESPACE = "default";

/** JWS algorithms the API server signs with, by key: the hash and the ECDSA signature encoding. */
const JWS: Readonly<Record<string, { hash: string; ecdsa: boolean }>> = {
  RS256: { hash: "sha256", ecdsa: false },
  ES256: { hash: "sha256", ecdsa: true },
  ES384: { hash: "sha384", ecdsa: true },
};

interface Jwt {
  readonly header: { alg: string; kid?: string };
  readonly claims: { iss: string; sub: string; aud: string[] };
  readonly signingInput: string;
  readonly signature: Buffer;
}

function decodeJwt(token: string): Jwt {
  const [header, claims, signature] = token.split(".");
  const json = (part: string): unknown => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  return { header: json(header) as Jwt["header"], claims: json(claims) as Jwt["claims"], signingInput: `${header}.${claims}`, signature: Buffer.from(signature, "base64url") };
}

function verifyJwt(jwt: Jwt, key: KeyObject): boolean {
  const alg = JWS[jwt.header.alg];
  if (alg === undefined) throw new Error(`unexpected alg ${jwt.header.alg}`);
  return verify(alg.hash, Buffer.from(jwt.signingInput), { key, dsaEncoding: alg.ecdsa ? "ieee-p1363" : "der" }, jwt.signature);
}

/** The same header and claims, signed by a fresh key of the same type as sa.pub: a forgery. */
function forge(jwt: Jwt, like: KeyObject): string {
  const { privateKey } = like.asymmetricKeyType === "ec"
    ? generateKeyPairSync("ec", { namedCurve: like.asymmetricKeyDetails?.namedCurve ?? "prime256v1" })
    : generateKeyPairSync("rsa", { modulusLength: 2048 });
  const alg = JWS[jwt.header.alg];
  const signature = sign(alg.hash, Buffer.from(jwt.signingInput), { key: privateKey, dsaEncoding: alg.ecdsa ? "ieee-p1363" : "der" });
  return `${jwt.signingInput}.${signature.toString("base64url")}`;
}

interface TokenReviewStatus {
  readonly authenticated?: boolean;
  readonly user?: { username: string; groups: string[] };
  readonly error?: string;
}

/** Sends a TokenReview (as admin.conf) and returns its status. */
async function tokenReview(token: string): Promise<TokenReviewStatus> {
  const cluster = e2eCluster();
  const r = await cluster.create(cluster.adminConf, { apiVersion: "authentication.k8s.io/v1", kind: "TokenReview", spec: { token } });
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { status: TokenReviewStatus }).status;
}

/**
 * Service-account tokens (docs/kubeadm-spec.md §1.1 `sa`, §6.1 `--service-account-*`): signed by the API
 * server with sa.key, verified by every API server with sa.pub.
 */
describe("service accounts: tokens signed with the rendered sa.key and verified with sa.pub", () => {
  let token = "";
  const saPub = (): KeyObject => createPublicKey(readText(e2eCluster().controlPlane[0].file(rowPath(serviceAccountKey, "public-key"))));

  before(async () => {
    const cluster = e2eCluster();
    await cluster.ensureClusterAdmins();
    const created = await cluster.kubectl(cluster.adminConf, "create", "serviceaccount", "-n", NAMESPACE, SA);
    assert.ok(created.code === 0 || /AlreadyExists/.test(created.stderr), created.stderr);
    token = (await cluster.kubectlOk(cluster.adminConf, "create", "token", "-n", NAMESPACE, SA, "--duration=10m")).trim();
  });

  it("kubectl create token returns a JWT whose signature verifies with sa.pub, issued by kubeadm's issuer", () => {
    const jwt = decodeJwt(token);
    assert.equal(verifyJwt(jwt, saPub()), true);
    assert.equal(jwt.header.alg, saPub().asymmetricKeyType === "ec" ? "ES256" : "RS256");
    assert.equal(jwt.claims.iss, `https://kubernetes.default.svc.${e2eCluster().topology.plan.dnsDomain}`);
    assert.equal(jwt.claims.sub, `system:serviceaccount:${NAMESPACE}:${SA}`);
  });

  it("the TokenReview API accepts it as the service account", async () => {
    const status = await tokenReview(token);
    assert.equal(status.authenticated, true, status.error);
    assert.equal(status.user?.username, `system:serviceaccount:${NAMESPACE}:${SA}`);
    assert.ok(status.user?.groups.includes("system:serviceaccounts"));
  });

  it("every API server authenticates it (all verify with the same sa.pub)", async () => {
    const cluster = e2eCluster();
    const dir = cluster.scratch("sa-token");
    for (const node of cluster.controlPlane) {
      const kubeconfig = writeKubeconfig(join(dir, `${node.name}.conf`), { server: cluster.apiServerUrl(node), caFile: node.crt(clusterCa), token });
      const review = await cluster.kubectlJson<{ status: { userInfo: { username: string } } }>(kubeconfig, "auth", "whoami");
      assert.equal(review.status.userInfo.username, `system:serviceaccount:${NAMESPACE}:${SA}`, node.name);
    }
  });

  it("a token with the same header and claims signed by another key is rejected, and does not verify with sa.pub", async () => {
    const forged = forge(decodeJwt(token), saPub());
    assert.equal(verifyJwt(decodeJwt(forged), saPub()), false);
    const status = await tokenReview(forged);
    assert.notEqual(status.authenticated, true);
  });
});
