// A small syntax highlighter for the generated code: comments, strings, numbers and keywords of
// TypeScript, Python and Java (pom.xml shows as plain text). Enough for reading; the generated code
// is regular, not arbitrary input.

export type TokenKind = "comment" | "string" | "number" | "keyword" | "plain";
export interface Token {
  kind: TokenKind;
  text: string;
}

const keywords = {
  typescript: new Set("import from export const let async await function return if else for while of new throw try catch finally break continue typeof type as true false null undefined void".split(" ")),
  python: new Set("import from def return if elif else for while in not and or try except finally raise with as pass break continue lambda nonlocal global True False None is".split(" ")),
  java: new Set("package import public private protected static final class void return if else for while new throw throws try catch finally break continue true false null volatile instanceof long int double boolean short byte char var".split(" ")),
};

const patterns = {
  typescript: /(\/\/[^\n]*)|(`(?:\\[\s\S]|\$\{[^}]*\}|[^`\\])*`|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|(\b\d[\d_]*(?:\.\d+)?\b)|([A-Za-z_$][\w$]*)/g,
  python: /(#[^\n]*)|("""[\s\S]*?"""|f?"(?:\\.|[^"\\\n])*"|f?'(?:\\.|[^'\\\n])*')|(\b\d[\d_]*(?:\.\d+)?\b)|([A-Za-z_][\w]*)/g,
  java: /(\/\/[^\n]*)|("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|(\b\d[\d_]*(?:\.\d+)?L?\b)|([A-Za-z_$][\w$]*)/g,
};

export function highlight(source: string, language: keyof typeof keywords): Token[] {
  const tokens: Token[] = [];
  const push = (kind: TokenKind, text: string) => {
    const last = tokens[tokens.length - 1];
    if (last && last.kind === kind && kind === "plain") last.text += text;
    else if (text) tokens.push({ kind, text });
  };
  let index = 0;
  for (const match of source.matchAll(patterns[language])) {
    push("plain", source.slice(index, match.index));
    const [text, comment, string, number, word] = match;
    if (comment) push("comment", text);
    else if (string) push("string", text);
    else if (number) push("number", text);
    else if (word && keywords[language].has(word)) push("keyword", text);
    else push("plain", text);
    index = match.index + text.length;
  }
  push("plain", source.slice(index));
  return tokens;
}
