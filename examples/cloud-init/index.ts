import * as pulumi from "@pulumi/pulumi";
import { KubernetesPki, USER_DATA_LIMITS } from "kubernetes-pki";

// A small HA cluster whose nodes boot from cloud-init user-data carrying their PKI files.
// ECDSA keys keep every node's gzipped document inside EC2's 16 KiB; Azure and GCP take more.
const pki = new KubernetesPki("demo", {
  controlPlaneEndpoint: "api.demo.example.com:6443",
  controlPlane: [
    { name: "cp-1", address: "10.0.0.11" },
    { name: "cp-2", address: "10.0.0.12" },
    { name: "cp-3", address: "10.0.0.13" },
  ],
  workers: [{ name: "worker-1", address: "10.0.1.21" }],
  encryptionAlgorithm: "ECDSA-P256",
  userData: {
    compression: "document",
    maxBytes: USER_DATA_LIMITS.ec2,
    cloudConfig: { package_update: true, packages: ["containerd"] },
  },
});

/** Each node's user-data: base64 of a gzipped `#cloud-config` (pass it as `userDataBase64`). Secret. */
export const userData = pki.userData;
/** Each node's user-data size as the cloud counts it, in bytes. */
export const userDataSizes = pki.userDataSizes;
/** The operator's kubeconfig. Secret: `pulumi stack output adminKubeconfig --show-secrets > admin.conf`. */
export const adminKubeconfig = pki.kubeconfigs.admin;
/** The cluster CA, e.g. for `--discovery-token-ca-cert-hash`. */
export const clusterCa = pki.caCertificates.apply((cas) => cas.ca);
/** Shows which Pulumi stack this is. */
export const stack = pulumi.getStack();
