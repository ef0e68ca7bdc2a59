import { IncomingMessage, ServerResponse } from "node:http";
import { createServer, Server } from "node:https";
import { ClientCertificate, clientCertificateOf } from "./clientCertificate";

/** One request the aggregated API server received through the front proxy. */
export interface ProxiedRequest {
  readonly path: string;
  readonly client: ClientCertificate;
  /** The request-header identity (`X-Remote-User`, `X-Remote-Group`), trusted only from an allowed client. */
  readonly user?: string;
  readonly groups: readonly string[];
}

/** Where it listens, what it serves with and whom it trusts (PEM texts). */
export interface FakeAggregatedApiServerOptions {
  readonly address: string;
  readonly port: number;
  readonly cert: string;
  readonly key: string;
  /** `requestheader-client-ca-file` from `kube-system/extension-apiserver-authentication`. */
  readonly requestHeaderCa: string;
  /** `requestheader-allowed-names` from the same ConfigMap. */
  readonly allowedNames: readonly string[];
  readonly usernameHeaders: readonly string[];
  readonly groupHeaders: readonly string[];
  readonly group: string;
  readonly version: string;
}

/**
 * An aggregated API server's request-header authentication, as `k8s.io/apiserver` does it: TLS with
 * client certificates verified against the front-proxy CA, the client's CN among the allowed names,
 * then the user from the request headers. Serves discovery for one group/version and a read-only
 * `whoamis/<name>` resource that echoes the identity it was given.
 */
export class FakeAggregatedApiServer {
  readonly requests: ProxiedRequest[] = [];

  private constructor(private readonly options: FakeAggregatedApiServerOptions, private readonly server: Server) {}

  static async start(options: FakeAggregatedApiServerOptions): Promise<FakeAggregatedApiServer> {
    const server = createServer({ cert: options.cert, key: options.key, ca: options.requestHeaderCa, requestCert: true, rejectUnauthorized: true });
    const api = new FakeAggregatedApiServer(options, server);
    server.on("request", (req: IncomingMessage, res: ServerResponse) => api.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host: options.address, port: options.port, exclusive: true }, resolve);
    });
    return api;
  }

  private header(req: IncomingMessage, names: readonly string[]): string[] {
    return names.flatMap((name) => req.headersDistinct[name.toLowerCase()] ?? []);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? "/", "https://aggregated").pathname;
    const client = clientCertificateOf(req);
    const json = (status: number, body: object): void => {
      res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
    };
    if (!this.options.allowedNames.includes(client.commonName)) {
      this.requests.push({ path, client, groups: [] });
      json(401, { kind: "Status", apiVersion: "v1", status: "Failure", message: `client CN ${client.commonName} is not an allowed front proxy`, code: 401 });
      return;
    }
    const user = this.header(req, this.options.usernameHeaders)[0];
    const groups = this.header(req, this.options.groupHeaders);
    this.requests.push({ path, client, user, groups });
    const { group, version } = this.options;
    const groupVersion = `${group}/${version}`;
    const versionEntry = { groupVersion, version };
    if (path === "/apis") {
      json(200, { kind: "APIGroupList", apiVersion: "v1", groups: [{ name: group, versions: [versionEntry], preferredVersion: versionEntry }] });
    } else if (path === `/apis/${group}`) {
      json(200, { kind: "APIGroup", apiVersion: "v1", name: group, versions: [versionEntry], preferredVersion: versionEntry });
    } else if (path === `/apis/${groupVersion}`) {
      json(200, { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources: [{ name: "whoamis", singularName: "whoami", namespaced: false, kind: "WhoAmI", verbs: ["get"] }] });
    } else if (path.startsWith(`/apis/${groupVersion}/whoamis/`)) {
      const name = path.slice(`/apis/${groupVersion}/whoamis/`.length);
      json(200, { kind: "WhoAmI", apiVersion: groupVersion, metadata: { name }, user, groups, proxiedBy: client.commonName });
    } else {
      json(404, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 });
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
