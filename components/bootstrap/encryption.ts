import { stringify } from "yaml";
import { pki } from "../layout";
import { EncryptionProvider } from "./args";

/** Where control-plane nodes get the configuration: kube-apiserver `--encryption-provider-config`. */
export const ENCRYPTION_CONFIG_PATH = `${pki("encryption-config")}.yaml`;

/** One key with its material: 32 bytes in base64. */
export interface EncryptionKey {
  readonly name: string;
  readonly provider: EncryptionProvider;
  /** base64 of 32 random bytes. */
  readonly secret: string;
}

/**
 * The API server's `EncryptionConfiguration` (`apiserver.config.k8s.io/v1`) for `resources`:
 * the keys in order (consecutive keys of one provider share its entry; the first key encrypts),
 * then `identity`, so objects written before encryption was turned on stay readable.
 */
export function renderEncryptionConfiguration(resources: readonly string[], keys: readonly EncryptionKey[]): string {
  const providers: Record<string, unknown>[] = [];
  let previous: EncryptionProvider | undefined;
  for (const key of keys) {
    if (key.provider !== previous) providers.push({ [key.provider]: { keys: [] } });
    (Object.values(providers[providers.length - 1])[0] as { keys: unknown[] }).keys.push({ name: key.name, secret: key.secret });
    previous = key.provider;
  }
  providers.push({ identity: {} });
  return stringify({
    apiVersion: "apiserver.config.k8s.io/v1",
    kind: "EncryptionConfiguration",
    resources: [{ resources: [...resources], providers }],
  });
}
