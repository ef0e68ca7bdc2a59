/**
 * Building blocks of the section validators: type checks that report a field instead of throwing,
 * and the unknown-field check. Every message starts with the field's path (`apiServer.certSANs[0]`),
 * then the value as JSON, then what is allowed.
 */

/** A field's value as messages show it: JSON, `null` for an absent value. */
export function quote(value: unknown): string {
  return JSON.stringify(value ?? null) ?? String(value);
}

/** `parent.field`, or `field` at the top level. */
export function fieldPath(parent: string, field: string): string {
  return parent === "" ? field : `${parent}.${field}`;
}

/** True for a plain object: not null, not a list. */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The object at `path`, or undefined when it is absent or not an object (then reported). Every
 * field of it that is not in `known` is reported, with the closest known name when one is near.
 */
export function objectAt(path: string, value: unknown, known: readonly string[], problems: string[]): Readonly<Record<string, unknown>> | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    problems.push(`${path || "the arguments"}: ${quote(value)} is not an object; use one with the fields ${known.join(", ")}`);
    return undefined;
  }
  problems.push(...unknownFieldProblems(path, value, known));
  return value;
}

/** The list at `path`, or undefined when it is absent or not a list (then reported). */
export function listAt(path: string, value: unknown, what: string, problems: string[]): readonly unknown[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    problems.push(`${path}: ${quote(value)} is not a list; use a list of ${what}, e.g. [${quote(value)}]`);
    return undefined;
  }
  return value;
}

/** One problem per field of `value` that is not in `known`. */
export function unknownFieldProblems(path: string, value: Readonly<Record<string, unknown>>, known: readonly string[]): string[] {
  return Object.keys(value)
    .filter((field) => !known.includes(field))
    .map((field) => {
      const near = closestName(field, known);
      const hint = near === undefined ? `the known fields are ${known.join(", ")}` : `did you mean ${quote(near)}?`;
      return `${fieldPath(path, field)}: unknown field; ${hint}`;
    });
}

/**
 * The known name nearest to a mistyped one: case-insensitive edit distance of at most a third of
 * its length (at least 2), or a known name it abbreviates (`addr` for `address`). Undefined when
 * none is that near.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(name.length / 3));
  const typed = name.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(typed, candidate.toLowerCase());
    const abbreviates = typed.length >= 3 && candidate.toLowerCase().startsWith(typed);
    if ((distance <= limit || abbreviates) && (best === undefined || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
