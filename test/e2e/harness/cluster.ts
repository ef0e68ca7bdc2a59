import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CLUSTER_ADMINS_GROUP } from "../../../components/catalog/kubernetes";
import { etcdCa, etcdHealthcheckClient } from "../../../components/catalog/etcd";
import { MANIFESTS_DIR, NODES_DIR, OPERATOR_DIR } from "../../../offline/tree";
import { KubernetesPkiArgs } from "../../../components";
import { deliver } from "./delivery";
import { apiServerArgs, controllerManagerArgs, etcdArgs, etcdClientUrl, NodeFiles, schedulerArgs } from "./flags";
import { httpsRequest } from "./https";
import { readKubeconfig } from "./kubeconfigFile";
import { CommandResult, runCommand } from "./run";
import { PkiSource, TreeChange } from "./pkiSource";
import { ProcessSpec, Supervisor, tailFile, tlsErrors } from "./processes";
import { PORTS, Topology, TopologyNode } from "./topology";
import { waitFor } from "./wait";
import { CatalogRow } from "../../../components/catalog";
import { rowPath } from "../../../components/placement";

/** The processes of a control-plane node, in start order. */
export const COMPONENTS = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"] as const;
export type Component = (typeof COMPONENTS)[number];

/** The components that use their own node's API server (controller-manager.conf, scheduler.conf). */
export const LOCAL_CLIENTS = ["kube-controller-manager", "kube-scheduler"] as const;

/** A node of the running cluster: its address and its rendered files (`<tree>/nodes/<name>/...`). */
export class E2eNode implements NodeFiles {
  constructor(readonly node: TopologyNode, readonly root: string) {}

  get name(): string {
    return this.node.name;
  }

  get address(): string {
    return this.node.address;
  }

  /** The rendered file for an absolute path on the node. */
  file(nodePath: string): string {
    return join(this.root, nodePath);
  }

  /** The certificate file of a catalog row, on this node. */
  crt(row: CatalogRow): string {
    return this.file(rowPath(row, "certificate"));
  }

  /** The private key file of a catalog row, on this node. */
  key(row: CatalogRow): string {
    return this.file(rowPath(row, "private-key"));
  }
}

/** A control plane running on loopback from a rendered tree, with the helpers scenarios use. */
export class Cluster {
  readonly supervisor = new Supervisor();
  readonly controlPlane: readonly E2eNode[];
  readonly workers: readonly E2eNode[];
  /** The operator's kubeconfigs (`<tree>/admin/`). */
  readonly adminConf: string;
  readonly superAdminConf: string;
  readonly treeDir: string;
  readonly logsDir: string;
  /** The stack the tree came from, for updates made the same way (set by the boot). */
  pki?: PkiSource;
  private lastUpdate: Promise<unknown> = Promise.resolve();
  private readonly etcdToken = `e2e-${process.pid}-${Date.now()}`;

  constructor(readonly topology: Topology, readonly bin: string, readonly workDir: string, readonly readyTimeoutMs: number) {
    this.treeDir = join(workDir, "tree");
    this.logsDir = join(workDir, "logs");
    mkdirSync(this.logsDir, { recursive: true });
    const nodeDir = (n: TopologyNode): E2eNode => new E2eNode(n, join(this.treeDir, NODES_DIR, n.name));
    this.controlPlane = topology.controlPlane.map(nodeDir);
    this.workers = topology.workers.map(nodeDir);
    this.adminConf = join(this.treeDir, OPERATOR_DIR, "admin.conf");
    this.superAdminConf = join(this.treeDir, OPERATOR_DIR, "super-admin.conf");
  }

  /** Every node, control plane first. */
  get nodes(): readonly E2eNode[] {
    return [...this.controlPlane, ...this.workers];
  }

  node(name: string): E2eNode {
    const found = this.nodes.find((n) => n.name === name);
    if (found === undefined) throw new Error(`no node ${name}; nodes: ${this.nodes.map((n) => n.name).join(", ")}`);
    return found;
  }

