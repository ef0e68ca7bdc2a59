import { IncomingMessage } from "node:http";
import { TLSSocket } from "node:tls";

/** The verified client certificate of a request, as a server's authenticator reads it. */
export interface ClientCertificate {
  readonly commonName: string;
  readonly organizations: readonly string[];
  readonly fingerprint256: string;
}

/** The client certificate of a request on a server with `requestCert` and `rejectUnauthorized`. */
export function clientCertificateOf(req: IncomingMessage): ClientCertificate {
  const peer = (req.socket as TLSSocket).getPeerCertificate();
  const o = peer.subject.O as string | string[] | undefined;
  return {
    commonName: String(peer.subject.CN),
    organizations: o === undefined ? [] : Array.isArray(o) ? o : [o],
    fingerprint256: peer.fingerprint256,
  };
}
