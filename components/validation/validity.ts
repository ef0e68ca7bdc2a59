import { DEFAULTS } from "../defaults";
import { parseGoDurationHours } from "../duration";
import { quote } from "./fields";
import { Section } from "./section";

/**
 * Longest validity: 876000h (100 years). A fixed bound keeps validation free of the clock; it leaves
 * every certificate issued before the year 7899 inside what X.509 can write (GeneralizedTime ends at
 * 9999-12-31, RFC 5280 4.1.2.5), and no PKI rotates less often.
 */
export const MAX_VALIDITY_HOURS = 876_000;

type DurationField = "certificateValidityPeriod" | "caCertificateValidityPeriod" | "certificateRenewBefore" | "caCertificateRenewBefore";

/** The validity periods and renewal windows of leaves and CAs, as Go durations in whole hours. */
export const validitySection: Section = {
  fields: ["certificateValidityPeriod", "caCertificateValidityPeriod", "certificateRenewBefore", "caCertificateRenewBefore"],
  problems: (args) => {
    const problems: string[] = [];
    const hours = (field: DurationField, isValidity: boolean): number => {
      const text = args[field] ?? DEFAULTS[field];
      const value = typeof text === "string" ? parseGoDurationHours(text) : undefined;
      if (isValidity && value !== undefined && value > MAX_VALIDITY_HOURS) {
        problems.push(`${field}: ${quote(text)} is longer than ${MAX_VALIDITY_HOURS}h (100 years), the longest validity allowed`);
        return NaN;
      }
      if (value === undefined || !Number.isInteger(value) || (isValidity && value === 0)) {
        problems.push(`${field}: ${quote(text)} is not a Go duration in whole hours${isValidity ? " above zero" : ""}, e.g. "${DEFAULTS[field]}"`);
        return NaN;
      }
      return value;
    };
    const leafValidity = hours("certificateValidityPeriod", true);
    const caValidity = hours("caCertificateValidityPeriod", true);
    const leafRenewBefore = hours("certificateRenewBefore", false);
    const caRenewBefore = hours("caCertificateRenewBefore", false);
    if (leafValidity > caValidity) {
      problems.push(
        `certificateValidityPeriod: ${quote(args.certificateValidityPeriod)} (${leafValidity}h) is longer than ` +
          `caCertificateValidityPeriod (${caValidity}h); a leaf must not outlive its CA`,
      );
    }
    if (leafRenewBefore >= leafValidity) {
      problems.push(
        `certificateRenewBefore: ${quote(args.certificateRenewBefore ?? DEFAULTS.certificateRenewBefore)} must be shorter than ` +
          `certificateValidityPeriod (${leafValidity}h), or every update would re-issue the certificates`,
      );
    }
    if (caRenewBefore >= caValidity) {
      problems.push(
        `caCertificateRenewBefore: ${quote(args.caCertificateRenewBefore ?? DEFAULTS.caCertificateRenewBefore)} must be shorter than ` +
          `caCertificateValidityPeriod (${caValidity}h), or every update would re-issue the CAs`,
      );
    }
    return problems;
  },
};
