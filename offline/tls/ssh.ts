import { createHash, KeyObject } from "node:crypto";
import { curveOf, publicKeyOf } from "./keys";

/** SSH wire `string`: uint32 length, then the bytes. */
export function sshString(bytes: Uint8Array | string): Buffer {
  const body = typeof bytes === "string" ? Buffer.from(bytes) : Buffer.from(bytes);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

/** SSH wire `mpint` of an unsigned big-endian magnitude: minimal, with a `00` when the top bit is set. */
export function sshMpint(magnitude: Uint8Array): Buffer {
  let i = 0;
  while (i < magnitude.length && magnitude[i] === 0) {
    i += 1;
  }
  const trimmed = Buffer.from(magnitude.subarray(i));
  return sshString(trimmed.length > 0 && trimmed[0] >= 0x80 ? Buffer.concat([Buffer.of(0), trimmed]) : trimmed);
}

/** A base64url JWK member as bytes. */
export function jwkBytes(v: string | undefined): Buffer {
  return Buffer.from(v ?? "", "base64url");
}

/** The SSH key type and the curve identifier (`nistpNNN`) of an SSH-capable key, else `undefined`. */
export function sshKeyType(key: KeyObject): { type: string; curve?: string } | undefined {
  switch (key.asymmetricKeyType) {
    case "rsa":
      return { type: "ssh-rsa" };
    case "ed25519":
      return { type: "ssh-ed25519" };
    case "ec": {
      const curve = curveOf(key);
      // x/crypto/ssh does not support P-224: the provider leaves every SSH output empty.
      return curve === undefined || curve === "P224"
        ? undefined
        : { type: `ecdsa-sha2-nistp${curve.slice(1)}`, curve: `nistp${curve.slice(1)}` };
    }
    default:
      return undefined;
  }
}

/** The uncompressed EC point `04‖X‖Y` of an EC key. */
export function ecPoint(key: KeyObject): Buffer {
  const jwk = publicKeyOf(key).export({ format: "jwk" });
  return Buffer.concat([Buffer.of(4), jwkBytes(jwk.x), jwkBytes(jwk.y)]);
}

/** The SSH public key wire encoding, or `undefined` when x/crypto/ssh cannot express the key (P-224). */
export function sshPublicWire(key: KeyObject): Buffer | undefined {
  const kind = sshKeyType(key);
  if (kind === undefined) {
    return undefined;
  }
  const jwk = publicKeyOf(key).export({ format: "jwk" });
  switch (kind.type) {
    case "ssh-rsa":
      return Buffer.concat([sshString(kind.type), sshMpint(jwkBytes(jwk.e)), sshMpint(jwkBytes(jwk.n))]);
    case "ssh-ed25519":
      return Buffer.concat([sshString(kind.type), sshString(jwkBytes(jwk.x))]);
    default:
      return Buffer.concat([sshString(kind.type), sshString(kind.curve ?? ""), sshString(ecPoint(key))]);
  }
}

/** The SSH public-key outputs of a PrivateKey; all `""` for P-224, as the provider does. */
export interface SshPublicOutputs {
  /** `ssh.MarshalAuthorizedKey`: `"<type> <base64>\n"`, no comment. */
  readonly publicKeyOpenssh: string;
  /** `ssh.FingerprintLegacyMD5`: lower-case hex pairs joined by `:`. */
  readonly publicKeyFingerprintMd5: string;
  /** `ssh.FingerprintSHA256`: `SHA256:` + unpadded base64 of SHA-256 of the wire encoding. */
  readonly publicKeyFingerprintSha256: string;
}

/** Computes the SSH public-key outputs of a key. */
export function sshPublicOutputs(key: KeyObject): SshPublicOutputs {
  const wire = sshPublicWire(key);
  if (wire === undefined) {
    return { publicKeyOpenssh: "", publicKeyFingerprintMd5: "", publicKeyFingerprintSha256: "" };
  }
  const type = sshKeyType(key)?.type ?? "";
  const md5 = createHash("md5").update(wire).digest("hex");
  return {
    publicKeyOpenssh: `${type} ${wire.toString("base64")}\n`,
    publicKeyFingerprintMd5: (md5.match(/../g) ?? []).join(":"),
    publicKeyFingerprintSha256: `SHA256:${createHash("sha256").update(wire).digest("base64").replace(/=+$/, "")}`,
  };
}
