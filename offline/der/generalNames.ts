import { readAll, readOne } from "./read";
import { contextTag, TAG } from "./tags";
import { ia5String, implicit, octetString, sequence } from "./write";

/** The GeneralName forms X.509 SANs here use: dNSName [2], uniformResourceIdentifier [6], iPAddress [7]. */
const DNS_NAME = 2;
const URI = 6;
const IP_ADDRESS = 7;

/** The DNS names, IP address bytes and URIs of a GeneralNames value, each list in encoding order. */
export interface GeneralNameLists {
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly Uint8Array[];
  readonly uris: readonly string[];
}

/** `GeneralNames` (the SAN extension value): all DNS names, then all IPs, then all URIs, as Go's `marshalSANs`. */
export function generalNames(names: GeneralNameLists): Buffer {
  return sequence([
    ...names.dnsNames.map((name) => implicit(DNS_NAME, ia5String(name))),
    ...names.ipAddresses.map((bytes) => implicit(IP_ADDRESS, octetString(bytes))),
    ...names.uris.map((uri) => implicit(URI, ia5String(uri))),
  ]);
}

/** Reads a `GeneralNames` value; name forms other than DNS, IP and URI are skipped, as Go does. */
export function readGeneralNames(der: Buffer): GeneralNameLists {
  const names = readAll(readOne(der, TAG.SEQUENCE, "GeneralNames").contents);
  const of = (n: number): Buffer[] => names.filter((name) => name.tag === contextTag(n, false)).map((name) => name.contents);
  return {
    dnsNames: of(DNS_NAME).map((bytes) => bytes.toString("latin1")),
    ipAddresses: of(IP_ADDRESS),
    uris: of(URI).map((bytes) => bytes.toString("latin1")),
  };
}
