#!/usr/bin/env node
/**
 * `npm run check -- <dir>`: inspects a rendered tree (or, with `--node-root`, a real node's files) the
 * way `kubeadm certs check-expiration` and kubeadm's reuse checks would, and stricter. It prints the
 * expiry table (with a NODE column and kubeadm's EXTERNALLY MANAGED: "yes" when the issuing CA's key
 * is not on that node) and one line per problem, `<node>: <file>: <what is wrong>`. The checks, one
 * file each under `offline/checks/`:
 * - completeness: a node holding any file of a role (control-plane, etcd, kubelet) holds them all;
 * - chain: CA copies agree across nodes; CAs have CA:TRUE, keyCertSign and an SKID; every leaf and
 *   kubeconfig client certificate verifies with its row's CA key, names it as issuer, and its AKID
 *   is the CA's SKID (any CA of a rotation's bundle may be the issuer);
 * - bundle: every bundle a consumer holds (CA files, kubeconfigs' CA data) holds the CA of every leaf
 *   in use; `ca-signing.crt` (kube-controller-manager's signing CA while `ca.crt` is a bundle) is one
 *   certificate, the one of `ca.key`, and in `ca.crt`;
 * - key-pair: keys are RSA/ECDSA and match their certificate (one of a bundle's), one of `sa.pub`'s keys,
 *   or the kubeconfig's client cert;
 * - identity: CN/O, extended key usages, key usages and CA:FALSE as the catalog row says;
 * - sans: kubeadm's required SANs, recomputed from the tree (see `checks/sans.ts`);
 * - kubeconfig: current context, cluster, user and server exist; certificate-authority-data is the
 *   node's `ca.crt`;
 * - mode: keys and kubeconfigs 0600 or stricter, certificates and public keys 0644 or stricter;
 * - validity: nothing expired, not yet valid, or expiring within `--warn-within` (default: the renewal window, 720h).
 * The summary names the staged rotations in progress and the phase inferred (`checks/rotationState.ts`).
 * Nothing secret is printed: problems name files and certificate fields, never key material.
 */
import "./compileCache"; // first: the modules below load through it
import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { DEFAULTS } from "../components/defaults";
import { parseGoDurationHours } from "../components/duration";
import { CheckOptions } from "./checks/inspectedTree";
import { messageOf, readNodeRoot, readRenderedTree, ReadResult, TreeError } from "./checks/readTree";
import { checkReport, formatCheckReport } from "./checks/report";
import { runChecks, sortProblems } from "./checks/runChecks";

const USAGE = `usage: npm run check -- <dir> [options]            a rendered tree (nodes/<node>/..., admin/)
       npm run check -- --node-root / [options]   a real node's own files (/etc/kubernetes/...)
options:
  --node-name <name>        the node's name with --node-root (default: this host's name)
  --warn-within <duration>  report certificates expiring within this Go duration (default ${DEFAULTS.certificateRenewBefore})
  --dns-domain <domain>     cluster DNS domain the apiserver certificates must name (default: inferred)
  --apiserver-san <san>     a SAN every apiserver certificate must carry (repeatable), e.g. 10.96.0.1
  --json                    print a machine-readable report instead of the tables
exit status: 0 no problems, 1 problems found, 2 usage error or the tree could not be checked`;

/** A command line that cannot be run: exit status 2. */
class UsageError extends Error {}

interface Invocation {
  readonly read: () => ReadResult;
  readonly options: CheckOptions;
  readonly json: boolean;
}

function parseCommandLine(argv: string[]): Invocation | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        "node-root": { type: "string" },
        "node-name": { type: "string" },
        "warn-within": { type: "string", default: DEFAULTS.certificateRenewBefore },
        "dns-domain": { type: "string" },
        "apiserver-san": { type: "string", multiple: true, default: [] },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  const nodeRoot = values["node-root"];
  if (positionals.length > 1) throw new UsageError(`one tree at a time; got ${positionals.join(" ")}`);
  if (nodeRoot !== undefined && positionals.length > 0) throw new UsageError("give a rendered tree <dir> or --node-root, not both");
  if (nodeRoot === undefined && positionals.length === 0) throw new UsageError("give a rendered tree <dir> or --node-root <dir>");
  if (nodeRoot === undefined && values["node-name"] !== undefined) throw new UsageError("--node-name goes with --node-root");
  const warnWithin = values["warn-within"]!;
  const warnWithinHours = parseGoDurationHours(warnWithin);
  if (warnWithinHours === undefined) throw new UsageError(`--warn-within: "${warnWithin}" is not a Go duration, e.g. 720h or 24h30m`);
  const nodeName = values["node-name"] ?? hostname();
  return {
    read: nodeRoot === undefined ? () => readRenderedTree(positionals[0]) : () => readNodeRoot(nodeRoot, nodeName),
    options: { now: new Date(), warnWithinHours, dnsDomain: values["dns-domain"], apiServerSans: values["apiserver-san"] ?? [] },
    json: values.json ?? false,
  };
}

/**
 * Checks a rendered tree or a node's files: prints the check-expiration table and every problem
 * (or a JSON report) and exits 1 when there are problems. Prints nothing secret.
 */
function main(argv: string[]): number {
  const invocation = parseCommandLine(argv);
  if (invocation === "help") {
    console.log(USAGE);
    return 0;
  }
  const { tree, problems: readProblems } = invocation.read();
  const problems = sortProblems(tree, [...readProblems, ...runChecks(tree, invocation.options)]);
  const report = checkReport(tree, problems, invocation.options);
  console.log(invocation.json ? JSON.stringify(report, null, 2) : formatCheckReport(report));
  return problems.length > 0 ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || error instanceof TreeError) {
    console.error(`${error.message}\n${USAGE}`);
  } else {
    // The message's first line and the stack frames only: later message lines could quote a file.
    const frames = error instanceof Error ? (error.stack ?? "").split("\n").filter((line) => line.startsWith("    at ")) : [];
    console.error([`check failed: ${messageOf(error)}`, ...frames].join("\n"));
  }
  process.exitCode = 2;
}
