import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { PriorResource, Step } from "./continuity";

/** Marks a file as this tool's render state, so nothing else is ever read or overwritten as one. */
const FORMAT = "kubernetes-pki/render-state/v1";

/** A render state file: every resource of the last render, with its secrets (mode 0600). */
interface StateDocument {
  readonly format: typeof FORMAT;
  readonly resources: PriorResource[];
}

/**
 * Reads a render state file, or returns an empty state when it does not exist. Refuses a file that
 * is not a render state, or that others can read (it holds every private key).
 */
export function readStateFile(path: string): Map<string, PriorResource> {
  if (!existsSync(path)) return new Map();
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) throw new Error(`${path}: mode ${mode.toString(8).padStart(4, "0")} lets others read private keys; chmod 600 it`);
  let doc: StateDocument;
  try {
    doc = JSON.parse(readFileSync(path, "utf8")) as StateDocument;
  } catch {
    throw new Error(`${path} is not a render state file (not JSON); refusing to read or replace it`);
  }
  if (doc?.format !== FORMAT || !Array.isArray(doc.resources)) {
    throw new Error(`${path} is not a render state file (no "format": "${FORMAT}"); refusing to read or replace it`);
  }
  return new Map(doc.resources.map((resource) => [`${resource.type}::${resource.name}`, resource]));
}

/** Writes a render state file (mode 0600) atomically: a sibling temporary file renamed over it. */
export function writeStateFile(path: string, resources: ReadonlyMap<string, PriorResource>): void {
  const doc: StateDocument = { format: FORMAT, resources: [...resources.values()] };
  const staging = `${path}.partial-${process.pid}`;
  writeFileSync(staging, `${JSON.stringify(doc)}\n`, { mode: 0o600 });
  chmodSync(staging, 0o600);
  renameSync(staging, path);
}

/** What a render did, by step: resource names (`<type short>/<name>`) per kind, deletions included. */
export interface RenderChanges {
  readonly created: string[];
  readonly replaced: string[];
  readonly updated: string[];
  readonly kept: string[];
  readonly deleted: string[];
}

const label = (key: string): string => {
  const [type, name] = key.split("::");
  return `${type.slice(type.lastIndexOf(":") + 1)} ${name}`;
};

/** Groups a render's steps, and the prior resources it no longer registered (deleted). */
export function renderChanges(steps: ReadonlyMap<string, Step>, prior: ReadonlyMap<string, PriorResource>): RenderChanges {
  const of = (kind: Step["kind"]): string[] => [...steps].filter(([, step]) => step.kind === kind).map(([key]) => label(key)).sort();
  return {
    created: of("create"),
    replaced: of("replace"),
    updated: of("update"),
    kept: of("keep"),
    deleted: [...prior.keys()].filter((key) => !steps.has(key)).map(label).sort(),
  };
}

/** The change summary a render prints: counts, then every created, replaced, updated and deleted resource. */
export function formatRenderChanges(changes: RenderChanges): string {
  const lines = [
    `created ${changes.created.length}, replaced ${changes.replaced.length}, updated ${changes.updated.length}, ` +
      `kept ${changes.kept.length}, deleted ${changes.deleted.length}`,
  ];
  for (const [kind, names] of [["created", changes.created], ["replaced", changes.replaced], ["updated", changes.updated], ["deleted", changes.deleted]] as const) {
    if (names.length > 0 && names.length <= 200) lines.push(`${kind}:`, ...names.map((name) => `  ${name}`));
  }
  return lines.join("\n");
}
