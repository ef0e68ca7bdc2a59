import { LookupAddress } from "node:dns";
import { request } from "node:https";
import { isIP } from "node:net";
import { checkServerIdentity, connect, ConnectionOptions, PeerCertificate } from "node:tls";

/** What a client presents and trusts. PEM texts. */
export interface TlsClient {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  /** Default true. */
  readonly rejectUnauthorized?: boolean;
}

/** A response with its body read as text. */
export interface HttpsResponse {
  readonly status: number;
  readonly body: string;
}

/** One HTTPS request without connection reuse. */
export function httpsRequest(
  url: string,
  client: TlsClient,
  options: { method?: string; body?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? "GET",
        headers: options.headers,
        ca: client.ca,
        cert: client.cert,
        key: client.key,
        rejectUnauthorized: client.rejectUnauthorized ?? true,
        agent: false,
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${url}: no response in ${options.timeoutMs ?? 10_000} ms`)));
    req.on("error", reject);
    req.end(options.body);
  });
}

/** A DNS lookup that answers every name with one address: a client's `--resolve` / hosts-file override. */
function resolveTo(address: string): NonNullable<ConnectionOptions["lookup"]> {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    const entry: LookupAddress = { address, family: 4 };
    if (options.all) callback(null, [entry]);
    else callback(null, address, 4);
  }) as unknown as NonNullable<ConnectionOptions["lookup"]>;
}

/**
 * Connects to `address:port` as a client that reaches the server under `name` (a DNS name it
 * resolves to `address`, or an IP it routes to `address`) and verifies the server's certificate
 * chain against `ca` and its SANs against `name`, as Go and Node clients do. Resolves with the
 * server's certificate; rejects with the TLS error (e.g. `ERR_TLS_CERT_ALTNAME_INVALID`).
 */
export function verifyServerAs(address: string, port: number, name: string, ca: string, client: TlsClient = {}): Promise<PeerCertificate> {
  const base: ConnectionOptions = { port, ca, cert: client.cert, key: client.key, rejectUnauthorized: true, timeout: 10_000 };
  const options: ConnectionOptions = isIP(name) !== 0
    ? { ...base, host: address, checkServerIdentity: (_host, cert) => checkServerIdentity(name, cert) }
    : { ...base, host: name, servername: name, lookup: resolveTo(address) };
  return new Promise((resolve, reject) => {
    const socket = connect(options, () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      resolve(cert);
    });
    socket.on("timeout", () => socket.destroy(new Error(`${address}:${port}: no TLS handshake in 10 s`)));
    socket.on("error", reject);
  });
}
