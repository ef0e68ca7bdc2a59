import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { KubernetesPkiArgs } from "../../../components";
import { REPO_ROOT } from "./cli";
import { CLUSTER_KEY } from "./engineStack";

/** The `kubernetes-pki:cluster` object of a stack settings file of the repository (`Pulumi.<stack>.yaml`). */
export function stackFileCluster(file: string): KubernetesPkiArgs {
  const doc = parse(readFileSync(join(REPO_ROOT, file), "utf8")) as { config: Record<string, KubernetesPkiArgs> };
  return doc.config[CLUSTER_KEY];
}

/**
 * A small cluster for scenarios about changes: one control-plane node, one worker, ECDSA-P256 keys
 * (made in milliseconds, where RSA takes seconds), so each scenario deploys quickly.
 */
export function smallCluster(): KubernetesPkiArgs {
  return {
    controlPlaneEndpoint: "api.test.example.com:6443",
    apiServer: { certSANs: ["10.0.0.100"] },
    controlPlane: [{ name: "cp-1", address: "10.0.0.11" }],
    workers: [{ name: "worker-1", address: "10.0.1.21" }],
    encryptionAlgorithm: "ECDSA-P256",
  };
}
