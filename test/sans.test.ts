import * as assert from "node:assert/strict";
import { validate } from "../components/validate";
import { apiServerSans, etcdPeerSans, etcdServerSans, kubeletServingSans } from "../components/sans";
import { controlPlaneEndpointUrl, localEndpointUrl } from "../components/endpoints";
import { sampleArgs } from "./helpers/sampleArgs";

describe("SANs", () => {
  const plan = validate("t", sampleArgs({ apiServer: { certSANs: ["10.0.0.100", "*.api.example.com", "api.example.com"] } }));
  const cp1 = plan.nodes[0];

  it("gives the API server kubeadm's DNS names, sorted, and IPs in kubeadm's order", () => {
    assert.deepEqual(apiServerSans(cp1, plan), {
      dnsNames: [
        "*.api.example.com",
        "api.dev.example.com",
        "api.example.com",
        "cp-1",
        "kubernetes",
        "kubernetes.default",
        "kubernetes.default.svc",
        "kubernetes.default.svc.cluster.local",
      ],
      ipAddresses: ["10.96.0.1", "10.0.0.11", "10.0.0.100"],
    });
  });

  it("adds an IP endpoint to the IP SANs, not to the DNS names", () => {
    const ipPlan = validate("t", sampleArgs({ controlPlaneEndpoint: "10.0.0.100:6443", apiServer: undefined }));
    const sans = apiServerSans(ipPlan.nodes[0], ipPlan);
    assert.deepEqual(sans.ipAddresses, ["10.96.0.1", "10.0.0.11", "10.0.0.100"]);
    assert.ok(!sans.dnsNames.includes("10.0.0.100"));
  });

  it("adds a node's own certSANs to its API server certificate only", () => {
    const own = validate("t", sampleArgs({ controlPlane: [{ name: "cp-1", address: "10.0.0.11", certSANs: ["cp-1.example.com"] }, { name: "cp-2", address: "10.0.0.12" }] }));
    assert.ok(apiServerSans(own.nodes[0], own).dnsNames.includes("cp-1.example.com"));
    assert.ok(!apiServerSans(own.nodes[1], own).dnsNames.includes("cp-1.example.com"));
  });

  it("uses the custom DNS domain", () => {
    const custom = validate("t", sampleArgs({ networking: { dnsDomain: "prod.internal" } }));
    assert.ok(apiServerSans(custom.nodes[0], custom).dnsNames.includes("kubernetes.default.svc.prod.internal"));
  });

  it("gives etcd server and peer certificates kubeadm's base set plus their own extra SANs", () => {
    const etcdPlan = validate("t", sampleArgs({ etcd: { serverCertSANs: ["etcd.example.com", "10.9.9.9"], peerCertSANs: ["peer.example.com"] } }));
    const node = etcdPlan.nodes[0];
    assert.deepEqual(etcdServerSans(node, etcdPlan), {
      dnsNames: ["cp-1", "localhost", "etcd.example.com"],
      ipAddresses: ["10.0.0.11", "127.0.0.1", "::1", "10.9.9.9"],
    });
    assert.deepEqual(etcdPeerSans(node, etcdPlan), {
      dnsNames: ["cp-1", "localhost", "peer.example.com"],
      ipAddresses: ["10.0.0.11", "127.0.0.1", "::1"],
    });
  });

  it("gives a kubelet serving certificate the node name and, when known, its address", () => {
    const workers = validate("t", sampleArgs({ workers: [{ name: "w-1" }, { name: "w-2", address: "10.0.1.2" }] }));
    assert.deepEqual(kubeletServingSans(workers.nodes[3]), { dnsNames: ["w-1"], ipAddresses: [] });
    assert.deepEqual(kubeletServingSans(workers.nodes[4]), { dnsNames: ["w-2"], ipAddresses: ["10.0.1.2"] });
  });
});

describe("endpoints", () => {
  it("points at the control-plane endpoint, with IPv6 in brackets", () => {
    assert.equal(controlPlaneEndpointUrl(validate("t", sampleArgs())), "https://api.dev.example.com:6443");
    assert.equal(controlPlaneEndpointUrl(validate("t", sampleArgs({ controlPlaneEndpoint: "[fd00::10]:443" }))), "https://[fd00::10]:443");
  });

  it("points a control-plane node at its own API server and a worker at the endpoint", () => {
    const plan = validate("t", sampleArgs({ controlPlane: [{ name: "cp-1", address: "fd00::11" }], apiServer: { bindPort: 8443 } }));
    assert.equal(localEndpointUrl(plan, plan.nodes[0]), "https://[fd00::11]:8443");
    assert.equal(localEndpointUrl(plan, plan.nodes.find((n) => n.name === "worker-1")), "https://api.dev.example.com:6443");
  });
});
