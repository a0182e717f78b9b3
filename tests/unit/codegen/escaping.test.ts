// Generated code is escaped: hostile text in any string of a scenario the schema accepts (names,
// routing keys, headers, payloads, job names, event types…) stays inside a literal or a comment.
// Every program of every producer, consumer and pattern part, in every language, must parse
// without a problem and run exactly the statements it runs for a harmless string.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { javaComment, javaQuote, pyDocstring, pyFStringText, pyQuote, tsQuote, tsTemplateText } from "../../../lib/codegen/escape";
import { generateJava } from "../../../lib/codegen/java";
import { patternKinds } from "../../../lib/codegen/pattern-plan";
import { CodegenError } from "../../../lib/codegen/plan";
import type { CodegenSelection, GeneratedCode } from "../../../lib/codegen/plan";
import { generatePython } from "../../../lib/codegen/python";
import { generateTypeScript } from "../../../lib/codegen/typescript";
import type { Scenario } from "../../../lib/scenario/schema";
import { pyShapes, tsShapes, unsafeCharacter } from "./code-shape";
import type { CodeShape } from "./code-shape";
import { javaShapes } from "./java-shape";
import { awsInput } from "./aws-fixtures";
import { everyFieldInput, patternVariantInput, scenario, variantInput } from "./fixtures";
import { everySelection, nastyStrings, withNastyText } from "./nasty-input";

const examplesDir = path.resolve(__dirname, "../../../examples");
const inputs: [string, Record<string, unknown>][] = [
  ...readdirSync(examplesDir).filter((f) => f.endsWith(".yaml")).sort().map((f): [string, Record<string, unknown>] => [f, parse(readFileSync(path.join(examplesDir, f), "utf8"))]),
  ["variant", variantInput()],
  ["pattern variant", patternVariantInput()],
  ["every field", everyFieldInput()],
  ["aws", awsInput()],
];
const generators = { typescript: generateTypeScript, python: generatePython, java: generateJava } as const;
type Language = keyof typeof generators;

interface Case { where: string; language: Language; nasty: string; benign: string }

/** The program's source, or undefined when the generator refuses the part with a CodegenError. */
function refusedOrSource(generate: () => GeneratedCode): string | undefined {
  try {
    return generate().source;
  } catch (error) {
    if (error instanceof CodegenError) return undefined;
    throw error;
  }
}

function cases(nasty: string): { all: Case[]; changed: Set<string> } {
  const all: Case[] = [];
  const changed = new Set<string>();
  for (const [name, input] of inputs) {
    const pair = withNastyText(input, nasty);
    pair.changed.forEach((text) => changed.add(text));
    for (const [part, selection] of everySelection(pair.nasty)) {
      for (const language of Object.keys(generators) as Language[]) {
        const generate = generators[language];
        const benign = refusedOrSource(() => generate(pair.benign, selection));
        // Java covers RabbitMQ and Kafka producers and consumers: it refuses the rest, for both twins alike.
        if (benign === undefined) continue;
        all.push({ where: `${name}: ${part} (${language})`, language, nasty: generate(pair.nasty, selection).source, benign });
      }
    }
  }
  return { all, changed };
}

/** What is wrong with the nasty program, measured against its benign twin; empty when nothing is. */
function differences(c: Case, nasty: CodeShape, benign: CodeShape): string[] {
  const out: string[] = [];
  const raw = unsafeCharacter.exec(c.nasty);
  if (raw) out.push(`holds a raw U+${raw[0].charCodeAt(0).toString(16).padStart(4, "0")}`);
  if (benign.problems.length > 0) out.push(`the benign program does not parse: ${benign.problems.join("; ")}`);
  if (nasty.problems.length > 0) out.push(`does not parse: ${nasty.problems.slice(0, 3).join("; ")}`);
  else if (nasty.top.join() !== benign.top.join()) out.push(`other top-level statements: ${nasty.top.length} instead of ${benign.top.length}`);
  else if (nasty.statements.join() !== benign.statements.join()) out.push(`other statements: ${nasty.statements.length} instead of ${benign.statements.length}`);
  return out.map((problem) => `${c.where}: ${problem}`);
}

/** The problems of each affected program. */
function check(all: Case[]): string[][] {
  const shapes = new Map<Case, [CodeShape, CodeShape]>();
  for (const [language, parse] of [["typescript", tsShapes], ["python", pyShapes], ["java", javaShapes]] as const) {
    const some = all.filter((c) => c.language === language);
    const results = parse(some.flatMap((c) => [c.nasty, c.benign]));
    some.forEach((c, i) => shapes.set(c, [results[2 * i]!, results[2 * i + 1]!]));
  }
  return all.map((c) => differences(c, ...shapes.get(c)!)).filter((problems) => problems.length > 0);
}

