// The statement structure of generated programs, read by the languages' own parsers: the
// TypeScript compiler API, and Python's ast module in one python3 process per batch. Two programs
// with the same shape run the same statements; text in a literal or comment cannot add any.
import { spawnSync } from "node:child_process";
import ts from "typescript";

export type CodeShape = { problems: string[]; top: string[]; statements: string[] };

/** Raw characters generated code must never hold (they end lines or hide what the code does). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const unsafeCharacter = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The source as it is once saved to a file (UTF-8). */
const asSaved = (source: string) => Buffer.from(source, "utf8").toString("utf8");

/** Statement kinds depth-first, each with its nesting depth ("2:IfStatement"). */
function statementsOf(file: ts.SourceFile): string[] {
  const statements: string[] = [];
  const visit = (node: ts.Node, depth: number) => {
    const statement = ts.isStatement(node) || ts.isFunctionDeclaration(node) || ts.isImportDeclaration(node);
    if (statement) statements.push(`${depth}:${ts.SyntaxKind[node.kind]}`);
    ts.forEachChild(node, (child) => visit(child, statement ? depth + 1 : depth));
  };
  file.statements.forEach((node) => visit(node, 0));
  return statements;
}

/** The shapes of many TypeScript programs: one in-memory program, syntax only (no libraries, no imports). */
export function tsShapes(sources: string[]): CodeShape[] {
  const files = new Map(sources.map((source, i) => [`program-${i}.ts`, ts.createSourceFile(`program-${i}.ts`, asSaved(source), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS)]));
  const options: ts.CompilerOptions = { noLib: true, noResolve: true, types: [], target: ts.ScriptTarget.ES2022 };
  const host = ts.createCompilerHost(options);
  host.getSourceFile = (name) => files.get(name);
  const program = ts.createProgram([...files.keys()], options, host);
  return [...files.values()].map((file) => ({
    problems: program.getSyntacticDiagnostics(file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")),
    top: file.statements.map((node) => ts.SyntaxKind[node.kind]),
    statements: statementsOf(file),
  }));
}

const pythonShapes = `
import ast, base64, json, sys

def shape(source):
    try:
        tree = ast.parse(source)
    except Exception as error:  # SyntaxError, or ValueError for a NUL byte
        return {"problems": [f"{type(error).__name__}: {error}"], "top": [], "statements": []}
    statements = []
    def walk(node, depth):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                statements.append(f"{depth}:{type(child).__name__}")
                walk(child, depth + 1)
            else:
                walk(child, depth)
    walk(tree, 0)
    return {"problems": [], "top": [type(node).__name__ for node in tree.body], "statements": statements}

json.dump([shape(base64.b64decode(item)) for item in json.load(sys.stdin)], sys.stdout)
`;

/** The shapes of many Python programs, parsed as the UTF-8 files they would be saved as. */
export function pyShapes(sources: string[]): CodeShape[] {
  const input = JSON.stringify(sources.map((source) => Buffer.from(source, "utf8").toString("base64")));
  const result = spawnSync("python3", ["-c", pythonShapes], { input, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as CodeShape[];
}
