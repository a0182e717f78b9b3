// Hostile text for the code generators: strings that end lines, literals, comments and docstrings
// in TypeScript, Python or Java, and a way to put them into every string of a scenario the schema allows.
import { patternKinds } from "../../../lib/codegen/pattern-plan";
import type { CodegenSelection } from "../../../lib/codegen/plan";
import type { Scenario } from "../../../lib/scenario/schema";
import { validateScenario } from "../../../lib/scenario/validate";

/**
 * Each is appended to a string of the scenario. None holds `{{`: that would make it a placeholder,
 * which validation refuses unless it names one.
 */
export const nastyStrings: Record<string, string> = {
  "line separators and braces": "\u2028}}}console.log('ran');\u2029",
  "a Python statement after a newline": '\n__import__("os").system("x")\n',
  "quotes of every kind": `"'\`""" ''' \\" \\' \\\``,
  "comment and literal closers": "*/ /* // # --> ${x} ${ } } { \\",
  "carriage returns and other line breaks": "a\rb\r\nc\u0085d\u000be\u000cf\u001cg\u001dh\u001ei",
  "NUL and other control characters": "\u0000\u0001\u0007\u001b[31m\u007f\u009b",
  "lone surrogates": "\ud800 x \udfff y \udbff",
  "unicode and bidirectional overrides": "注文 ✓ 🐇 \u202eevil\u202c \u2066\u2069 \ufeff\u200b",
  "a trailing backslash": "ends with \\",
  // javac translates \uXXXX before anything else, in comments and literals alike.
  "Java unicode escapes": "\\u000a System.exit(1); \\u0022; \\\\u000d \\u002a/ \\uuu000A",
  "a very long string": `${"long ".repeat(2000)}\n__import__("os").system("x")`,
};

/** What a harmless string looks like in the same places. */
export const benignSuffix = "-x";

/** Every distinct string of a document, values and object keys alike. */
function stringsIn(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === "string") out.add(value);
  else if (Array.isArray(value)) value.forEach((item) => stringsIn(item, out));
  else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      out.add(key);
      stringsIn(item, out);
    }
  }
  return out;
}

/** The document with every occurrence of `from` (value or key) replaced, so references stay consistent. */
function replaced(value: unknown, from: string, to: string): unknown {
  if (typeof value === "string") return value === from ? to : value;
  if (Array.isArray(value)) return value.map((item) => replaced(item, from, to));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key === from ? to : key, replaced(item, from, to)]));
  return value;
}

export interface NastyPair {
  nasty: Scenario;
  benign: Scenario;
  /** The strings of the document that now carry the nasty text. */
  changed: string[];
}

/**
 * Appends `nasty` to every string of the document whose field the schema lets hold it (one string
 * at a time, kept when the scenario still validates), and `benignSuffix` to the same strings.
 */
export function withNastyText(input: Record<string, unknown>, nasty: string): NastyPair {
  let current: unknown = input;
  const changed: string[] = [];
  for (const text of [...stringsIn(input)].sort()) {
    const attempt = replaced(current, text, text + nasty);
    if (validateScenario(attempt).ok) {
      current = attempt;
      changed.push(text);
    }
  }
  const nastyResult = validateScenario(current);
  const benignResult = validateScenario(changed.reduce<unknown>((doc, text) => replaced(doc, text, text + benignSuffix), input));
  if (!nastyResult.ok || !benignResult.ok) throw new Error("the benign twin of a valid nasty scenario must validate too");
  return { nasty: nastyResult.scenario, benign: benignResult.scenario, changed };
}

/** Every producer, consumer and pattern part of a scenario, as the code view selects them. */
export function everySelection(scenario: Scenario): [string, CodegenSelection][] {
  const out: [string, CodegenSelection][] = [];
  for (const service of scenario.services) {
    for (const producer of service.producers) out.push([`${service.name}/${producer.name}`, { service: service.name, producer: producer.name }]);
    for (const consumer of service.consumers) out.push([`${service.name}/${consumer.name}`, { service: service.name, consumer: consumer.name }]);
    for (const kind of patternKinds) {
      const value = (service as Record<string, unknown>)[kind];
      if (value === undefined) continue;
      const names = Array.isArray(value) ? (value as { name: string }[]).map((part) => part.name) : [undefined];
      for (const name of names) out.push([`${service.name}/${kind}${name ? `/${name}` : ""}`, { service: service.name, pattern: { kind, ...(name ? { name } : {}) } }]);
    }
  }
  return out;
}