  /** `https://<address>:<bindPort>`: one node's API server. */
  apiServerUrl(node: E2eNode): string {
    return `https://${node.address}:${this.topology.plan.bindPort}`;
  }

  /** A new empty directory for a scenario's own files, inside the work dir. */
  scratch(name: string): string {
    mkdirSync(join(this.workDir, "scratch"), { recursive: true });
    return mkdtempSync(join(this.workDir, "scratch", `${name}-`));
  }

  // --- processes -------------------------------------------------------------------------

  private spec(node: E2eNode, component: Component): ProcessSpec {
    const members = this.topology.controlPlane;
    const plan = this.topology.plan;
    const args = {
      etcd: () => etcdArgs(node, members, join(this.workDir, "etcd", node.name), this.etcdToken),
      "kube-apiserver": () => apiServerArgs(node, plan, members),
      "kube-controller-manager": () => controllerManagerArgs(node, plan),
      "kube-scheduler": () => schedulerArgs(node),
    }[component]();
    return { id: `${node.name}/${component}`, command: join(this.bin, component), args, logFile: this.logFile(node, component) };
  }

  logFile(node: E2eNode, component: Component): string {
    return join(this.logsDir, `${node.name}.${component}.log`);
  }

  /** Starts one component on one control-plane node without waiting for it. */
  launch(nodeName: string, component: Component): void {
    this.supervisor.start(this.spec(this.node(nodeName), component));
  }

  /** Starts one component on one control-plane node and waits until it is ready. */
  async start(nodeName: string, component: Component): Promise<void> {
    this.launch(nodeName, component);
    await this.waitReady(nodeName, component);
  }

  /** Stops one component (SIGTERM to its process group, SIGKILL after 15 s). */
  async stop(nodeName: string, component: Component): Promise<void> {
    await this.supervisor.stop(`${this.node(nodeName).name}/${component}`);
  }

  async restart(nodeName: string, component: Component): Promise<void> {
    await this.stop(nodeName, component);
    await this.start(nodeName, component);
  }

  /**
   * Restarts one node's API server as the kubelet restarts a static pod, with the components that
   * talk to it: the controller-manager and scheduler use their node's own API server, and a leader
   * exits when it loses its lease, so they stop before it and start again (with the node's current
   * files) once it is ready.
   */
  async restartApiServer(nodeName: string): Promise<void> {
    for (const component of LOCAL_CLIENTS) await this.stop(nodeName, component);
    await this.restart(nodeName, "kube-apiserver");
    for (const component of LOCAL_CLIENTS) await this.start(nodeName, component);
  }

  isRunning(nodeName: string, component: Component): boolean {
    return this.supervisor.get(`${nodeName}/${component}`)?.running ?? false;
  }

  /** Waits until a component answers its health endpoint; fails at once if its process exits. */
  async waitReady(nodeName: string, component: Component, timeoutMs = this.readyTimeoutMs): Promise<void> {
    const node = this.node(nodeName);
    const id = `${node.name}/${component}`;
    const probe = {
      etcd: () => this.etcdHealthy(node),
      "kube-apiserver": () => this.apiGet(node, "/readyz").then((r) => (r.status === 200 ? true : fail(`/readyz ${r.status}: ${r.body.trim()}`))),
      "kube-controller-manager": () => healthz(node.address, PORTS.controllerManager),
      "kube-scheduler": () => healthz(node.address, PORTS.scheduler),
    }[component];
    await waitFor(`${id} ready`, timeoutMs, probe, {
      abort: () => {
        const managed = this.supervisor.get(id);
        if (managed?.running !== false) return undefined;
        const tls = tlsErrors(managed.spec.logFile);
        return `${managed.describe()}${tls.length > 0 ? `; TLS errors in its log: ${tls.join(" | ")}` : ""}\n` +
          `last lines of ${managed.spec.logFile}:\n${tailFile(managed.spec.logFile, 8)}`;
      },
    });
  }

