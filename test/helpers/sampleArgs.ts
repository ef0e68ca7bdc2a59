import { KubernetesPkiArgs } from "../../components";

/** The sample HA cluster of Pulumi.dev.yaml: three stacked control-plane nodes, two workers. */
export function sampleArgs(overrides: Partial<KubernetesPkiArgs> = {}): KubernetesPkiArgs {
  return {
    controlPlaneEndpoint: "api.dev.example.com:6443",
    apiServer: { certSANs: ["10.0.0.100"] },
    controlPlane: [
      { name: "cp-1", address: "10.0.0.11" },
      { name: "cp-2", address: "10.0.0.12" },
      { name: "cp-3", address: "10.0.0.13" },
    ],
    workers: [
      { name: "worker-1", address: "10.0.1.21" },
      { name: "worker-2", address: "10.0.1.22" },
    ],
    ...overrides,
  };
}
