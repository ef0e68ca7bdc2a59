import {
  cidrAddress,
  cidrSize,
  isDns1123Subdomain,
  isDnsSan,
  isIpAddress,
  parseCidr,
  parseHostPort,
} from "./addresses";
import { DEFAULT_ENCRYPTION_ALGORITHM, ENCRYPTION_ALGORITHMS, isEncryptionAlgorithm } from "./algorithms";
import { ENCRYPTION_CONFIG_PATH } from "./bootstrap/encryption";
import { validateBootstrap } from "./bootstrap/validateBootstrap";
import { CATALOG } from "./catalog";
import { CloudInitOptions } from "./cloudInit";
import { parseGoDurationHours } from "./duration";
import { NodeBundleOptions } from "./nodeBundle";
import { placements } from "./placement";
import { ClusterPlan, NodeContext, NodeRole } from "./plan";
import { bundleFloor, userDataFloor } from "./sizeFloor";
import { bundleProblems, cloudInitProblems } from "./validateDelivery";
import { validateRotation } from "./validateRotation";
import { EncryptionAlgorithm, KubernetesPkiArgs, TrustDomain } from "./types";

const TRUST_DOMAINS: readonly TrustDomain[] = ["kubernetes", "etcd", "front-proxy", "service-account"];

/** Fewest addresses a service CIDR may have: kubeadm puts cluster DNS at index 10. */
const MIN_SERVICE_SUBNET_SIZE = 16n;

/** kubeadm's defaults (v1beta4). */
const DEFAULTS = {
  clusterName: "kubernetes",
  serviceSubnet: "10.96.0.0/12",
  dnsDomain: "cluster.local",
  bindPort: 6443,
  certificateValidityPeriod: "8760h",
  caCertificateValidityPeriod: "87600h",
  certificateRenewBefore: "720h",
  caCertificateRenewBefore: "8760h",
};

/** Thrown when {@link KubernetesPkiArgs} are invalid; lists every problem, one per line. */
export class KubernetesPkiInputError extends Error {
  /** One message per problem, each naming the field, the value and what is allowed. */
  public readonly problems: readonly string[];

  constructor(component: string, problems: readonly string[]) {
    super(
      `KubernetesPki "${component}" has ${problems.length} invalid input(s):\n` +
        problems.map((problem) => `  - ${problem}`).join("\n"),
    );
    this.name = "KubernetesPkiInputError";
    this.problems = problems;
  }
}

/**
 * Checks every input and returns the defaulted plan, or throws one {@link KubernetesPkiInputError}
 * listing every problem. Nothing is created before this returns.
 */
