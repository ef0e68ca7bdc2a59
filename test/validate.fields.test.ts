import * as assert from "node:assert/strict";
import { KubernetesPkiArgs } from "../components";
import { argsProblems, KubernetesPkiInputError, validate } from "../components/validate";
import { expectProblem, unchecked } from "./helpers/expectProblem";
import { sampleArgs } from "./helpers/sampleArgs";

const with_ = (extra: Record<string, unknown>): KubernetesPkiArgs => unchecked({ ...sampleArgs(), ...extra });

/** [what is wrong, args, expected message]: a misspelt field is never ignored. */
const UNKNOWN_FIELDS: [string, KubernetesPkiArgs, RegExp][] = [
  ["a misspelt encryptionAlgorithm", with_({ encryptionAlgorithim: "ECDSA-P256" }), /^encryptionAlgorithim: unknown field; did you mean "encryptionAlgorithm"\?$/],
  ["a misspelt controlPlane", unchecked({ contolPlane: [{ name: "cp-1", address: "10.0.0.11" }] }), /^contolPlane: unknown field; did you mean "controlPlane"\?$/],
  ["worker for workers", unchecked({ ...sampleArgs({ workers: undefined }), worker: [{ name: "w-1" }] }), /^worker: unknown field; did you mean "workers"\?$/],
  ["a top-level field far from any known one", with_({ flavour: "vanilla" }), /^flavour: unknown field; the known fields are clusterName, controlPlaneEndpoint, /],
  ["certSans in apiServer", with_({ apiServer: { certSans: ["10.0.0.100"] } }), /^apiServer\.certSans: unknown field; did you mean "certSANs"\?$/],
  ["a misspelt networking field", with_({ networking: { serviceSubnets: "10.96.0.0/12" } }), /^networking\.serviceSubnets: unknown field; did you mean "serviceSubnet"\?$/],
  ["a misspelt node field", with_({ controlPlane: [{ name: "cp-1", adress: "10.0.0.11" }] }), /^controlPlane\[0\]\.adress: unknown field; did you mean "address"\?$/],
  ["certSANs on a worker", with_({ workers: [{ name: "w-1", certSANs: ["w-1.example.com"] }] }), /^workers\[0\]\.certSANs: unknown field; the known fields are name, address$/],
  ["a misspelt etcd field", with_({ etcd: { serverCertSans: ["etcd.example.com"] } }), /^etcd\.serverCertSans: unknown field; did you mean "serverCertSANs"\?$/],
  ["a misspelt etcd member field", with_({ etcd: { members: [{ name: "etcd-1", addr: "10.0.2.1" }] } }), /^etcd\.members\[0\]\.addr: unknown field; did you mean "address"\?$/],
  ["a misspelt userData field", with_({ userData: { compresion: "files" } }), /^userData\.compresion: unknown field; did you mean "compression"\?$/],
  ["a misspelt bootstrap field", with_({ bootstrap: { token: [{ name: "default" }] } }), /^bootstrap\.token: unknown field; did you mean "tokens"\?$/],
  ["a misspelt token field", with_({ bootstrap: { tokens: [{ name: "default", ttl: "24h", usage: ["signing"] }] } }), /^bootstrap\.tokens\[0\]\.usage: unknown field; did you mean "usages"\?$/],
  ["a misspelt encryptionAtRest field", with_({ encryptionAtRest: { resource: ["secrets"] } }), /^encryptionAtRest\.resource: unknown field; did you mean "resources"\?$/],
  ["a misspelt bundles field", with_({ bundles: { maxBytes: 65536, encodng: "gzip" } }), /^bundles\.encodng: unknown field; did you mean "encoding"\?$/],
];

