import * as assert from "node:assert/strict";
import { KubernetesPkiArgs } from "../components";
import { KubernetesPkiInputError, validate } from "../components/validate";
import { expectProblem } from "./helpers/expectProblem";
import { sampleArgs } from "./helpers/sampleArgs";

const cp = (name: string, address: string, certSANs?: string[]) => ({ name, address, certSANs });

/** [what is wrong, args, expected message] */
const BAD_INPUTS: [string, KubernetesPkiArgs, RegExp][] = [
  ["an empty control plane", sampleArgs({ controlPlane: [] }), /^controlPlane: \[\] must list at least one node/],
  ["a control plane that is not a list", { controlPlane: undefined } as unknown as KubernetesPkiArgs, /^controlPlane: null must list at least one node/],
  ["an invalid IPv4 address", sampleArgs({ controlPlane: [cp("cp-1", "10.0.0.300")] }), /^controlPlane\[0\] \("cp-1"\)\.address: "10\.0\.0\.300" is not an IPv4 or IPv6 address$/],
  ["a host name as address", sampleArgs({ controlPlane: [cp("cp-1", "cp-1.example.com")] }), /^controlPlane\[0\] \("cp-1"\)\.address: "cp-1\.example\.com" is not an IPv4 or IPv6 address$/],
  ["a missing address", sampleArgs({ controlPlane: [{ name: "cp-1" } as never] }), /^controlPlane\[0\] \("cp-1"\)\.address: null is not an IPv4 or IPv6 address$/],
  ["an upper-case node name", sampleArgs({ controlPlane: [cp("CP-1", "10.0.0.11")] }), /^controlPlane\[0\] \("CP-1"\)\.name: "CP-1" is not a DNS-1123 subdomain/],
  ["a node name with an underscore", sampleArgs({ controlPlane: [cp("cp_1", "10.0.0.11")] }), /^controlPlane\[0\] \("cp_1"\)\.name: "cp_1" is not a DNS-1123 subdomain/],
  ["an empty node name", sampleArgs({ controlPlane: [cp("", "10.0.0.11")] }), /^controlPlane\[0\] \(""\)\.name: "" is not a DNS-1123 subdomain/],
  ["a node name ending in a dash", sampleArgs({ controlPlane: [cp("cp-", "10.0.0.11")] }), /\.name: "cp-" is not a DNS-1123 subdomain/],
  ["a node name over 253 characters", sampleArgs({ controlPlane: [cp("a".repeat(254), "10.0.0.11")] }), /\.name: "a{254}" is not a DNS-1123 subdomain/],
  ["a valid subdomain too long for a node name", sampleArgs({ controlPlane: [cp("a".repeat(64), "10.0.0.11")] }), /\.name: "a{64}" is not a DNS-1123 subdomain of at most 63 characters/],
  ["duplicate control-plane names", sampleArgs({ controlPlane: [cp("cp-1", "10.0.0.11"), cp("cp-1", "10.0.0.12")] }), /^controlPlane\[1\] \("cp-1"\)\.name: "cp-1" is already used by controlPlane\[0\]/],
  ["a worker named like a control-plane node", sampleArgs({ workers: [{ name: "cp-2" }] }), /^workers\[0\] \("cp-2"\)\.name: "cp-2" is already used by controlPlane\[1\]/],
  ["an etcd member named like a worker", sampleArgs({ etcd: { members: [{ name: "worker-1", address: "10.0.2.1" }] } }), /^workers\[0\] \("worker-1"\)\.name: "worker-1" is already used by etcd\.members\[0\]/],
  ["an etcd member without a valid address", sampleArgs({ etcd: { members: [{ name: "etcd-1", address: "nowhere" }] } }), /^etcd\.members\[0\] \("etcd-1"\)\.address: "nowhere" is not an IPv4 or IPv6 address$/],
  ["a worker with a bad address", sampleArgs({ workers: [{ name: "w-1", address: "1.2.3" }] }), /^workers\[0\] \("w-1"\)\.address: "1\.2\.3" is not an IPv4 or IPv6 address$/],
  ["an endpoint with a bad port", sampleArgs({ controlPlaneEndpoint: "api.example.com:70000" }), /^controlPlaneEndpoint: "api\.example\.com:70000" is not host\[:port\]/],
  ["an endpoint with a scheme", sampleArgs({ controlPlaneEndpoint: "https://api.example.com" }), /^controlPlaneEndpoint: "https:\/\/api\.example\.com" is not host\[:port\]/],
  ["an endpoint with an unbracketed IPv6 and port", sampleArgs({ controlPlaneEndpoint: "fd00::1:6443:x" }), /^controlPlaneEndpoint: "fd00::1:6443:x" has an IPv6 host without brackets/],
  ["an endpoint with a space", sampleArgs({ controlPlaneEndpoint: "api example.com" }), /^controlPlaneEndpoint: "api example\.com" is not host\[:port\]/],
  ["an empty endpoint", sampleArgs({ controlPlaneEndpoint: "" }), /^controlPlaneEndpoint: "" is not host\[:port\]/],
  ["a service subnet that is no CIDR", sampleArgs({ networking: { serviceSubnet: "10.96.0.0" } }), /^networking\.serviceSubnet: "10\.96\.0\.0" is not a CIDR/],
  ["a service subnet with a bad prefix", sampleArgs({ networking: { serviceSubnet: "10.96.0.0/33" } }), /^networking\.serviceSubnet: "10\.96\.0\.0\/33" is not a CIDR/],
  ["a too small IPv4 service subnet", sampleArgs({ networking: { serviceSubnet: "10.96.0.0/29" } }), /^networking\.serviceSubnet: "10\.96\.0\.0\/29" is too small; it needs at least 16 addresses/],
  ["a too small IPv6 service subnet", sampleArgs({ networking: { serviceSubnet: "fd00::/125" } }), /^networking\.serviceSubnet: "fd00::\/125" is too small/],
  ["two IPv4 service subnets", sampleArgs({ networking: { serviceSubnet: "10.96.0.0/16,10.97.0.0/16" } }), /^networking\.serviceSubnet: "10\.96\.0\.0\/16,10\.97\.0\.0\/16" must be one CIDR, or two of different IP families/],
  ["three service subnets", sampleArgs({ networking: { serviceSubnet: "10.96.0.0/16,fd00::/108,10.97.0.0/16" } }), /must be one CIDR, or two of different IP families/],
  ["a DNS domain with upper case", sampleArgs({ networking: { dnsDomain: "Cluster.Local" } }), /^networking\.dnsDomain: "Cluster\.Local" is not a DNS-1123 subdomain/],
  ["a cluster name with a space", sampleArgs({ clusterName: "my cluster" }), /^clusterName: "my cluster" is not a DNS-1123 subdomain/],
  ["a bind port of zero", sampleArgs({ apiServer: { bindPort: 0 } }), /^apiServer\.bindPort: 0 is not a port; use an integer from 1 to 65535$/],
  ["a fractional bind port", sampleArgs({ apiServer: { bindPort: 6443.5 } }), /^apiServer\.bindPort: 6443\.5 is not a port/],
  ["an API server SAN that is neither IP nor DNS", sampleArgs({ apiServer: { certSANs: ["not a name"] } }), /^apiServer\.certSANs\[0\]: "not a name" is neither an IP address nor a DNS name/],
  ["a node SAN with an underscore", sampleArgs({ controlPlane: [cp("cp-1", "10.0.0.11", ["bad_name.example.com"])] }), /^controlPlane\[0\] \("cp-1"\)\.certSANs\[0\]: "bad_name\.example\.com" is neither/],
  ["an etcd server SAN with a URL", sampleArgs({ etcd: { serverCertSANs: ["https://etcd"] } }), /^etcd\.serverCertSANs\[0\]: "https:\/\/etcd" is neither/],
  ["an etcd peer SAN with a double wildcard", sampleArgs({ etcd: { peerCertSANs: ["*.*.example.com"] } }), /^etcd\.peerCertSANs\[0\]: "\*\.\*\.example\.com" is neither/],
  ["an unknown algorithm", sampleArgs({ encryptionAlgorithm: "RSA-1024" as never }), /^encryptionAlgorithm: "RSA-1024" is not supported; use one of RSA-2048, RSA-3072, RSA-4096, ECDSA-P256, ECDSA-P384$/],
  ["a lower-case algorithm", sampleArgs({ encryptionAlgorithm: "ecdsa-p256" as never }), /^encryptionAlgorithm: "ecdsa-p256" is not supported/],
  ["an unknown trust domain", sampleArgs({ trustDomainAlgorithms: { kubelet: "RSA-2048" } as never }), /^trustDomainAlgorithms\.kubelet: unknown field; the known fields are kubernetes, etcd, front-proxy, service-account$/],
  ["an unknown per-domain algorithm", sampleArgs({ trustDomainAlgorithms: { etcd: "ED25519" as never } }), /^trustDomainAlgorithms\.etcd: "ED25519" is not supported/],
  ["an unparsable validity", sampleArgs({ certificateValidityPeriod: "1 year" }), /^certificateValidityPeriod: "1 year" is not a Go duration in whole hours above zero, e\.g\. "8760h"$/],
  ["a validity in days", sampleArgs({ certificateValidityPeriod: "365d" }), /^certificateValidityPeriod: "365d" is not a Go duration/],
  ["a validity that is not whole hours", sampleArgs({ certificateValidityPeriod: "90m" }), /^certificateValidityPeriod: "90m" is not a Go duration in whole hours/],
  ["a zero validity", sampleArgs({ certificateValidityPeriod: "0h" }), /^certificateValidityPeriod: "0h" is not a Go duration in whole hours above zero/],
  ["a negative CA validity", sampleArgs({ caCertificateValidityPeriod: "-87600h" }), /^caCertificateValidityPeriod: "-87600h" is not a Go duration/],
  ["a leaf validity longer than the CA's", sampleArgs({ certificateValidityPeriod: "87601h" }), /^certificateValidityPeriod: "87601h" \(87601h\) is longer than caCertificateValidityPeriod \(87600h\)/],
  ["a renewal window as long as the validity", sampleArgs({ certificateValidityPeriod: "720h" }), /^certificateRenewBefore: "720h" must be shorter than certificateValidityPeriod \(720h\)/],
  ["a CA renewal window longer than the CA validity", sampleArgs({ caCertificateRenewBefore: "100000h" }), /^caCertificateRenewBefore: "100000h" must be shorter than caCertificateValidityPeriod/],
  ["an unparsable renewal window", sampleArgs({ certificateRenewBefore: "soon" }), /^certificateRenewBefore: "soon" is not a Go duration in whole hours, e\.g\. "720h"$/],
];

