import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesPki, KubernetesPkiArgs } from "../components";
import { RegisteredResource, TlsEmulator } from "../offline/tlsEmulator";
import { requiresReplace } from "../offline/tls/renewal";
import { unwrap } from "./helpers/unwrap";

const DAY = 86_400_000;
const LOCALLY_SIGNED = "tls:index/locallySignedCert:LocallySignedCert";
const SELF_SIGNED = "tls:index/selfSignedCert:SelfSignedCert";
const CERT_REQUEST = "tls:index/certRequest:CertRequest";

const args = (certSANs: string[] = []): KubernetesPkiArgs => ({
  encryptionAlgorithm: "ECDSA-P256",
  apiServer: { certSANs },
  controlPlane: [{ name: "cp-1", address: "10.0.0.11" }],
  workers: [{ name: "worker-1" }],
});

/** Runs the component under the emulator and returns what it registered. */
async function deploy(input: KubernetesPkiArgs): Promise<RegisteredResource[]> {
  const emulator = new TlsEmulator();
  await pulumi.runtime.setMocks(emulator, "kubernetes-pki", "test", false);
  await unwrap(new KubernetesPki("prod", input).files);
  return emulator.resources;
}

const find = (resources: RegisteredResource[], type: string, name: string): RegisteredResource => {
  const found = resources.find((r) => r.type === type && r.name === name);
  assert.ok(found, `no ${type} ${name}`);
  return found;
};

/**
 * What `pulumi preview` would plan for the program run again unchanged, at `now`: the engine's
 * replacement decision (docs/tls-provider.md §9/§10) for each certificate, from its state and its inputs.
 */
const plannedReplacements = (resources: RegisteredResource[], now: Date): string[] =>
  resources
    .filter((r) => r.type === LOCALLY_SIGNED || r.type === SELF_SIGNED)
    .filter((r) => requiresReplace(r.state, r.inputs, now, r.type as typeof LOCALLY_SIGNED).length > 0)
    .map((r) => r.name)
    .sort();

describe("renewal and rotation as a preview plans them", function () {
  this.timeout(300_000);
  let resources: RegisteredResource[];
  before(async () => (resources = await deploy(args())));

  const endOf = (type: string, name: string): number => Date.parse(find(resources, type, name).state.validityEndTime as string);

  it("plans nothing for an unchanged program while every certificate is young", () => {
    assert.deepEqual(plannedReplacements(resources, new Date()), []);
  });

  it("plans every leaf's re-issue 30 days before it expires, and not a day earlier", () => {
    const leafEnd = endOf(LOCALLY_SIGNED, "prod-apiserver-cp-1");
    assert.deepEqual(plannedReplacements(resources, new Date(leafEnd - 31 * DAY)), []);
    const due = plannedReplacements(resources, new Date(leafEnd - 29 * DAY));
    const leaves = resources.filter((r) => r.type === LOCALLY_SIGNED).map((r) => r.name).sort();
    assert.deepEqual(due, leaves);
  });

  it("never plans a CA certificate's replacement, even a day before it expires (CAs rotate in stages)", () => {
    const caEnd = endOf(SELF_SIGNED, "prod-ca");
    assert.ok(!plannedReplacements(resources, new Date(caEnd - DAY)).includes("prod-ca"));
  });

  it("re-issues only the API server certificates when an API server SAN is added", async () => {
    const after = await deploy(args(["api.example.com"]));
    const changedRequests = after
      .filter((r) => r.type === CERT_REQUEST)
      .filter((r) => {
        const prior = find(resources, CERT_REQUEST, r.name);
        // The engine keeps each key (its inputs did not change), so the request is signed by the same key.
        const planned = { ...r.inputs, privateKeyPem: prior.inputs.privateKeyPem };
        return requiresReplace(prior.state, planned, new Date(), CERT_REQUEST).length > 0;
      })
      .map((r) => r.name);
    assert.deepEqual(changedRequests, ["prod-apiserver-cp-1"]);
  });
});
