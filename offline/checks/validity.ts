import { formatExpiry, humanDuration } from "../../components/expiryFormat";
import { Check, Problem } from "./inspectedTree";

const HOUR = 3_600_000;

/** Validity: nothing expired, nothing not yet valid, nothing expiring within `--warn-within` of now. */
export const checkValidity: Check = (tree, options) => {
  const problems: Problem[] = [];
  const now = options.now.getTime();
  for (const node of tree.nodes) {
    for (const entry of node.certificates) {
      const notBefore = new Date(entry.certificate.validFrom);
      const notAfter = new Date(entry.certificate.validTo);
      let message: string | undefined;
      if (notBefore.getTime() > now) {
        message = `${entry.name} is not valid yet: valid from ${formatExpiry(notBefore)}, in ${humanDuration(notBefore.getTime() - now)}`;
      } else if (notAfter.getTime() <= now) {
        message = `${entry.name} expired on ${formatExpiry(notAfter)}, ${humanDuration(now - notAfter.getTime())} ago`;
      } else if (notAfter.getTime() - now <= options.warnWithinHours * HOUR) {
        message = `${entry.name} expires on ${formatExpiry(notAfter)}, in ${humanDuration(notAfter.getTime() - now)}: within the ${options.warnWithinHours}h warning window`;
      }
      if (message !== undefined) {
        problems.push({ node: node.name, file: node.files.get(entry.path)?.label ?? entry.path, check: "validity", message });
      }
    }
  }
  return problems;
};
