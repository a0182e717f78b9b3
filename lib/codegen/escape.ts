// The only doors through which scenario text enters generated code: a string literal, a template or
// f-string part, a docstring or a comment, one function each per language. Names and payloads are
// user input (a queue name may hold a newline, U+2028 or `"""`), so nothing is written raw.

/**
 * Characters never written raw: control characters (C0, DEL, C1 with U+0085), the line and
 * paragraph separators, bidirectional overrides (they make code read differently from what it
 * does), the byte order mark, and lone surrogates (not encodable as UTF-8).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const unsafe = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const short: Record<string, string> = { "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r" };
/** The same escape sequence in TypeScript and Python string literals (and readable in a comment). */
const escapeOf = (c: string) => short[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** Backslashes first, then the characters that would end the literal, then the unsafe ones. */
const escaped = (text: string, closers: RegExp) => text.replace(/\\/g, "\\\\").replace(closers, "\\$&").replace(unsafe, escapeOf);

/** Text on one line with every unsafe character visible as an escape, and no star-slash to end a block comment. */
const oneLine = (text: string) => text.replace(unsafe, escapeOf).replace(/\*\//g, "*\\/");

// ---- TypeScript ----

/** A TypeScript string literal holding exactly `text`. */
export const tsQuote = (text: string): string => `"${escaped(text, /"/g)}"`;

/** Any JSON value as a TypeScript literal; its strings escaped like `tsQuote`. */
export function tsLiteral(value: unknown): string {
  if (typeof value === "string") return tsQuote(value);
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(tsLiteral).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length === 0 ? "{}" : `{ ${entries.map(([key, item]) => `${tsQuote(key)}: ${tsLiteral(item)}`).join(", ")} }`;
}

/** Literal text inside a TypeScript template literal (between backticks). */
export const tsTemplateText = (text: string): string => escaped(text, /`|\$(?=\{)/g);

/** A `//` comment: one line whatever the text holds. */
export const tsComment = (text: string): string => `// ${oneLine(text)}`;

// ---- Python ----

/** A Python string literal holding exactly `text`. */
export const pyQuote = (text: string): string => `"${escaped(text, /"/g)}"`;

/** Literal text inside a Python f-string written with double quotes: braces doubled. */
export const pyFStringText = (text: string): string => escaped(text, /"/g).replace(/[{}]/g, "$&$&");

/** A docstring (triple double quotes) holding exactly `text`. */
export const pyDocstring = (text: string): string => `"""${escaped(text, /"/g)}"""`;

/** A `#` comment: one line whatever the text holds. */
export const pyComment = (text: string): string => `# ${oneLine(text)}`;

// ---- Java ----
// javac turns every `\uXXXX` into its character before it reads anything else, in literals and in
// comments alike, so a `\u000a` would end a comment or a string early. Backslashes are doubled
// (an escaped backslash cannot start such an escape), and the control characters are written as
// octal escapes in literals and as U+XXXX in comments, never as `\u`.

const javaShort: Record<string, string> = { "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r" };
const javaEscapeOf = (c: string) => {
  const code = c.charCodeAt(0);
  if (javaShort[c]) return javaShort[c];
  // Octal escapes always take three digits, so a digit after one cannot join it.
  if (code < 0x20 || code === 0x7f) return `\\${code.toString(8).padStart(3, "0")}`;
  // The rest are not line terminators for javac: a Unicode escape keeps them out of the file.
  return `\\u${code.toString(16).padStart(4, "0")}`;
};

/** A Java string literal holding exactly `text`. */
export const javaQuote = (text: string): string => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(unsafe, javaEscapeOf)}"`;

/** An unsafe character named in prose, where no escape sequence would be read back. */
const codePointName = (c: string) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;

/** A `//` comment: one line whatever the text holds, with no backslash that javac could read as `\u`. */
export const javaComment = (text: string): string => `// ${text.replace(/\\/g, "\\\\").replace(unsafe, codePointName).replace(/\*\//g, "* /")}`;

/** Text for an XML element (pom.xml): markup escaped; characters XML 1.0 cannot hold written as U+XXXX. */
export const xmlText = (text: string): string =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(unsafe, codePointName);

// ---- Both ----

/** A name quoted for prose that ends up in a comment ("the queue "orders""), escaped JSON-style. */
export const quotedName = (name: string): string => `"${oneLine(name.replace(/\\/g, "\\\\").replace(/"/g, '\\"'))}"`;

/** A number from a template argument ("01", "+5", "1e3") as a literal both languages read the same way. */
export const numberLiteral = (text: string): string => {
  const value = Number(text);
  return Number.isFinite(value) ? String(value) : "0";
};