  /** etcd's `/health` on one member, as kubeadm's health-check client of that node. */
  private async etcdHealthy(node: E2eNode): Promise<true> {
    const r = await httpsRequest(`${etcdClientUrl(node.node)}/health`, {
      ca: readText(node.crt(etcdCa)),
      cert: readText(node.crt(etcdHealthcheckClient)),
      key: readText(node.key(etcdHealthcheckClient)),
    });
    return r.status === 200 && /"health":\s*"true"/.test(r.body) ? true : fail(`/health ${r.status}: ${r.body.trim()}`);
  }

  /** GET on one API server as the operator's super-admin (system:masters), without kubectl; the file is read each time, as a rotation replaces it. */
  async apiGet(node: E2eNode, path: string): Promise<{ status: number; body: string }> {
    return httpsRequest(`${this.apiServerUrl(node)}${path}`, readKubeconfig(this.superAdminConf));
  }

  // --- updates of the PKI ----------------------------------------------------------------

  /**
   * The next update of the stack with `cluster` as its whole `kubernetes-pki:cluster` object, made
   * the way the tree was (`pulumi up`, or an offline render continuing from the last). Updates run
   * one after the other in the order asked; nothing reaches the nodes until {@link deliver}.
   */
  updatePki(cluster: KubernetesPkiArgs): Promise<TreeChange> {
    if (this.pki === undefined) return Promise.reject(new Error("the cluster was not booted from a PKI source"));
    const pki = this.pki;
    const update = this.lastUpdate.catch(() => undefined).then(() => pki.update(cluster));
    this.lastUpdate = update;
    return update;
  }

  /** Writes an update's changed files into the tree (every node's directory and the operator's); restarts nothing. */
  deliver(change: TreeChange): void {
    deliver(this.treeDir, change);
  }

  // --- bootstrap objects -----------------------------------------------------------------

  /** The rendered `manifests/` directory: every bootstrap object, one YAML file each. */
  get manifestsDir(): string {
    return join(this.treeDir, MANIFESTS_DIR);
  }

  /** The rendered manifest of one bootstrap object, by its table key (e.g. `crb-kubeadm-cluster-admins`). */
  manifest(key: string): string {
    const found = readdirSync(this.manifestsDir).filter((name) => name.replace(/^\d+-/, "") === `${key}.yaml`);
    if (found.length !== 1) throw new Error(`no single rendered manifest for ${key} in ${this.manifestsDir}`);
    return join(this.manifestsDir, found[0]);
  }

  /** `kubectl apply -f` of rendered manifests (a file or the whole directory) as super-admin.conf. */
  async applyManifests(path: string = this.manifestsDir): Promise<string> {
    return this.kubectlOk(this.superAdminConf, "apply", "-f", path);
  }

  // --- kubectl ---------------------------------------------------------------------------

  /** Runs kubectl with a kubeconfig (its own server unless `--server` is among `args`). Never throws on exit codes. */
  kubectl(kubeconfig: string, ...args: string[]): Promise<CommandResult> {
    return this.kubectlInput(kubeconfig, "", ...args);
  }

  /** kubectl with `input` on stdin (e.g. `create -f -`). */
  kubectlInput(kubeconfig: string, input: string, ...args: string[]): Promise<CommandResult> {
    return runCommand(join(this.bin, "kubectl"), [`--kubeconfig=${kubeconfig}`, `--cache-dir=${join(this.workDir, "kube-cache")}`, ...args], input);
  }

  /** etcdctl with explicit TLS files against the given client URLs (default: every member). */
  etcdctl(tls: { cacert: string; cert: string; key: string }, endpoints: readonly string[] | undefined, ...args: string[]): Promise<CommandResult> {
    const urls = endpoints ?? this.topology.controlPlane.map(etcdClientUrl);
    return runCommand(join(this.bin, "etcdctl"), [
      `--endpoints=${urls.join(",")}`, `--cacert=${tls.cacert}`, `--cert=${tls.cert}`, `--key=${tls.key}`,
      "--dial-timeout=5s", "--command-timeout=15s", ...args,
    ]);
  }