const pythonRoundTrip = `
import ast, json, sys
wrong = []
for text, literal, fstring, docstring in json.load(sys.stdin):
    for kind, source in (("literal", literal), ("f-string", 'f"' + fstring + '"'), ("docstring", docstring)):
        value = ast.literal_eval(source) if kind != "f-string" else eval(compile(ast.parse(source, mode="eval"), "<f>", "eval"))
        if value != text:
            wrong.append(f"{kind} of {text!r} gave {value!r}")
json.dump(wrong, sys.stdout)
`;

const javaMissing = spawnSync("java", ["-version"], { stdio: "ignore" }).error ? "java is not on the PATH" : false;

describe("the escaping functions give back exactly the text", () => {
  const texts = [...Object.values(nastyStrings), "", "plain", "{}", "{{", "}}", "${a}", "`", "\\", '"""', "x\\", "\\u000a", "\\\\u000a", "\u0000" + "1", "\u00007"];

  it("TypeScript: a string literal and a template literal", () => {
    for (const text of texts) {
      assert.equal(JSON.parse(tsQuote(text)), text, "a TypeScript string literal is also a JSON string");
      assert.equal(new Function(`return \`${tsTemplateText(text)}\`;`)(), text);
    }
  });

  it("Java: a string literal and a comment, as javac reads them", { skip: javaMissing }, () => {
    const dir = mkdtempSync(path.join(tmpdir(), "brokerlab-java-escape-"));
    try {
      const file = path.join(dir, "Check.java");
      const body = texts.map((text) => `        ${javaComment(text)}\n        comments++;\n        hex(${javaQuote(text)});`).join("\n");
      writeFileSync(file, `public class Check {\n    static void hex(String s) {\n        StringBuilder b = new StringBuilder("=");\n        for (char c : s.toCharArray()) b.append(String.format("%04x", (int) c));\n        System.out.println(b);\n    }\n    public static void main(String[] args) {\n        int comments = 0;\n${body}\n        System.out.println("comments " + comments);\n    }\n}\n`);
      const result = spawnSync("java", ["-Dfile.encoding=UTF-8", file], { encoding: "utf8" });
      assert.equal(result.status, 0, result.stderr);
      const codeUnits = (text: string) => `=${[...Array(text.length).keys()].map((i) => text.charCodeAt(i).toString(16).padStart(4, "0")).join("")}`;
      assert.deepEqual(result.stdout.trim().split("\n"), [...texts.map(codeUnits), `comments ${texts.length}`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("Python: a string literal, f-string text and a docstring", () => {
    const input = JSON.stringify(texts.map((text) => [text, pyQuote(text), pyFStringText(text), pyDocstring(text)]));
    const result = spawnSync("python3", ["-c", pythonRoundTrip], { input, encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), []);
  });
});

describe("generated code keeps hostile scenario text inside literals and comments", () => {
  it("reaches every generator: producers and consumers on both brokers and every pattern part", () => {
    const selections = inputs.flatMap(([, input]) => everySelection(scenario(input)));
    const kinds = new Set(selections.map(([, s]) => s.pattern?.kind ?? (s.producer ? "producer" : "consumer")));
    assert.deepEqual([...kinds].sort(), ["consumer", "producer", ...patternKinds].sort());
  });

  for (const [label, nasty] of Object.entries(nastyStrings)) {
    it(`${label}: every program parses and runs the same statements as with a harmless string`, () => {
      const { all, changed } = cases(nasty);
      // Free text the schema takes as it is, so these must have carried the nasty text.
      // "created" is an SNS message attribute of the aws fixture.
      for (const text of ["poison value", "odd value", "acme corp", "forwarded text", "created"]) assert.ok(changed.has(text), `"${text}" was not changed`);
      assert.ok(all.filter((c) => c.language === "java").length >= 20, "Java programs of the examples' producers and consumers are checked");
      const affected = check(all);
      assert.deepEqual(affected.flat().slice(0, 20), [], `${affected.length} of ${all.length} programs are affected`);
    });
  }

  it("the reported exploits: a dead-letter exchange named to break out of a comment, in every language", () => {
    const breakouts = ["dlx\u2028}}}console.log('ran');\u2028//", 'dlx\n__import__("os").system("echo ran")\n#'];
    const selection: CodegenSelection = { service: "s", consumer: "c" };
    const document = (dlx: string) => scenario({
      version: 1, name: "breakout", brokers: { rabbit: { kind: "rabbitmq" } },
      resources: { rabbit: { exchanges: [{ name: dlx, type: "fanout" }], queues: [{ name: "q", deadLetter: { exchange: dlx } }] } },
      services: [{ name: "s", consumers: [{ name: "c", broker: "rabbit", from: { queue: "q" }, onError: "dead-letter" }] }],
    });
    const all: Case[] = breakouts.flatMap((dlx) => (Object.keys(generators) as Language[]).map((language) => {
      const generate = (doc: Scenario): GeneratedCode => generators[language](doc, selection);
      return { where: `${language} with ${JSON.stringify(dlx)}`, language, nasty: generate(document(dlx)).source, benign: generate(document("dlx")).source };
    }));
    assert.deepEqual(check(all).flat(), []);
  });
});
