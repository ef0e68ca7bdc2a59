import { isDeepStrictEqual } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { isReadyForRenewal } from "../../components/rotation/renewal";
import { PRIVATE_KEY_DEFAULTS } from "./privateKey";
import { SELF_SIGNED_CERT_DEFAULTS } from "./selfSignedCert";
import { CERT_REQUEST, LOCALLY_SIGNED_CERT, PRIVATE_KEY, SELF_SIGNED_CERT, TlsResourceType } from "./tokens";

/** `requireReplaceIfStateContainsPEMString`'s test of the prior state value. */
const PEM_STATE = /^-----BEGIN [A-Za-z ]+-----\n[\s\S]+\n-----END [A-Za-z ]+-----\n?$/;

/** How a replace-on-change property is compared. */
type Compare = "value" | "pem" | "keepIfRemoved";
const PEM_KEY_INPUTS: Record<string, Compare> = { privateKeyPem: "pem" };
const SAN_SUBJECT: Record<string, Compare> = { subject: "value", dnsNames: "value", ipAddresses: "value", uris: "value" };

/** docs/tls-provider.md §10: the properties whose change replaces the resource, in the order reported. */
const REPLACE_ON_CHANGE: Record<TlsResourceType, Record<string, Compare>> = {
  [PRIVATE_KEY]: { algorithm: "value", rsaBits: "value", ecdsaCurve: "value" },
  [CERT_REQUEST]: { ...PEM_KEY_INPUTS, ...SAN_SUBJECT },
  [SELF_SIGNED_CERT]: {
    ...PEM_KEY_INPUTS, validityPeriodHours: "value", allowedUses: "value", ...SAN_SUBJECT, isCaCertificate: "value",
    maxPathLength: "keepIfRemoved", setSubjectKeyId: "value", setAuthorityKeyId: "value",
  },
  [LOCALLY_SIGNED_CERT]: {
    certRequestPem: "pem", caCertPem: "pem", caPrivateKeyPem: "pem", validityPeriodHours: "value", allowedUses: "value",
    isCaCertificate: "value", maxPathLength: "keepIfRemoved", setSubjectKeyId: "value",
  },
};

/** Defaults the provider plans for absent inputs. */
const DEFAULTS: Record<string, unknown> = { ...PRIVATE_KEY_DEFAULTS, ...SELF_SIGNED_CERT_DEFAULTS };

/** Infers the resource type from the keys of a state object. */
function inferType(state: Readonly<Record<string, unknown>>): TlsResourceType {
  if ("algorithm" in state) return PRIVATE_KEY;
  if ("caCertPem" in state) return LOCALLY_SIGNED_CERT;
  if ("certPem" in state || "allowedUses" in state) return SELF_SIGNED_CERT;
  return CERT_REQUEST;
}

/**
 * The replacement decision the engine would make on `pulumi up` (docs/tls-provider.md: the §10 matrix plus the §9
 * renewal window), from the prior state and the new plain inputs: the names of the properties
 * that force replacement, `readyForRenewal` last when the window is reached. Empty: no replace.
 * PEM-valued inputs replace only when the prior value is a PEM (`requireReplaceIfStateContainsPEMString`);
 * removing `maxPathLength` keeps the state value (UseStateForUnknown). Unknown new values count as changes.
 * `type` is inferred from the state's keys when omitted.
 */
export function requiresReplace(
  oldState: Readonly<Record<string, unknown>>, newInputs: Readonly<Record<string, unknown>>, now: Date,
  type: TlsResourceType = inferType(oldState),
): string[] {
  const changed = Object.entries(REPLACE_ON_CHANGE[type]).filter(([prop, compare]) => {
    const planned = newInputs[prop] ?? DEFAULTS[prop];
    const prior = oldState[prop] ?? DEFAULTS[prop];
    if (compare === "keepIfRemoved" && planned === undefined) {
      return false;
    }
    const differs = pulumi.isUnknown(planned) || !isDeepStrictEqual(planned, prior);
    return differs && (compare !== "pem" || (typeof prior === "string" && PEM_STATE.test(prior)));
  }).map(([prop]) => prop);
  const renews = type.endsWith("Cert") && typeof oldState.validityEndTime === "string" && isReadyForRenewal(
    { validityEndTime: oldState.validityEndTime, earlyRenewalHours: (newInputs.earlyRenewalHours as number | undefined) ?? 0 },
    now,
  );
  return renews ? [...changed, "readyForRenewal"] : changed;
}
