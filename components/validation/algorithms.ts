import { ENCRYPTION_ALGORITHMS, isEncryptionAlgorithm } from "../algorithms";
import { TRUST_DOMAINS } from "../trustDomains";
import { objectAt, quote } from "./fields";
import { Section } from "./section";

/** `encryptionAlgorithm` and its per trust domain overrides `trustDomainAlgorithms`. */
export const algorithmsSection: Section = {
  fields: ["encryptionAlgorithm", "trustDomainAlgorithms"],
  problems: (args) => {
    const problems: string[] = [];
    const supported = `use one of ${ENCRYPTION_ALGORITHMS.join(", ")}`;
    if (args.encryptionAlgorithm !== undefined && !isEncryptionAlgorithm(args.encryptionAlgorithm)) {
      problems.push(`encryptionAlgorithm: ${quote(args.encryptionAlgorithm)} is not supported; ${supported}`);
    }
    const overrides = objectAt("trustDomainAlgorithms", args.trustDomainAlgorithms, TRUST_DOMAINS, problems) ?? {};
    for (const domain of TRUST_DOMAINS) {
      const value = overrides[domain];
      if (value !== undefined && !isEncryptionAlgorithm(value)) {
        problems.push(`trustDomainAlgorithms.${domain}: ${quote(value)} is not supported; ${supported}`);
      }
    }
    return problems;
  },
};
