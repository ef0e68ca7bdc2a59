/**
 * Where a YAML parse error is, and its code: `line 3, column 5: BAD_INDENT`. Never the parser's
 * message or excerpt, which can quote the text (a kubeconfig's private key).
 */
export function yamlErrorSummary(text: string, error: unknown): string {
  const { code, pos } = error as { code?: unknown; pos?: unknown };
  const kind = typeof code === "string" ? code : "parse error";
  if (!Array.isArray(pos) || typeof pos[0] !== "number") return kind;
  const before = text.slice(0, pos[0]);
  const line = before.split("\n").length;
  const column = pos[0] - before.lastIndexOf("\n");
  return `line ${line}, column ${column}: ${kind}`;
}
