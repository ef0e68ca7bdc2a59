import { BootstrapArgs, EncryptionAtRestArgs } from "../bootstrap/args";
import { validateBootstrap } from "../bootstrap/validateBootstrap";
import { fieldPath, listAt, objectAt } from "./fields";
import { Section } from "./section";

const BOOTSTRAP_FIELDS = ["tokens", "kubeProxy"];
const TOKEN_FIELDS = ["name", "ttl", "renewBefore", "description", "usages", "groups"];
const ENCRYPTION_FIELDS = ["resources", "provider", "keys"];
const KEY_FIELDS = ["name", "provider"];

/**
 * `bootstrap` (tokens, kube-proxy objects) and `encryptionAtRest`: the shape of every object and
 * list here, then, once the shape is right, the values (`bootstrap/validateBootstrap.ts`).
 */
export const bootstrapSection: Section = {
  fields: ["bootstrap", "encryptionAtRest"],
  problems: (args) => {
    const problems: string[] = [];
    const bootstrap = objectAt("bootstrap", args.bootstrap, BOOTSTRAP_FIELDS, problems);
    const tokens = listAt("bootstrap.tokens", bootstrap?.tokens, "tokens ({ name, ttl?, … })", problems) ?? [];
    tokens.forEach((token, i) => objectAt(`bootstrap.tokens[${i}]`, token ?? null, TOKEN_FIELDS, problems));
    tokens.forEach((token, i) => {
      const path = `bootstrap.tokens[${i}]`;
      const record = token as Record<string, unknown> | null;
      listAt(fieldPath(path, "usages"), record?.usages, '"signing" and "authentication"', problems);
      listAt(fieldPath(path, "groups"), record?.groups, "groups (system:bootstrappers:…)", problems);
    });
    const encryption = objectAt("encryptionAtRest", args.encryptionAtRest, ENCRYPTION_FIELDS, problems);
    listAt("encryptionAtRest.resources", encryption?.resources, 'resource names, e.g. "secrets"', problems);
    const keys = listAt("encryptionAtRest.keys", encryption?.keys, "keys ({ name, provider? })", problems) ?? [];
    keys.forEach((key, i) => objectAt(`encryptionAtRest.keys[${i}]`, key ?? null, KEY_FIELDS, problems));
    if (problems.length > 0) return problems;
    return validateBootstrap(args.bootstrap as BootstrapArgs | undefined, args.encryptionAtRest as EncryptionAtRestArgs | undefined).problems;
  },
};
