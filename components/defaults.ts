/** kubeadm's defaults (`ClusterConfiguration` v1beta4) for the inputs left out. */
export const DEFAULTS = {
  clusterName: "kubernetes",
  serviceSubnet: "10.96.0.0/12",
  dnsDomain: "cluster.local",
  bindPort: 6443,
  certificateValidityPeriod: "8760h",
  caCertificateValidityPeriod: "87600h",
  certificateRenewBefore: "720h",
  caCertificateRenewBefore: "8760h",
} as const;
