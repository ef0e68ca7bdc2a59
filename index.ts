import * as pulumi from "@pulumi/pulumi";
import { KubernetesPki, KubernetesPkiArgs } from "./components";

// The stack program: the same code runs under `pulumi up` and under the offline renderer.
const config = new pulumi.Config("kubernetes-pki");
const cluster = config.requireObject<KubernetesPkiArgs>("cluster");
const pki = new KubernetesPki(pulumi.getStack(), cluster);

/** CA certificates by CA id. */
export const caCertificates = pki.caCertificates;
/** `sa.pub`. */
export const serviceAccountPublicKey = pki.serviceAccount.publicKeyPem;
/** The operator's `admin.conf` (secret). */
export const adminKubeconfig = pki.kubeconfigs.admin;
/** The operator's break-glass `super-admin.conf` (secret). */
export const superAdminKubeconfig = pki.kubeconfigs.superAdmin;
/** Every node's files, by node name and path (secret). */
export const files = pki.files;
/** Every node's cloud-init user-data (secret), rendered with the stack's `userData` options. */
export const userData = pki.userData;
/** How `userData` is compressed (`document`: base64 of gzip bytes). */
export const userDataCompression = cluster.userData?.compression ?? "none";
/** Every node's user-data size in bytes. */
export const userDataSizes = pki.userDataSizes;
/** Every node's secret-store bundle size in bytes. */
export const bundleSizes = pki.bundleSizes;
