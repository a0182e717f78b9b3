// The headless runner: `scenario run FILE [--duration S] [--json]`, `scenario validate FILE` and
// `scenario asyncapi FILE`, `scenario from-asyncapi FILE` and `scenario diff RUN_A RUN_B`.
// Exit codes: 0 ran, 2 invalid scenario (nothing touched), 3 stack unavailable.
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parse, stringify } from "yaml";
import { scenarioToAsyncApiYaml } from "../../lib/asyncapi/export";
import { asyncApiToScenario } from "../../lib/asyncapi/import";
import { AppError } from "../../lib/errors";
import { runReportHtml } from "../../lib/runs/html-report";
import { formatRunDiff } from "../../lib/runs/run-diff";
import { formatProblems, parseScenarioText } from "../../lib/scenario/validate";
import { ConfigError, loadConfig } from "../config";
import { createKafkaAdmin, createRabbitAdmin } from "../brokers";
import { engineContextFrom } from "../engine/context";
import { createEngine } from "../engine/engine";
import { createRunRecorder } from "../runs/recorder";
import { runStoreFromConfig } from "../runs/store";
import { RunError } from "../engine/run";
import { formatReport } from "./format-report";

const usage = `usage:
  npm run scenario -- run FILE [--duration SECONDS] [--json] [--keep-resources] [--limit SECONDS] [--report FILE.html]
  npm run scenario -- validate FILE
  npm run scenario -- asyncapi FILE      (the scenario as an AsyncAPI 3.0 document, YAML)
  npm run scenario -- from-asyncapi FILE (an AsyncAPI 3.0 document as a scenario skeleton, YAML)
  npm run scenario -- diff RUN_A RUN_B   (what differs between two runs of the run history)`;

const fail = (code: number, message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(code);
};

