import { KeyObject } from "node:crypto";
import { hashForState } from "./ids";
import { generatePrivateKey, NotEmulatedError, publicKeyOf, spkiDer } from "./keys";
import { CreateContext, CreateResult, echoState, resourceInputs } from "./resourceState";
import { wrapSecret } from "./secret";
import { PRIVATE_KEY } from "./tokens";
import { validateInputs } from "./validate";


/**
 * The PEM outputs of a PrivateKey (docs/tls-provider.md §4.2): PKCS#1 (RSA) or SEC1 (ECDSA),
 * PKCS#8, SPKI. The provider's OpenSSH and SSH fingerprint outputs are left out: see {@link TlsEmulator}.
 */
export function privateKeyOutputs(key: KeyObject): Record<string, string> {
  const pem = (type: "pkcs1" | "sec1" | "pkcs8"): string => key.export({ format: "pem", type }) as string;
  return {
    privateKeyPem: pem(key.asymmetricKeyType === "rsa" ? "pkcs1" : "sec1"),
    privateKeyPemPkcs8: pem("pkcs8"),
    publicKeyPem: publicKeyOf(key).export({ format: "pem", type: "spki" }) as string,
  };
}

/** What the provider stores for absent PrivateKey inputs, whatever the algorithm (docs/tls-provider.md §4.1). */
export const PRIVATE_KEY_DEFAULTS = { rsaBits: 2048, ecdsaCurve: "P224" } as const;

/** Secret outputs of a PrivateKey, of those the emulator returns (the SDK's `additionalSecretOutputs` adds `privateKeyOpenssh`). */
const SECRET_OUTPUTS = ["privateKeyPem", "privateKeyPemPkcs8"];

/**
 * Creates a `tls.PrivateKey`: validates, echoes inputs with the defaults `rsaBits: 2048` and
 * `ecdsaCurve: "P224"` (whatever the algorithm), generates the key asynchronously and returns
 * its PEM outputs; id = hex SHA-1 of the (Go-TrimSpace'd) SPKI DER.
 */
export async function createPrivateKeyResource(rawInputs: Record<string, unknown>, ctx: CreateContext): Promise<CreateResult> {
  const inputs = resourceInputs(rawInputs);
  validateInputs(PRIVATE_KEY, inputs.plain);
  const state = echoState(inputs, PRIVATE_KEY_DEFAULTS, []);
  if (ctx.preview) {
    return { id: undefined, state };
  }
  let key: KeyObject;
  try {
    key = await generatePrivateKey({
      algorithm: inputs.plain.algorithm as string,
      rsaBits: (inputs.plain.rsaBits as number | undefined) ?? PRIVATE_KEY_DEFAULTS.rsaBits,
      ecdsaCurve: (inputs.plain.ecdsaCurve as string | undefined) ?? PRIVATE_KEY_DEFAULTS.ecdsaCurve,
    });
  } catch (e) {
    if (e instanceof NotEmulatedError) throw e;
    throw new Error(`Unable to generate Key from configuration: ${(e as Error).message}`);
  }
  const outputs: Record<string, unknown> = privateKeyOutputs(key);
  for (const prop of SECRET_OUTPUTS) {
    outputs[prop] = wrapSecret(outputs[prop]);
  }
  return { id: hashForState(spkiDer(key)), state: { ...state, ...outputs } };
}
