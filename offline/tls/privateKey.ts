import { KeyObject } from "node:crypto";
import { hashForState } from "./ids";
import { EcdsaCurve, generatePrivateKey, KeyAlgorithm, publicKeyOf, spkiDer } from "./keys";
import { opensshPrivateKeyPem } from "./opensshPrivateKey";
import { CreateContext, CreateResult, echoState, resourceInputs } from "./resourceState";
import { wrapSecret } from "./secret";
import { sshPublicOutputs } from "./ssh";
import { PRIVATE_KEY } from "./tokens";
import { validateInputs } from "./validate";


/** The key material outputs of a PrivateKey (docs/tls-provider.md §4.2): PKCS#1 / SEC1 / PKCS#8 by algorithm, PKCS#8, OpenSSH, SPKI, SSH public forms. */
export function privateKeyOutputs(key: KeyObject): Record<string, string> {
  const pem = (type: "pkcs1" | "sec1" | "pkcs8"): string => key.export({ format: "pem", type }) as string;
  const native = key.asymmetricKeyType === "rsa" ? pem("pkcs1") : key.asymmetricKeyType === "ec" ? pem("sec1") : pem("pkcs8");
  return {
    privateKeyPem: native,
    privateKeyPemPkcs8: pem("pkcs8"),
    privateKeyOpenssh: opensshPrivateKeyPem(key),
    publicKeyPem: publicKeyOf(key).export({ format: "pem", type: "spki" }) as string,
    ...sshPublicOutputs(key),
  };
}

/** Secret outputs of a PrivateKey (the SDK's `additionalSecretOutputs`). */
const SECRET_OUTPUTS = ["privateKeyPem", "privateKeyOpenssh", "privateKeyPemPkcs8"];

/**
 * Creates a `tls.PrivateKey`: validates, echoes inputs with the defaults `rsaBits: 2048` and
 * `ecdsaCurve: "P224"` (whatever the algorithm), generates the key asynchronously and returns
 * its PEM/SSH outputs; id = hex SHA-1 of the (Go-TrimSpace'd) SPKI DER.
 */
export async function createPrivateKeyResource(rawInputs: Record<string, unknown>, ctx: CreateContext): Promise<CreateResult> {
  const inputs = resourceInputs(rawInputs);
  validateInputs(PRIVATE_KEY, inputs.plain);
  const state = echoState(inputs, { rsaBits: 2048, ecdsaCurve: "P224" }, [], []);
  if (ctx.preview) {
    return { id: undefined, state };
  }
  let key: KeyObject;
  try {
    key = await generatePrivateKey({
      algorithm: inputs.plain.algorithm as KeyAlgorithm,
      rsaBits: (inputs.plain.rsaBits as number | undefined) ?? 2048,
      ecdsaCurve: (inputs.plain.ecdsaCurve as EcdsaCurve | undefined) ?? "P224",
    });
  } catch (e) {
    throw new Error(`Unable to generate Key from configuration: ${(e as Error).message}`);
  }
  const outputs: Record<string, unknown> = privateKeyOutputs(key);
  for (const prop of SECRET_OUTPUTS) {
    outputs[prop] = wrapSecret(outputs[prop]);
  }
  return { id: hashForState(spkiDer(key)), state: { ...state, ...outputs } };
}