function readScenario(file: string | undefined) {
  if (!file) return fail(2, `missing FILE\n${usage}`);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return fail(2, `cannot read ${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  const result = parseScenarioText(text);
  if (!result.ok) return fail(2, `${file} is not a valid scenario:\n${formatProblems(result.problems).replace(/^/gm, "  ")}`);
  return result.scenario;
}

/** The engine's own refusals before anything is touched (a broker outside the allowlist) exit 2 like other invalid scenarios. */
function createOrExit<T>(create: () => T, file: string): T {
  try {
    return create();
  } catch (error) {
    if (error instanceof AppError && error.code === "INVALID_INPUT") return fail(2, `${file} is not a valid scenario:\n${formatProblems(error.problems ?? [{ path: "", message: error.message }]).replace(/^/gm, "  ")}`);
    throw error;
  }
}

/** Prints the scenario skeleton an AsyncAPI document describes; exit 2 naming where the document is wrong. */
function importAsyncApi(file: string | undefined) {
  if (!file) return fail(2, `missing FILE\n${usage}`);
  let document: unknown;
  try {
    document = parse(readFileSync(file, "utf8"));
  } catch (error) {
    return fail(2, `cannot read ${file} as YAML or JSON: ${(error as Error).message}`);
  }
  const result = asyncApiToScenario(document);
  if (!result.ok) return fail(2, `${file} is not an AsyncAPI 3 document Brokerlab can run:\n${formatProblems(result.problems).replace(/^/gm, "  ")}`);
  process.stdout.write(stringify(result.scenario, { lineWidth: 0 }));
}

function configOrExit() {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) return fail(2, error.message);
    throw error;
  }
}

/** Prints what differs between two stored runs; exit 2 naming a run id the store does not have. */
function diffRuns(ids: string[]) {
  if (ids.length !== 2) return fail(2, `diff takes two run ids, got ${ids.length}\n${usage}`);
  const config = configOrExit();
  const store = runStoreFromConfig(config);
  if (!store) return fail(2, "the run store is off (BROKERLAB_RUN_STORE_MB=0); there are no runs to compare");
  try {
    const [a, b] = ids.map((id) => store.get(id) ?? fail(2, `no run "${id}" in the run history; list runs on the /runs page or GET /api/runs`));
    process.stdout.write(formatRunDiff(a!, b!));
  } finally {
    store.close();
  }
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      duration: { type: "string" },
      limit: { type: "string" },
      json: { type: "boolean", default: false },
      report: { type: "string" },
      "keep-resources": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [command, file] = positionals;
  if (values.help || !command) return fail(command ? 0 : 2, usage);
  if (command === "from-asyncapi") return importAsyncApi(file);
  if (command === "diff") return diffRuns(positionals.slice(1));
  if (command !== "run" && command !== "validate" && command !== "asyncapi") return fail(2, `unknown command "${command}"\n${usage}`);
  const scenario = readScenario(file);
  if (command === "asyncapi") return void process.stdout.write(scenarioToAsyncApiYaml(scenario));
  if (command === "validate") {
    const producers = scenario.services.reduce((n, s) => n + s.producers.length, 0);
    const consumers = scenario.services.reduce((n, s) => n + s.consumers.length, 0);
    process.stdout.write(`${file}: valid scenario "${scenario.name}" (${scenario.services.length} services, ${producers} producers, ${consumers} consumers)\n`);
    return;
  }
  const seconds = (flag: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    return Number.isFinite(n) && n > 0 && n <= 86_400 ? n * 1000 : fail(2, `--${flag} must be a number of seconds between 0 and 86400, got "${value}"`);
  };
  const durationMs = seconds("duration", values.duration);
  const limitMs = seconds("limit", values.limit);
  const config = configOrExit();
  const log = (line: string) => process.stderr.write(`[brokerlab] ${line}\n`);
  // The run is saved in the run store either way (the history page and `diff` read it).
  const store = runStoreFromConfig(config);
  const reportFile = values.report;
  if (reportFile !== undefined && !reportFile.endsWith(".html")) return fail(2, `--report must name an .html file, got "${reportFile}"`);
  if (reportFile !== undefined && !store) return fail(2, "--report draws its charts from the run store, which BROKERLAB_RUN_STORE_MB=0 turns off; set it above 0");
  const recorder = store ? createRunRecorder(store, (message, error) => log(`${message}${error ? `: ${String(error)}` : ""}`)) : undefined;
  const engine = createEngine(engineContextFrom(config, { createRabbitAdmin, createKafkaAdmin }), { recorder });
  const run = createOrExit(() => engine.create(scenario, { durationMs, limitMs, keepResources: values["keep-resources"], recordAs: { origin: "headless" } }), file!);
  run.events.on("log", log);
  run.events.on("status", (status) => log(`run ${run.id}: ${status}`));
  const interrupt = () => {
    log("interrupted: stopping the run and writing its report…");
    void run.stop("interrupted");
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  try {
    await run.start();
  } catch (error) {
    if (error instanceof RunError && error.code === "BROKER_UNAVAILABLE") return fail(3, `stack unavailable: ${error.message}`);
    if (error instanceof RunError && (error.code === "CONFLICT" || error.code === "INVALID_INPUT")) return fail(2, `the brokers refused the scenario: ${error.message}`);
    return fail(1, `the run failed to start: ${(error as Error).message}`);
  }
  log(durationMs ? `running for ${durationMs / 1000} s…` : "running until every producer is done and every consumer has drained…");
  const report = await run.done();
  if (recorder && store) {
    await recorder.settled();
    const stored = store.get(run.id);
    if (reportFile && stored) {
      writeFileSync(reportFile, runReportHtml(stored, store.frames(run.id)));
      log(`HTML report written to ${reportFile}`);
    }
    store.close();
    log(`saved in the run history as ${run.id}`);
  }
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(formatReport(report));
  process.exit(0);
}

main().catch((error) => fail(1, `unexpected error: ${(error as Error).stack ?? String(error)}`));
