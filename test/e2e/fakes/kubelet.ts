import { createServer, Server } from "node:https";
import { IncomingMessage, ServerResponse } from "node:http";
import { ClientCertificate, clientCertificateOf } from "./clientCertificate";

/** The attributes a kubelet authorises a request with (`pkg/kubelet/server/auth.go`). */
export interface KubeletRequestAttributes {
  readonly verb: string;
  readonly resource: "nodes";
  readonly subresource: string;
  readonly name: string;
}

/** A SubjectAccessReview callback: the kubelet's `authorization.mode: Webhook`. */
export type KubeletAuthorizer = (user: string, groups: readonly string[], attributes: KubeletRequestAttributes) => Promise<boolean>;

/** One request the kubelet received. */
export interface KubeletRequest {
  readonly path: string;
  readonly client: ClientCertificate;
  readonly attributes: KubeletRequestAttributes;
  readonly allowed: boolean;
}

/** What the fake kubelet serves with and trusts (PEM texts), and where. */
export interface FakeKubeletOptions {
  readonly nodeName: string;
  readonly address: string;
  readonly port: number;
  /** `/var/lib/kubelet/pki/kubelet.{crt,key}`. */
  readonly cert: string;
  readonly key: string;
  /** `authentication.x509.clientCAFile` (kubeadm: `/etc/kubernetes/pki/ca.crt`). */
  readonly clientCa: string;
  readonly authorize: KubeletAuthorizer;
}

const VERBS: Readonly<Record<string, string>> = { GET: "get", POST: "create", PUT: "update", PATCH: "patch", DELETE: "delete" };

/** The kubelet's subresource for a path: stats, metrics, log, or proxy for everything else. */
function subresourceOf(path: string): string {
  for (const [prefix, sub] of [["/stats", "stats"], ["/metrics", "metrics"], ["/logs", "log"]] as const) {
    if (path === prefix || path.startsWith(`${prefix}/`)) return sub;
  }
  return "proxy";
}

/**
 * The kubelet's API as kubeadm configures it (docs/kubeadm-spec.md §5.7, §6.5), enough for `kubectl logs`:
 * HTTPS with the node's serving certificate, client certificates required and verified against
 * `ca.crt` (x509 authentication, no anonymous), then a SubjectAccessReview (webhook authorization),
 * then `/containerLogs/<namespace>/<pod>/<container>` answers one line naming the caller.
 */
export class FakeKubelet {
  readonly requests: KubeletRequest[] = [];

  private constructor(private readonly options: FakeKubeletOptions, private readonly server: Server) {}

  static async start(options: FakeKubeletOptions): Promise<FakeKubelet> {
    const server = createServer({ cert: options.cert, key: options.key, ca: options.clientCa, requestCert: true, rejectUnauthorized: true });
    const kubelet = new FakeKubelet(options, server);
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      kubelet.handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host: options.address, port: options.port, exclusive: true }, resolve);
    });
    return kubelet;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "https://kubelet").pathname;
    const client = clientCertificateOf(req);
    const attributes: KubeletRequestAttributes = {
      verb: VERBS[req.method ?? "GET"] ?? "get",
      resource: "nodes",
      subresource: subresourceOf(path),
      name: this.options.nodeName,
    };
    const allowed = await this.options.authorize(client.commonName, client.organizations, attributes);
    this.requests.push({ path, client, attributes, allowed });
    if (!allowed) {
      res.writeHead(403).end(`Forbidden (user=${client.commonName}, verb=${attributes.verb}, resource=nodes, subresource=${attributes.subresource})`);
      return;
    }
    const logs = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path);
    if (logs === null) {
      res.writeHead(404).end("404 page not found");
      return;
    }
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end(`fake kubelet ${this.options.nodeName}: ${logs[1]}/${logs[2]}/${logs[3]} requested by ${client.commonName}\n`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