export function validate(component: string, args: KubernetesPkiArgs): ClusterPlan {
  const problems: string[] = [];
  const check = (ok: boolean, message: string): void => {
    if (!ok) problems.push(message);
  };
  const quote = (value: unknown): string => JSON.stringify(value);

  const clusterName = args.clusterName ?? DEFAULTS.clusterName;
  check(isDns1123Subdomain(clusterName), `clusterName: ${quote(clusterName)} is not a DNS-1123 subdomain (lower-case a-z, 0-9, "-" and ".")`);

  const bindPort = args.apiServer?.bindPort ?? DEFAULTS.bindPort;
  check(isPort(bindPort), `apiServer.bindPort: ${quote(bindPort)} is not a port; use an integer from 1 to 65535`);

  const dnsDomain = args.networking?.dnsDomain ?? DEFAULTS.dnsDomain;
  check(isDns1123Subdomain(dnsDomain), `networking.dnsDomain: ${quote(dnsDomain)} is not a DNS-1123 subdomain, e.g. "cluster.local"`);

  const serviceSubnet = args.networking?.serviceSubnet ?? DEFAULTS.serviceSubnet;
  const serviceSubnets = serviceSubnet.split(",").map((cidr) => cidr.trim());
  const cidrs = serviceSubnets.map(parseCidr);
  serviceSubnets.forEach((text, i) => {
    const cidr = cidrs[i];
    if (cidr === undefined) {
      problems.push(`networking.serviceSubnet: ${quote(text)} is not a CIDR, e.g. "10.96.0.0/12" or "fd00:10:96::/112"`);
    } else if (cidrSize(cidr) < MIN_SERVICE_SUBNET_SIZE) {
      problems.push(
        `networking.serviceSubnet: ${quote(text)} is too small; it needs at least ${MIN_SERVICE_SUBNET_SIZE} addresses ` +
          `(IPv4 prefix /28 or shorter, IPv6 /124 or shorter)`,
      );
    }
  });
  if (serviceSubnets.length > 2 || (cidrs.length === 2 && cidrs[0] && cidrs[1] && cidrs[0].family === cidrs[1].family)) {
    problems.push(`networking.serviceSubnet: ${quote(serviceSubnet)} must be one CIDR, or two of different IP families for dual-stack`);
  }

  if (!Array.isArray(args.controlPlane) || args.controlPlane.length === 0) {
    problems.push(`controlPlane: ${quote(args.controlPlane ?? null)} must list at least one node ({ name, address })`);
  }
  const controlPlane = Array.isArray(args.controlPlane) ? args.controlPlane : [];
  const members = args.etcd?.members ?? [];
  const workers = args.workers ?? [];
  const seen = new Map<string, string>();
  const checkNode = (field: string, name: unknown, address: unknown, addressRequired: boolean): void => {
    const label = `${field} (${quote(name)})`;
    if (typeof name !== "string" || !isDns1123Subdomain(name)) {
      problems.push(`${label}.name: ${quote(name)} is not a DNS-1123 subdomain (lower-case a-z, 0-9, "-" and ".", at most 253 characters)`);
    } else if (seen.has(name)) {
      problems.push(`${label}.name: ${quote(name)} is already used by ${seen.get(name)}; node names must be unique across controlPlane, etcd.members and workers`);
    } else {
      seen.set(name, field);
    }
    if (address === undefined && !addressRequired) return;
    if (typeof address !== "string" || !isIpAddress(address)) {
      problems.push(`${label}.address: ${quote(address ?? null)} is not an IPv4 or IPv6 address`);
    }
  };
  controlPlane.forEach((node, i) => {
    checkNode(`controlPlane[${i}]`, node.name, node.address, true);
    checkSans(`controlPlane[${i}] (${quote(node.name)}).certSANs`, node.certSANs, problems);
  });
  members.forEach((member, i) => checkNode(`etcd.members[${i}]`, member.name, member.address, true));
  workers.forEach((worker, i) => checkNode(`workers[${i}]`, worker.name, worker.address, false));

  checkSans("apiServer.certSANs", args.apiServer?.certSANs, problems);
  checkSans("etcd.serverCertSANs", args.etcd?.serverCertSANs, problems);
  checkSans("etcd.peerCertSANs", args.etcd?.peerCertSANs, problems);

  let endpointHost = controlPlane[0]?.address ?? "";
  let endpointPort = bindPort;
  if (args.controlPlaneEndpoint !== undefined) {
    const parsed = parseHostPort(args.controlPlaneEndpoint);
    if (parsed === undefined) {
      problems.push(
        `controlPlaneEndpoint: ${quote(args.controlPlaneEndpoint)} is not host[:port] with a DNS name or IP host ` +
          `and a port from 1 to 65535, e.g. "api.example.com:6443" or "[fd00::10]:6443"`,
      );
    } else {
      endpointHost = parsed.host;
      endpointPort = parsed.port ?? bindPort;
    }
  }

  const algorithm = args.encryptionAlgorithm ?? DEFAULT_ENCRYPTION_ALGORITHM;
  check(isEncryptionAlgorithm(algorithm), `encryptionAlgorithm: ${quote(algorithm)} is not supported; use one of ${ENCRYPTION_ALGORITHMS.join(", ")}`);
  const algorithms = {} as Record<TrustDomain, EncryptionAlgorithm>;
  for (const domain of TRUST_DOMAINS) algorithms[domain] = algorithm;
  for (const [domain, value] of Object.entries(args.trustDomainAlgorithms ?? {})) {
    if (!(TRUST_DOMAINS as readonly string[]).includes(domain)) {
      problems.push(`trustDomainAlgorithms: ${quote(domain)} is not a trust domain; use one of ${TRUST_DOMAINS.join(", ")}`);
    } else if (!isEncryptionAlgorithm(value)) {
      problems.push(`trustDomainAlgorithms.${domain}: ${quote(value)} is not supported; use one of ${ENCRYPTION_ALGORITHMS.join(", ")}`);
    } else {
      algorithms[domain as TrustDomain] = value;
    }
  }

  const hours = (field: keyof typeof DEFAULTS & keyof KubernetesPkiArgs, allowZero: boolean): number => {
    const text = args[field] ?? DEFAULTS[field];
    const value = typeof text === "string" ? parseGoDurationHours(text) : undefined;
    if (value === undefined || !Number.isInteger(value) || (!allowZero && value === 0)) {
      problems.push(`${field}: ${quote(text)} is not a Go duration in whole hours${allowZero ? "" : " above zero"}, e.g. "${DEFAULTS[field]}"`);
      return NaN;
    }
    return value;
  };
  const leafValidityHours = hours("certificateValidityPeriod", false);
  const caValidityHours = hours("caCertificateValidityPeriod", false);
  const leafRenewBeforeHours = hours("certificateRenewBefore", true);
  const caRenewBeforeHours = hours("caCertificateRenewBefore", true);
  check(
    !(leafValidityHours > caValidityHours),
    `certificateValidityPeriod: ${quote(args.certificateValidityPeriod)} (${leafValidityHours}h) is longer than ` +
      `caCertificateValidityPeriod (${caValidityHours}h); a leaf must not outlive its CA`,
  );
  check(
    !(leafRenewBeforeHours >= leafValidityHours),
    `certificateRenewBefore: ${quote(args.certificateRenewBefore ?? DEFAULTS.certificateRenewBefore)} must be shorter than ` +
      `certificateValidityPeriod (${leafValidityHours}h), or every update would re-issue the certificates`,
  );
  check(
    !(caRenewBeforeHours >= caValidityHours),
    `caCertificateRenewBefore: ${quote(args.caCertificateRenewBefore ?? DEFAULTS.caCertificateRenewBefore)} must be shorter than ` +
      `caCertificateValidityPeriod (${caValidityHours}h), or every update would re-issue the CAs`,
  );

  if (problems.length > 0) throw new KubernetesPkiInputError(component, problems);

  const stackedEtcd = members.length === 0;
  const roles = (...list: NodeRole[]): ReadonlySet<NodeRole> => new Set(list);
  const nodes: NodeContext[] = [
    ...controlPlane.map((node) => ({
      name: node.name,
      address: node.address,
      roles: stackedEtcd ? roles("control-plane", "kubelet", "etcd") : roles("control-plane", "kubelet"),
      certSANs: node.certSANs ?? [],
    })),
    ...members.map((member) => ({ name: member.name, address: member.address, roles: roles("etcd"), certSANs: [] })),
    ...workers.map((worker) => ({ name: worker.name, address: worker.address, roles: roles("kubelet"), certSANs: [] })),
  ];
  const bootstrap = validateBootstrap(args.bootstrap, args.encryptionAtRest);
  problems.push(...bootstrap.problems);
  const rotation = validateRotation(args.rotation, args.trustDomainCertificateRenewBefore, {
    nodeNames: nodes.map((node) => node.name),
    certificateIds: CATALOG.filter((row) => row.kind === "leaf" || row.kind === "kubeconfig").map((row) => row.id),
    trustDomains: TRUST_DOMAINS,
    renewBeforeHours: leafRenewBeforeHours,
    validityHours: leafValidityHours,
  });
  problems.push(...rotation.problems);
  const nodePaths = [
    ...nodes.flatMap((node) => placements(CATALOG, node).map((p) => p.path)),
    ...(bootstrap.plan.encryption === undefined ? [] : [ENCRYPTION_CONFIG_PATH]),
  ];
  problems.push(...cloudInitProblems("userData", args.userData, nodePaths), ...bundleProblems("bundles", args.bundles));
  if (problems.length > 0) throw new KubernetesPkiInputError(component, problems);

  const plan: ClusterPlan = {
    clusterName,
    endpointHost,
    endpointPort,
    bindPort,
    apiServerServiceIp: cidrAddress(cidrs[0]!, 1),
    serviceSubnets,
    dnsDomain,
    apiServerCertSans: args.apiServer?.certSANs ?? [],
    etcdServerCertSans: args.etcd?.serverCertSANs ?? [],
    etcdPeerCertSans: args.etcd?.peerCertSANs ?? [],
    nodes,
    algorithms,
    leafValidityHours,
    caValidityHours,
    leafRenewBeforeHours,
    caRenewBeforeHours,
    bootstrap: bootstrap.plan,
    rotation: rotation.plan,
  };
  problems.push(...sizeLimitProblems(plan, args.userData, args.bundles));
  if (problems.length > 0) throw new KubernetesPkiInputError(component, problems);
  return plan;
}

