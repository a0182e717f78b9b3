// Small helpers for writing source text: joining optional lines and indenting blocks.

export type Line = string | false | null | undefined | readonly Line[];

/** Joins lines, dropping false/null/undefined entries (conditional lines) and flattening arrays. */
export function lines(...parts: Line[]): string {
  const out: string[] = [];
  const add = (part: Line) => {
    if (part === false || part === null || part === undefined) return;
    if (typeof part === "string") out.push(part);
    else part.forEach(add);
  };
  parts.forEach(add);
  return out.join("\n");
}

/** Indents every non-empty line of a block. */
export function indent(block: string, depth: number, unit = "  "): string {
  const pad = unit.repeat(depth);
  return block
    .split("\n")
    .map((line) => (line.length > 0 ? pad + line : line))
    .join("\n");
}

/** Collapses runs of more than two blank lines left by omitted optional blocks, and ends with one newline. */
export function tidy(source: string): string {
  return `${source.replace(/\n{4,}/g, "\n\n\n").trim()}\n`;
}

export const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** "40 messages per second", "2.5 messages per second". */
export const perSecondText = (rate: number) => `${rate} message${rate === 1 ? "" : "s"} per second`;
