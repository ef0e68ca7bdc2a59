/** Type token of `tls.PrivateKey`. */
export const PRIVATE_KEY = "tls:index/privateKey:PrivateKey";
/** Type token of `tls.CertRequest`. */
export const CERT_REQUEST = "tls:index/certRequest:CertRequest";
/** Type token of `tls.SelfSignedCert`. */
export const SELF_SIGNED_CERT = "tls:index/selfSignedCert:SelfSignedCert";
/** Type token of `tls.LocallySignedCert`. */
export const LOCALLY_SIGNED_CERT = "tls:index/locallySignedCert:LocallySignedCert";

/** The four tls resource types. */
export type TlsResourceType = typeof PRIVATE_KEY | typeof CERT_REQUEST | typeof SELF_SIGNED_CERT | typeof LOCALLY_SIGNED_CERT;