  /** kubectl that must succeed; returns stdout. */
  async kubectlOk(kubeconfig: string, ...args: string[]): Promise<string> {
    const r = await this.kubectl(kubeconfig, ...args);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} (${kubeconfig}) exited ${r.code}: ${r.stderr.trim()}`);
    return r.stdout;
  }

  /** kubectl `-o json` that must succeed; returns the parsed object. */
  async kubectlJson<T>(kubeconfig: string, ...args: string[]): Promise<T> {
    return JSON.parse(await this.kubectlOk(kubeconfig, ...args, "-o", "json")) as T;
  }

  /** Creates (`create -f -`) an object from JSON as the kubeconfig's identity; returns the result. */
  create(kubeconfig: string, object: object, ...args: string[]): Promise<CommandResult> {
    return this.kubectlInput(kubeconfig, JSON.stringify(object), "create", "-f", "-", "-o", "json", ...args);
  }

  /**
   * What `kubeadm init` does after the control plane is up (EnsureAdminClusterRoleBindingImpl):
   * ClusterRoleBinding `kubeadm:cluster-admins` → `cluster-admin`, applied from the rendered
   * manifest with super-admin.conf. Idempotent; waits until every API server's RBAC cache lets admin.conf in.
   */
  async ensureClusterAdmins(): Promise<void> {
    await this.applyManifests(this.manifest(`crb-${CLUSTER_ADMINS_GROUP.replace(/:/g, "-")}`));
    await this.waitAdminAllowed(true);
  }

  /** Waits until `admin.conf` may (or may not) do everything, on every API server. */
  async waitAdminAllowed(allowed: boolean): Promise<void> {
    for (const node of this.controlPlane) {
      await waitFor(`admin.conf ${allowed ? "allowed" : "denied"} on ${node.name}`, 60_000, async () => {
        const r = await this.kubectl(this.adminConf, `--server=${this.apiServerUrl(node)}`, "auth", "can-i", "*", "*");
        return (r.code === 0) === allowed ? true : fail(`auth can-i: ${r.stdout.trim()} ${r.stderr.trim()}`);
      }, { intervalMs: 500 });
    }
  }

  // --- diagnostics and shutdown ----------------------------------------------------------

  /**
   * Every process's state and log path; the last lines of the logs of processes that died, and the
   * last klog error lines (`E...`) of each API server.
   */
  diagnostics(lines = 10): string {
    const out = [`e2e work dir: ${this.workDir} (logs: ${this.logsDir})`];
    const all = this.supervisor.all();
    for (const p of all) out.push(`  ${p.spec.id}: ${p.describe()}${p.stopping ? " (stopped by the suite)" : ""}  ${p.spec.logFile}`);
    for (const p of all.filter((m) => !m.running && !m.stopping)) {
      out.push(`----- ${p.spec.id} DIED; TLS errors in its log: ${tlsErrors(p.spec.logFile).join(" | ") || "none"}`);
      out.push(`last ${lines} lines of ${p.spec.logFile}:`, tailFile(p.spec.logFile, lines));
    }
    for (const p of all.filter((m) => m.spec.id.endsWith("/kube-apiserver"))) {
      out.push(`----- ${p.spec.id}: last ${Math.ceil(lines / 2)} error lines of ${p.spec.logFile}`, tailFile(p.spec.logFile, Math.ceil(lines / 2), /^E\d{4} /));
    }
    return out.join("\n");
  }

  /** Stops every process (most recent first) and releases the exit handlers. */
  async shutdown(): Promise<void> {
    await this.supervisor.stopAll();
    this.supervisor.dispose();
    this.pki?.dispose();
  }
}

/** A probe's "not yet", with the reason a timeout reports. */
function fail(reason: string): never {
  throw new Error(reason);
}

/** A controller-manager or scheduler `/healthz` (always-allowed path; self-signed serving certificate). */
async function healthz(address: string, port: number): Promise<true> {
  const r = await httpsRequest(`https://${address}:${port}/healthz`, { rejectUnauthorized: false });
  return r.status === 200 ? true : fail(`/healthz ${r.status}: ${r.body.trim()}`);
}

/** A rendered file's text. */
export function readText(path: string): string {
  return readFileSync(path, "utf8");
}