/** [what is wrong, args, expected message]: a wrong type is a field message, never a JavaScript error. */
const WRONG_TYPES: [string, KubernetesPkiArgs, RegExp][] = [
  ["arguments that are not an object", unchecked("cp-1"), /^the arguments: "cp-1" is not an object; use one with the fields clusterName, /],
  ["a scalar control plane", with_({ controlPlane: "cp-1" }), /^controlPlane: "cp-1" must list at least one node/],
  ["a scalar certSANs", with_({ apiServer: { certSANs: "10.0.0.100" } }), /^apiServer\.certSANs: "10\.0\.0\.100" is not a list; use a list of IP addresses and DNS names, e\.g\. \["10\.0\.0\.100"\]$/],
  ["a scalar node certSANs", with_({ controlPlane: [{ name: "cp-1", address: "10.0.0.11", certSANs: "cp.example.com" }] }), /^controlPlane\[0\] \("cp-1"\)\.certSANs: "cp\.example\.com" is not a list/],
  ["a scalar workers", with_({ workers: "worker-1" }), /^workers: "worker-1" is not a list; use a list of nodes \(\{ name, address \}\)/],
  ["a scalar etcd members", with_({ etcd: { members: "etcd-1" } }), /^etcd\.members: "etcd-1" is not a list/],
  ["a scalar etcd SANs", with_({ etcd: { peerCertSANs: "etcd.example.com" } }), /^etcd\.peerCertSANs: "etcd\.example\.com" is not a list/],
  ["a list as etcd", with_({ etcd: ["etcd-1"] }), /^etcd: \["etcd-1"\] is not an object; use one with the fields serverCertSANs, peerCertSANs, members$/],
  ["a string as networking", with_({ networking: "10.96.0.0/12" }), /^networking: "10\.96\.0\.0\/12" is not an object/],
  ["a string as apiServer", with_({ apiServer: "api" }), /^apiServer: "api" is not an object/],
  ["a number as controlPlaneEndpoint", with_({ controlPlaneEndpoint: 6443 }), /^controlPlaneEndpoint: 6443 is not host\[:port\]/],
  ["a number as serviceSubnet", with_({ networking: { serviceSubnet: 10 } }), /^networking\.serviceSubnet: 10 is not a CIDR/],
  ["a number as dnsDomain", with_({ networking: { dnsDomain: 1 } }), /^networking\.dnsDomain: 1 is not a DNS-1123 subdomain/],
  ["a number as clusterName", with_({ clusterName: 7 }), /^clusterName: 7 is not a DNS-1123 subdomain/],
  ["a string as bindPort", with_({ apiServer: { bindPort: "6443" } }), /^apiServer\.bindPort: "6443" is not a port/],
  ["a number as a node name", with_({ controlPlane: [{ name: 1, address: "10.0.0.11" }] }), /^controlPlane\[0\] \(1\)\.name: 1 is not a DNS-1123 subdomain/],
  ["a number as a node address", with_({ controlPlane: [{ name: "cp-1", address: 10 }] }), /^controlPlane\[0\] \("cp-1"\)\.address: 10 is not an IPv4 or IPv6 address$/],
  ["a null control-plane entry", with_({ controlPlane: [null] }), /^controlPlane\[0\]: null is not an object; use one with the fields name, address, certSANs$/],
  ["a null worker entry", with_({ workers: [null] }), /^workers\[0\]: null is not an object/],
  ["a string worker entry", with_({ workers: ["worker-1"] }), /^workers\[0\]: "worker-1" is not an object/],
  ["a null SAN", with_({ apiServer: { certSANs: [null] } }), /^apiServer\.certSANs\[0\]: null is neither an IP address nor a DNS name/],
  ["a number SAN", with_({ apiServer: { certSANs: [10] } }), /^apiServer\.certSANs\[0\]: 10 is neither an IP address nor a DNS name/],
  ["a number as a validity", with_({ certificateValidityPeriod: 8760 }), /^certificateValidityPeriod: 8760 is not a Go duration in whole hours above zero/],
  ["a list as trustDomainAlgorithms", with_({ trustDomainAlgorithms: ["etcd"] }), /^trustDomainAlgorithms: \["etcd"\] is not an object/],
  ["a number as encryptionAlgorithm", with_({ encryptionAlgorithm: 256 }), /^encryptionAlgorithm: 256 is not supported/],
  ["a string as userData", with_({ userData: "gzip" }), /^userData: "gzip" is not an object; use one with the fields compression, cloudConfig, maxBytes$/],
  ["a scalar bootstrap tokens", with_({ bootstrap: { tokens: "default" } }), /^bootstrap\.tokens: "default" is not a list/],
  ["a null bootstrap token", with_({ bootstrap: { tokens: [null] } }), /^bootstrap\.tokens\[0\]: null is not an object/],
  ["a scalar encryption keys", with_({ encryptionAtRest: { keys: "key1" } }), /^encryptionAtRest\.keys: "key1" is not a list/],
  ["a string as maxBytes", with_({ bundles: { maxBytes: "64k" } }), /^bundles\.maxBytes: "64k" is not a positive whole number of bytes/],
  ["a list as cloudConfig", with_({ userData: { cloudConfig: ["runcmd"] } }), /^userData\.cloudConfig: \["runcmd"\] is not a cloud-config object$/],
  ["a string as write_files", with_({ userData: { cloudConfig: { write_files: "x" } } }), /^userData\.cloudConfig\.write_files: "x" is not a list of files$/],
];

describe("validate: fields and types", () => {
  for (const [what, args, message] of UNKNOWN_FIELDS) {
    it(`rejects ${what}`, () => expectProblem(args, message));
  }
  for (const [what, args, message] of WRONG_TYPES) {
    it(`rejects ${what} with a field message`, () => expectProblem(args, message));
  }

  it("never throws while collecting problems, whatever the shape", () => {
    const shapes: unknown[] = [
      null, 5, "x", [], [1], { controlPlane: {} }, { controlPlane: [[]] }, { etcd: null, workers: [[]] }, { apiServer: { certSANs: {} } },
      { bootstrap: { tokens: [{ name: 1, ttl: 2, usages: "signing", groups: 3 }] } }, { encryptionAtRest: { keys: [{ name: [] }], resources: [1] } },
    ];
    for (const shape of shapes) assert.doesNotThrow(() => argsProblems(shape), JSON.stringify(shape));
  });

  it("reports every problem of a config in one run", () => {
    const args = with_({
      encryptionAlgorithim: "ECDSA-P256",
      apiServer: { certSans: ["10.0.0.100"], bindPort: "x" },
      networking: { serviceSubnet: "10.0.0.0/8" },
      workers: [{ name: "Worker", address: "10.0.0.11" }], // a bad name and a taken address
      certificateValidityPeriod: "900000000h",
    });
    assert.throws(() => validate("prod", args), (error: KubernetesPkiInputError) => {
      assert.equal(error.problems.length, 7, error.message);
      return true;
    });
  });

  it("accepts fields given as undefined, as TypeScript callers leave them", () => {
    assert.doesNotThrow(() => validate("prod", sampleArgs({ controlPlaneEndpoint: undefined, etcd: undefined, userData: undefined })));
  });
});
