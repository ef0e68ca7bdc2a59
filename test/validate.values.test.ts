import * as assert from "node:assert/strict";
import { KubernetesPkiArgs } from "../components";
import { validate } from "../components/validate";
import { expectProblem } from "./helpers/expectProblem";
import { sampleArgs } from "./helpers/sampleArgs";

const cp = (name: string, address: string) => ({ name, address });

/** [what is wrong, args, expected message]: values kubeadm or a certificate cannot take. */
const BAD_VALUES: [string, KubernetesPkiArgs, RegExp][] = [
  ["an IPv4 service subnet with more than 20 host bits", sampleArgs({ networking: { serviceSubnet: "10.0.0.0/8" } }), /^networking\.serviceSubnet: "10\.0\.0\.0\/8" is too large; kubeadm allows at most 20 host bits/],
  ["an IPv4 service subnet of 21 host bits", sampleArgs({ networking: { serviceSubnet: "10.96.0.0/11" } }), /^networking\.serviceSubnet: "10\.96\.0\.0\/11" is too large/],
  ["an IPv6 /64 service subnet", sampleArgs({ networking: { serviceSubnet: "fd00:10:96::/64" } }), /^networking\.serviceSubnet: "fd00:10:96::\/64" is too large/],
  ["a too large half of a dual-stack pair", sampleArgs({ networking: { serviceSubnet: "10.96.0.0/12,fd00::/107" } }), /^networking\.serviceSubnet: "fd00::\/107" is too large/],
  ["a zoned service subnet", sampleArgs({ networking: { serviceSubnet: "fe80::%eth0/112" } }), /^networking\.serviceSubnet: "fe80::%eth0\/112" is not a CIDR; an IPv6 zone has no place in a CIDR/],
  ["a service subnet in a short IPv4 form", sampleArgs({ networking: { serviceSubnet: "10.96/12" } }), /^networking\.serviceSubnet: "10\.96\/12" is not a CIDR/],
  ["an IPv4 address with leading zeros", sampleArgs({ controlPlane: [cp("cp-1", "010.0.0.11")] }), /^controlPlane\[0\] \("cp-1"\)\.address: "010\.0\.0\.11" is not an IPv4 or IPv6 address$/],
  ["a zoned node address", sampleArgs({ controlPlane: [cp("cp-1", "fe80::1%eth0")] }), /^controlPlane\[0\] \("cp-1"\)\.address: "fe80::1%eth0" is an IPv6 address with a zone, which no certificate can hold/],
  ["a zoned SAN", sampleArgs({ apiServer: { certSANs: ["fe80::1%eth0"] } }), /^apiServer\.certSANs\[0\]: "fe80::1%eth0" is an IPv6 address with a zone/],
  ["a zoned endpoint", sampleArgs({ controlPlaneEndpoint: "[fe80::1%eth0]:6443" }), /^controlPlaneEndpoint: "\[fe80::1%eth0\]:6443" has an IPv6 zone/],
  ["an unbracketed IPv6 endpoint with a port", sampleArgs({ controlPlaneEndpoint: "fd00::10:6443" }), /^controlPlaneEndpoint: "fd00::10:6443" has an IPv6 host without brackets.*"\[fd00::10\]:6443"/],
  ["an unbracketed IPv6 endpoint", sampleArgs({ controlPlaneEndpoint: "fd00::10" }), /^controlPlaneEndpoint: "fd00::10" has an IPv6 host without brackets/],
  ["a validity of 900000000h", sampleArgs({ certificateValidityPeriod: "900000000h", caCertificateValidityPeriod: "900000000h" }), /^certificateValidityPeriod: "900000000h" is longer than 876000h \(100 years\), the longest validity allowed$/],
  ["a CA validity over 100 years", sampleArgs({ caCertificateValidityPeriod: "876001h" }), /^caCertificateValidityPeriod: "876001h" is longer than 876000h/],
  ["a validity with more digits than a number holds", sampleArgs({ caCertificateValidityPeriod: `${"9".repeat(400)}h` }), /^caCertificateValidityPeriod: "9{400}h" is longer than 876000h/],
  ["a 253-character node name", sampleArgs({ workers: [{ name: `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}` }] }), /^workers\[0\] \("a{63}\.b{63}\.c{63}\.d{61}"\)\.name: .* is not a DNS-1123 subdomain of at most 63 characters/],
  ["two control-plane nodes at one address", sampleArgs({ controlPlane: [cp("cp-1", "10.0.0.11"), cp("cp-2", "10.0.0.11")] }), /^controlPlane\[1\] \("cp-2"\)\.address: "10\.0\.0\.11" is already the address of controlPlane\[0\] \("cp-1"\)/],
  ["a worker at a control-plane node's address", sampleArgs({ workers: [{ name: "w-1", address: "10.0.0.12" }] }), /^workers\[0\] \("w-1"\)\.address: "10\.0\.0\.12" is already the address of controlPlane\[1\] \("cp-2"\)/],
  ["an etcd member at a control-plane address written otherwise", sampleArgs({ controlPlane: [cp("cp-1", "fd00::11")], etcd: { members: [{ name: "etcd-1", address: "fd00:0:0::11" }] } }), /^etcd\.members\[0\] \("etcd-1"\)\.address: "fd00:0:0::11" is already the address of controlPlane\[0\]/],
];

describe("validate: values", () => {
  for (const [what, args, message] of BAD_VALUES) {
    it(`rejects ${what}`, () => expectProblem(args, message));
  }

  it("accepts kubeadm's largest service subnets (20 host bits)", () => {
    assert.doesNotThrow(() => validate("p", sampleArgs({ networking: { serviceSubnet: "10.96.0.0/12,fd00:10:96::/108" } })));
  });

  it("accepts a 63-character node name and a bracketed IPv6 endpoint", () => {
    const plan = validate("p", sampleArgs({ workers: [{ name: "w".repeat(63) }], controlPlaneEndpoint: "[fd00::10]:6443" }));
    assert.equal(plan.endpointHost, "fd00::10");
  });

  it("accepts workers without addresses and a validity of 100 years", () => {
    assert.doesNotThrow(() => validate("p", sampleArgs({ workers: [{ name: "w-1" }, { name: "w-2" }], caCertificateValidityPeriod: "876000h" })));
  });
});
