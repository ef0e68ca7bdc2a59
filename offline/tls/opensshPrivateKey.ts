import { KeyObject, randomBytes } from "node:crypto";
import { encodePem } from "./pem";
import { jwkBytes, ecPoint, sshKeyType, sshMpint, sshPublicWire, sshString } from "./ssh";

const MAGIC = Buffer.from("openssh-key-v1\0", "latin1");

/** The private fields x/crypto/ssh writes after the key type, per algorithm. */
function privateFields(key: KeyObject, curve: string | undefined): Buffer {
  const jwk = key.export({ format: "jwk" });
  switch (key.asymmetricKeyType) {
    case "rsa": // n, e, d, iqmp (q⁻¹ mod p = JWK qi), p, q
      return Buffer.concat(["n", "e", "d", "qi", "p", "q"].map((m) => sshMpint(jwkBytes(jwk[m as keyof typeof jwk] as string))));
    case "ed25519": { // pub32, seed32‖pub32
      const pub = jwkBytes(jwk.x);
      return Buffer.concat([sshString(pub), sshString(Buffer.concat([jwkBytes(jwk.d), pub]))]);
    }
    default: // curve id, Q, d
      return Buffer.concat([sshString(curve ?? ""), sshString(ecPoint(key)), sshMpint(jwkBytes(jwk.d))]);
  }
}

/**
 * `ssh.MarshalPrivateKey(key, "")` of x/crypto/ssh, unencrypted: an `OPENSSH PRIVATE KEY` PEM.
 * Returns `""` for keys x/crypto/ssh cannot express (ECDSA P-224), as the provider does.
 * The two check words are random, so two encodings of one key differ, as with Go.
 */
export function opensshPrivateKeyPem(key: KeyObject): string {
  const kind = sshKeyType(key);
  const publicWire = sshPublicWire(key);
  if (kind === undefined || publicWire === undefined) {
    return "";
  }
  const check = randomBytes(4);
  const unpadded = Buffer.concat([check, check, sshString(kind.type), privateFields(key, kind.curve), sshString("")]);
  const padding = Buffer.from(Array.from({ length: (8 - (unpadded.length % 8)) % 8 }, (_, i) => i + 1));
  const body = Buffer.concat([
    MAGIC,
    sshString("none"),
    sshString("none"),
    sshString(""),
    Buffer.of(0, 0, 0, 1),
    sshString(publicWire),
    sshString(Buffer.concat([unpadded, padding])),
  ]);
  return encodePem("OPENSSH PRIVATE KEY", body);
}