describe("validate", () => {
  for (const [what, args, message] of BAD_INPUTS) {
    it(`rejects ${what}`, () => expectProblem(args, message));
  }

  it(`tests at least 30 bad inputs (has ${BAD_INPUTS.length})`, () => assert.ok(BAD_INPUTS.length >= 30));

  it("reports every problem at once", () => {
    const args = sampleArgs({ controlPlane: [cp("cp-1", "10.0.0.300")], encryptionAlgorithm: "RSA-1024" as never });
    assert.throws(() => validate("prod", args), (error: KubernetesPkiInputError) => error.problems.length === 2);
  });

  it("accepts the sample cluster and applies kubeadm's defaults", () => {
    const plan = validate("prod", sampleArgs({ controlPlaneEndpoint: undefined, apiServer: undefined }));
    assert.equal(plan.clusterName, "kubernetes");
    assert.equal(plan.endpointHost, "10.0.0.11");
    assert.equal(plan.endpointPort, 6443);
    assert.equal(plan.apiServerServiceIp, "10.96.0.1");
    assert.equal(plan.dnsDomain, "cluster.local");
    assert.equal(plan.leafValidityHours, 8760);
    assert.equal(plan.caValidityHours, 87600);
    assert.deepEqual(plan.algorithms, { kubernetes: "RSA-2048", etcd: "RSA-2048", "front-proxy": "RSA-2048", "service-account": "RSA-2048" });
  });

  it("takes the endpoint port from controlPlaneEndpoint, else from bindPort", () => {
    assert.equal(validate("p", sampleArgs({ controlPlaneEndpoint: "lb.example.com:443" })).endpointPort, 443);
    assert.equal(validate("p", sampleArgs({ controlPlaneEndpoint: "lb.example.com", apiServer: { bindPort: 8443 } })).endpointPort, 8443);
    assert.equal(validate("p", sampleArgs({ controlPlaneEndpoint: "[fd00::10]:6443" })).endpointHost, "fd00::10");
  });

  it("uses the first address of the first service CIDR only (dual-stack)", () => {
    const plan = validate("p", sampleArgs({ networking: { serviceSubnet: "fd00:10:96::/112,10.96.0.0/16" } }));
    assert.equal(plan.apiServerServiceIp, "fd00:10:96::1");
  });

  it("gives control-plane nodes stacked etcd unless dedicated members are listed", () => {
    const stacked = validate("p", sampleArgs());
    assert.deepEqual([...stacked.nodes[0].roles].sort(), ["control-plane", "etcd", "kubelet"]);
    const external = validate("p", sampleArgs({ etcd: { members: [{ name: "etcd-1", address: "10.0.2.1" }] } }));
    assert.deepEqual([...external.nodes[0].roles].sort(), ["control-plane", "kubelet"]);
    assert.deepEqual([...external.nodes.find((n) => n.name === "etcd-1")!.roles], ["etcd"]);
  });

  it("applies per trust domain algorithm overrides", () => {
    const plan = validate("p", sampleArgs({ encryptionAlgorithm: "ECDSA-P384", trustDomainAlgorithms: { "service-account": "RSA-4096" } }));
    assert.equal(plan.algorithms.etcd, "ECDSA-P384");
    assert.equal(plan.algorithms["service-account"], "RSA-4096");
  });
});
