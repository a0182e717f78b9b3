// Lesson text on the page: paragraphs, lists, `code`, **bold** and links, from the parsed blocks
// (lib/lessons/text.ts) rather than raw HTML.
import type { ReactNode } from "react";
import { parseRichText, type Inline } from "../../lib/lessons/text";

function inline(parts: Inline[]): ReactNode[] {
  return parts.map((part, i) => {
    switch (part.type) {
      case "code":
        return <code key={i}>{part.text}</code>;
      case "strong":
        return <strong key={i}>{part.text}</strong>;
      case "em":
        return <em key={i}>{part.text}</em>;
      case "link":
        return (
          <a key={i} href={part.href} {...(part.href.startsWith("http") ? { target: "_blank", rel: "noreferrer" } : {})}>
            {part.text}
          </a>
        );
      default:
        return <span key={i}>{part.text}</span>;
    }
  });
}

export function RichText({ text, className }: { text: string; className?: string }) {
  return (
    <div className={`lesson-text ${className ?? ""}`}>
      {parseRichText(text).map((block, i) => {
        if (block.type === "p") return <p key={i}>{inline(block.inline)}</p>;
        const items = block.items.map((item, j) => <li key={j}>{inline(item)}</li>);
        return block.type === "ul" ? <ul key={i}>{items}</ul> : <ol key={i}>{items}</ol>;
      })}
    </div>
  );
}

/** One line of text with inline marks only (labels, hints, options). */
export function InlineText({ text }: { text: string }) {
  const block = parseRichText(text)[0];
  return <>{block?.type === "p" ? inline(block.inline) : text}</>;
}
