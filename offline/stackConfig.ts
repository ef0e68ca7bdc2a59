import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import { parse } from "yaml";
import { yamlErrorSummary } from "./yamlError";

/** A stack settings file (`Pulumi.<stack>.yaml`) as the Pulumi engine hands it to a program. */
export interface StackConfig {
  /** Stack name, from the file name. */
  readonly stack: string;
  /** Config values by `namespace:key`; structured values as JSON text, as the engine passes them. */
  readonly config: Record<string, string>;
}

/**
 * Reads `Pulumi.<stack>.yaml`. Secure (encrypted) values are refused: they need the Pulumi engine.
 * Every error names the file; a YAML error gives its position only, never the file's lines.
 */
export function readStackConfig(path: string): StackConfig {
  const match = /^Pulumi\.(.+)\.ya?ml$/.exec(basename(path));
  if (match === null) throw new Error(`${path}: a stack file is named Pulumi.<stack>.yaml`);
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw new Error("is a directory; --config takes a stack file");
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parse(text, { prettyErrors: false, logLevel: "error" }) ?? {};
  } catch (error) {
    throw new Error(`${path}: not valid YAML (${yamlErrorSummary(text, error)}): ${(error as Error).message.split("\n")[0]}`);
  }
  const settings = typeof doc === "object" && doc !== null ? (doc as { config?: unknown }).config ?? {} : undefined;
  if (settings === undefined || typeof settings !== "object" || settings === null || Array.isArray(settings)) {
    throw new Error(`${path}: a stack file is a mapping with a "config" mapping`);
  }
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (typeof value === "object" && value !== null && "secure" in value) {
      throw new Error(`${path}: ${key} is an encrypted secret; the offline renderer reads plain config only`);
    }
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { stack: match[1], config };
}
