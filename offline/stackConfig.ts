import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parse } from "yaml";

/** A stack settings file (`Pulumi.<stack>.yaml`) as the Pulumi engine hands it to a program. */
export interface StackConfig {
  /** Stack name, from the file name. */
  readonly stack: string;
  /** Config values by `namespace:key`; structured values as JSON text, as the engine passes them. */
  readonly config: Record<string, string>;
}

/** Reads `Pulumi.<stack>.yaml`. Secure (encrypted) values are refused: they need the Pulumi engine. */
export function readStackConfig(path: string): StackConfig {
  const match = /^Pulumi\.(.+)\.ya?ml$/.exec(basename(path));
  if (match === null) throw new Error(`${path}: a stack file is named Pulumi.<stack>.yaml`);
  const doc = (parse(readFileSync(path, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    if (typeof value === "object" && value !== null && "secure" in value) {
      throw new Error(`${path}: ${key} is an encrypted secret; the offline renderer reads plain config only`);
    }
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { stack: match[1], config };
}
