import { TrustDomain } from "./types";

/** Every trust domain, each with its own key algorithm. */
export const TRUST_DOMAINS: readonly TrustDomain[] = ["kubernetes", "etcd", "front-proxy", "service-account"];
