import { objectAt, quote } from "./fields";
import { sansProblems } from "./sans";
import { Section } from "./section";

const API_SERVER_FIELDS = ["certSANs", "bindPort"];

/** `apiServer.certSANs` and `apiServer.bindPort`. */
export const apiServerSection: Section = {
  fields: ["apiServer"],
  problems: (args) => {
    const problems: string[] = [];
    const apiServer = objectAt("apiServer", args.apiServer, API_SERVER_FIELDS, problems);
    if (apiServer === undefined) return problems;
    const port = apiServer.bindPort;
    if (port !== undefined && !(typeof port === "number" && Number.isInteger(port) && port >= 1 && port <= 65535)) {
      problems.push(`apiServer.bindPort: ${quote(port)} is not a port; use an integer from 1 to 65535`);
    }
    problems.push(...sansProblems("apiServer.certSANs", apiServer.certSANs));
    return problems;
  },
};
