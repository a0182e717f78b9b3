// The token structure of generated Java, read the way javac reads it: Unicode escapes translated
// first (JLS 3.3), then comments, string and character literals, and the rest. Two programs with
// the same structure differ only inside literals and comments and in identifiers (a class name
// comes from the scenario's names), so text in a literal or a comment cannot add any code.
import type { CodeShape } from "./code-shape";

/** JLS 3.3: a backslash preceded by an even number of backslashes, then u+ and four hex digits. */
export function translateUnicodeEscapes(source: string): string {
  let out = "";
  let backslashes = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "\\" && backslashes % 2 === 0) {
      const match = /^\\u+([0-9a-fA-F]{4})/.exec(source.slice(i, i + 12));
      if (match) {
        out += String.fromCharCode(parseInt(match[1]!, 16));
        i += match[0].length - 1;
        backslashes = 0;
        continue;
      }
    }
    backslashes = c === "\\" ? backslashes + 1 : 0;
    out += c;
  }
  return out;
}

const keywords = new Set("abstract assert boolean break byte case catch char class const continue default do double else enum extends final finally float for goto if implements import instanceof int interface long native new package private protected public return short static strictfp super switch synchronized this throw throws transient try void volatile while true false null var".split(" "));
const escapeInLiteral = /\\(?:[btnfrs"'\\]|[0-3][0-7]{0,2}|[4-7][0-7]?)/y;

/** The shape of one Java source file: problems (unterminated or broken literals), then its tokens. */
export function javaShape(source: string): CodeShape {
  const text = translateUnicodeEscapes(source);
  const problems: string[] = [];
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) i++;
    else if (text.startsWith("//", i)) {
      while (i < text.length && text[i] !== "\n" && text[i] !== "\r") i++;
    } else if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) problems.push("unterminated block comment");
      i = end < 0 ? text.length : end + 2;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      for (;;) {
        if (j >= text.length || text[j] === "\n" || text[j] === "\r") {
          problems.push(`unterminated literal at ${i}`);
          break;
        }
        if (text[j] === c) break;
        if (text[j] === "\\") {
          escapeInLiteral.lastIndex = j;
          const escape = escapeInLiteral.exec(text);
          if (!escape) problems.push(`illegal escape ${JSON.stringify(text.slice(j, j + 2))} at ${j}`);
          j += escape ? escape[0].length : 2;
        } else j++;
      }
      tokens.push(c === '"' ? "STRING" : "CHAR");
      i = j + 1;
    } else if (/[A-Za-z_$]/.test(c)) {
      const word = /[A-Za-z_$][\w$]*/y;
      word.lastIndex = i;
      const name = word.exec(text)![0];
      tokens.push(keywords.has(name) ? name : "ID");
      i += name.length;
    } else if (/\d/.test(c)) {
      const number = /\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?[LlDdFf]?/y;
      number.lastIndex = i;
      tokens.push("NUMBER");
      i += number.exec(text)![0].length;
    } else {
      if (/[^\x21-\x7e]/.test(c)) problems.push(`stray U+${c.charCodeAt(0).toString(16).padStart(4, "0")} outside a literal or comment`);
      tokens.push(c);
      i++;
    }
  }
  return { problems, top: tokens.filter((t) => t === "class" || t === "import" || t === "package"), statements: tokens };
}

export const javaShapes = (sources: string[]): CodeShape[] => sources.map(javaShape);
