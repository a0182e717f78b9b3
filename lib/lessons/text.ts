// Lesson text is markdown-ish: paragraphs split by blank lines, "- " and "1. " lists, `code`,
// **bold**, *emphasis* and [links](/path). Parsed into plain data so the page renders it without raw HTML.

export type Inline = { type: "text" | "code" | "strong" | "em"; text: string } | { type: "link"; text: string; href: string };
export type Block = { type: "p"; inline: Inline[] } | { type: "ul" | "ol"; items: Inline[][] };

const inlinePattern = /`([^`]+)`|\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)|\*([^*\s](?:[^*]*[^*\s])?)\*/g;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const match of text.matchAll(inlinePattern)) {
    if (match.index > last) out.push({ type: "text", text: text.slice(last, match.index) });
    if (match[1] !== undefined) out.push({ type: "code", text: match[1] });
    else if (match[2] !== undefined) out.push({ type: "strong", text: match[2] });
    else if (match[5] !== undefined) out.push({ type: "em", text: match[5] });
    else {
      const href = match[4]!;
      // Only site-relative and web links: lesson text never carries script URLs.
      if (/^(\/|https?:\/\/)/.test(href)) out.push({ type: "link", text: match[3]!, href });
      else out.push({ type: "text", text: match[3]! });
    }
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push({ type: "text", text: text.slice(last) });
  return out;
}

export function parseRichText(text: string): Block[] {
  const blocks: Block[] = [];
  for (const chunk of text.trim().split(/\n\s*\n/)) {
    const lines = chunk.split("\n").map((line) => line.trim()).filter(Boolean);
    if (lines.length === 0) continue;
    const bullet = lines.every((line) => /^- /.test(line));
    const numbered = lines.every((line) => /^\d+\. /.test(line));
    if (bullet || numbered) {
      blocks.push({ type: bullet ? "ul" : "ol", items: lines.map((line) => parseInline(line.replace(/^(- |\d+\. )/, ""))) });
    } else {
      blocks.push({ type: "p", inline: parseInline(lines.join(" ")) });
    }
  }
  return blocks;
}
