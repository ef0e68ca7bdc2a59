import { CA_ROWS } from "../../components/catalog";
import { serviceAccountKey } from "../../components/catalog/kubernetes";
import { rowPath } from "../../components/placement";
import { AuthorityId } from "../../components/rotation/stages";
import { InspectedTree } from "./inspectedTree";
import { pemBlocks } from "../../components/pem";
import { bundlesOf, distinctCas, issuerAmong } from "./trustBundles";

/** A staged rotation a tree shows in progress, and the phase its files say it is in. */
export interface RotationInProgress {
  readonly authority: AuthorityId;
  /** `prepare` (leaves still from the older CA), `switch` (from the newer), or `prepare or switch` when the files cannot tell. */
  readonly phase: "prepare" | "switch" | "prepare or switch";
  /** What the phase was read from, e.g. `ca.crt holds 2 CAs; 14 of 14 leaves signed by the newer`. */
  readonly evidence: string;
}

/**
 * The rotations in progress: a CA whose bundles hold more than one CA (the phase from which of them
 * signs the leaves in use: the older in `prepare`, the newer, by not-before, in `switch`), and the
 * service-account key when `sa.pub` holds more than one key (a key carries no date: its phase is that
 * of the CA rotations in progress with it, which move in step, else unknown).
 */
export function rotationsInProgress(tree: InspectedTree): RotationInProgress[] {
  const rotations: RotationInProgress[] = [];
  for (const row of CA_ROWS) {
    const bundles = bundlesOf(tree, row.id);
    const widest = Math.max(0, ...bundles.map((b) => b.certificates.length));
    if (widest < 2) continue;
    const cas = distinctCas(bundles).sort((a, b) => new Date(a.validFrom).getTime() - new Date(b.validFrom).getTime());
    const newest = cas[cas.length - 1];
    const tied = cas.filter((ca) => ca.validFrom === newest.validFrom).length > 1;
    const leaves = tree.nodes.flatMap((node) => node.certificates.filter((e) => e.kind !== "ca" && e.ca === row.id));
    const byNewest = leaves.filter((leaf) => issuerAmong(leaf, [newest]) !== undefined).length;
    const held = `${rowPath(row, "certificate").split("/pki/")[1]} holds ${widest} CAs`;
    if (tied) {
      rotations.push({ authority: row.id, phase: "prepare or switch", evidence: `${held} made in the same second: which is newer cannot be told` });
    } else {
      rotations.push({
        authority: row.id,
        phase: byNewest === 0 ? "prepare" : "switch",
        evidence: `${held}; ${byNewest} of ${leaves.length} leaves signed by the newer`,
      });
    }
  }
  const saKeys = Math.max(0, ...tree.nodes.map((node) => node.files.get(rowPath(serviceAccountKey, "public-key"))).map((file) => (file === undefined ? 0 : pemBlocks(file.content).length)));
  if (saKeys > 1) {
    const phases = new Set(rotations.map((r) => r.phase));
    const [phase] = phases;
    rotations.push(
      phases.size === 1 && phase !== "prepare or switch"
        ? { authority: "sa", phase, evidence: `sa.pub holds ${saKeys} keys; the phase of the CA rotation(s) in step with it` }
        : { authority: "sa", phase: "prepare or switch", evidence: `sa.pub holds ${saKeys} keys; keys carry no date` },
    );
  }
  return rotations;
}

/** The summary's lines: `rotation in progress:`, then `  ca: phase switch (…)` per authority; none when no rotation is. */
export function formatRotations(rotations: readonly RotationInProgress[]): string[] {
  if (rotations.length === 0) return [];
  return ["rotation in progress:", ...rotations.map((r) => `  ${r.authority}: phase ${r.phase} (${r.evidence})`)];
}