/** Nodes whose files cannot fit the size limits whatever the keys turn out to be (see sizeFloor.ts). */
function sizeLimitProblems(plan: ClusterPlan, userData: CloudInitOptions | undefined, bundles: NodeBundleOptions | undefined): string[] {
  const problems: string[] = [];
  const keys = [...new Set(Object.values(plan.algorithms))].join("/");
  for (const node of plan.nodes) {
    const files = placements(CATALOG, node);
    const compression = userData?.compression ?? "none";
    const userDataBytes = userDataFloor(files, plan, compression);
    if (userData?.maxBytes !== undefined && userDataBytes > userData.maxBytes) {
      problems.push(
        `userData.maxBytes: ${userData.maxBytes} cannot hold node ${JSON.stringify(node.name)}, whose user-data takes at least ` +
          `${userDataBytes} bytes with ${keys} keys and compression "${compression}"; compress it, use ECDSA keys, ` +
          `or deliver the files with nodeBundle() and a secret store`,
      );
    }
    const encoding = bundles?.encoding ?? "json";
    const bundleBytes = bundleFloor(files, plan, encoding);
    if (bundles?.maxBytes !== undefined && bundleBytes > bundles.maxBytes) {
      problems.push(
        `bundles.maxBytes: ${bundles.maxBytes} cannot hold node ${JSON.stringify(node.name)}, whose bundle takes at least ` +
          `${bundleBytes} bytes with ${keys} keys and encoding "${encoding}"; use encoding "gzip" or ECDSA keys`,
      );
    }
  }
  return problems;
}

function isPort(value: unknown): boolean {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535;
}

function checkSans(field: string, sans: readonly string[] | undefined, problems: string[]): void {
  (sans ?? []).forEach((san, i) => {
    if (typeof san !== "string" || !(isIpAddress(san) || isDnsSan(san))) {
      problems.push(`${field}[${i}]: ${JSON.stringify(san)} is neither an IP address nor a DNS name (DNS-1123 subdomain or *.wildcard)`);
    }
  });
}
