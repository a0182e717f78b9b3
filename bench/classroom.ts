// `npm run bench:classroom [-- --learners=5,10,20] [--seconds=30] [--rate=10] [--stagger-ms=3000]`: the capacity of one
// Brokerlab server in classroom mode. For each class size N, a fresh server (bench/classroom-host.ts)
// and N simulated learners, each joined over HTTP with a socket.io session, each running a lesson-like
// RabbitMQ scenario (a producer at a modest rate and a consumer) and watching its frames. Measures the
// server's event-loop delay (p50/p99), its RSS and CPU, and the learners' service processes, and
// writes bench/results/classroom-latest.md with the largest N whose lag p99 stays under 100 ms.
import { fork } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { io as connect, type Socket } from "socket.io-client";
import type { AckResponse } from "../lib/events";
import type { ClassroomHarnessMessage, ClassroomHostMessage } from "./classroom-host";
import { createProcessSampler } from "./lib/proc";
import { benchDir } from "./lib/spawn";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const sizes = (arg("learners") ?? "5,10,20").split(",").map(Number).filter((n) => Number.isInteger(n) && n > 0);
const measureSeconds = Number(arg("seconds") ?? 30);
const ratePerLearner = Number(arg("rate") ?? 10);
// A class does not press Start in the same millisecond: learner i starts i × stagger ms after the first.
const staggerMs = Number(arg("stagger-ms") ?? 3000);
const lagTargetMs = 100;
// A run answers run:start once every service process is up; on a loaded machine that takes a while.
const startTimeoutMs = 240_000;
const token = "bench-classroom-teacher-token";

type Window = Extract<ClassroomHostMessage, { type: "window" }>;
interface Row { learners: number; started: number; startSecondsMax: number; window: Window; servicesCores: number; servicesRssMiB: number; consumed: number; lost: number; load: string }

const scenarioFor = (learner: number) => `
version: 1
name: class-hello-queue
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: jobs } ] } }
services:
  - name: producer
    producers: [ { name: orders, broker: rabbit, to: { queue: jobs }, rate: { perSecond: ${ratePerLearner} }, payload: { learner: ${learner}, n: "{{seq}}" } } ]
  - name: consumer
    consumers: [ { name: work, broker: rabbit, from: { queue: jobs } } ]
`;

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function ask<T>(socket: Socket, event: string, payload: unknown): Promise<AckResponse<T>> {
  return new Promise((resolve) => socket.timeout(startTimeoutMs).emit(event, payload, (timeout: Error | null, answer?: AckResponse<T>) => resolve(timeout || !answer ? { error: { code: "INTERNAL", message: `${event}: no answer in ${startTimeoutMs / 1000} s`, retriable: true } } : answer)));
}

async function learner(base: string, index: number): Promise<{ socket: Socket; runId?: string; error?: string; startSeconds: number; consumed: () => number; lost: () => number }> {
  const joined = await fetch(`${base}/api/classroom/join`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: "BENCH-CLASS", name: `Learner ${index + 1}` }) });
  if (joined.status !== 200) throw new Error(`learner ${index + 1} could not join: ${joined.status} ${await joined.text()}`);
  const cookie = joined.headers.get("set-cookie")!.split(";")[0]!;
  const socket = connect(base, { transports: ["websocket"], forceNew: true, extraHeaders: { cookie }, reconnection: false });
  let ledger = { consumed: 0, lost: 0 };
  socket.on("run:frame", (frame: { ledger: { consumed: number; lost: number } }) => (ledger = frame.ledger));
  await new Promise<void>((resolve, reject) => (socket.once("connect", resolve), socket.once("connect_error", reject)));
  await sleep(index * staggerMs);
  // Each learner's own names, as a lesson page asks (`ownNames`); in a class the broker keeps them apart too.
  const asked = Date.now();
  const started = await ask<{ runId: string }>(socket, "run:start", { scenario: scenarioFor(index), durationSeconds: measureSeconds + 120, ownNames: `lrn${String(index + 1).padStart(3, "0")}` });
  const result = { socket, startSeconds: (Date.now() - asked) / 1000, consumed: () => ledger.consumed, lost: () => ledger.lost };
  return "data" in started ? { ...result, runId: started.data.runId } : { ...result, error: `${started.error.code}: ${started.error.message}` };
}

async function measureClass(learners: number): Promise<Row> {
  const host = fork(path.join(benchDir, "classroom-host.ts"), [], {
    execArgv: ["--import", "tsx"],
    // The engine-wide caps sized for the class: the point is what the machine holds, not the caps.
    env: { ...process.env, NODE_OPTIONS: "", BROKERLAB_TOKEN: token, BROKERLAB_MAX_RUNS: String(learners + 2), BROKERLAB_MAX_SERVICE_PROCESSES: String(2 * learners + 4) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const next = (type: ClassroomHostMessage["type"]) => new Promise<ClassroomHostMessage>((resolve, reject) => {
    const onMessage = (message: ClassroomHostMessage) => message.type === type && (host.off("message", onMessage), resolve(message));
    host.on("message", onMessage);
    host.once("exit", (code) => reject(new Error(`the classroom host exited (${code}) before "${type}"`)));
  });
  const tell = (message: ClassroomHarnessMessage) => host.send(message);
  const listening = (await next("listening")) as Extract<ClassroomHostMessage, { type: "listening" }>;
  const base = `http://127.0.0.1:${listening.port}`;
  const class_ = await Promise.all(Array.from({ length: learners }, (_, i) => learner(base, i)));
  const refused = class_.filter((l) => l.error);
  for (const l of refused) process.stderr.write(`[bench:classroom] a learner's run was refused: ${l.error}\n`);
  // Warm-up: every run's services connect and the rates settle.
  await sleep(10_000);
  const sampler = createProcessSampler(500);
  tell({ type: "measure-start" });
  const from = Date.now();
  const pidsAsked = next("window");
  await sleep(measureSeconds * 1000);
  tell({ type: "measure-stop" });
  const window = (await pidsAsked) as Window;
  // Service processes sampled over the second half of the window (their pids come with it).
  for (const pid of window.servicePids) sampler.track("service", pid, { ownPeak: false });
  await sleep(3_000);
  const usage = sampler.stop({ from, to: Date.now() });
  const load = loadAverage();
  const consumed = class_.reduce((sum, l) => sum + l.consumed(), 0);
  const lost = class_.reduce((sum, l) => sum + l.lost(), 0);
  for (const l of class_) l.socket.disconnect();
  tell({ type: "shutdown" });
  await next("stopped").catch(() => undefined);
  return {
    learners, started: learners - refused.length, startSecondsMax: Math.max(...class_.map((l) => l.startSeconds)), window, consumed, lost, load,
    servicesCores: usage.reduce((sum, u) => sum + u.cores, 0),
    servicesRssMiB: usage.reduce((sum, u) => sum + u.peakRssMiB, 0),
  };
}

function render(rows: Row[], startLoad: string): string {
  const fit = rows.filter((r) => r.window.lagP99Ms < lagTargetMs && r.started === r.learners).map((r) => r.learners);
  const f = (n: number, digits = 1) => n.toFixed(digits);
  return [
    "# Classroom capacity", "",
    `\`npm run bench:classroom -- --learners=${sizes.join(",")} --seconds=${measureSeconds} --rate=${ratePerLearner} --stagger-ms=${staggerMs}\`, ${new Date().toISOString()}.`, "",
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average ${startLoad} at the start.`, "",
    `Each learner joined over HTTP, holds a socket.io session watching its run's frames, and runs a RabbitMQ producer at ${ratePerLearner} msg/s and a consumer (tracing on), the learners pressing Start ${staggerMs / 1000} s apart. Measured over ${measureSeconds} s after a 10 s warm-up.`, "",
    "| Learners | Runs started | Slowest start s | Lag p50 ms | Lag p99 ms | Lag max ms | Server RSS MiB | Server CPU (cores) | Server CPU per learner | Services CPU per learner | Services RSS per learner MiB | Consumed | Lost | Load average after |",
    "| --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --- |",
    ...rows.map((r) => `| ${r.learners} | ${r.started} | ${f(r.startSecondsMax, 0)} | ${f(r.window.lagP50Ms)} | ${f(r.window.lagP99Ms)} | ${f(r.window.lagMaxMs)} | ${r.window.rssMiB} | ${f(r.window.cpuCores, 2)} | ${f(r.window.cpuCores / r.learners, 3)} | ${f(r.servicesCores / r.learners, 3)} | ${f(r.servicesRssMiB / r.learners, 0)} | ${r.consumed} | ${r.lost} | ${r.load} |`),
    "",
    fit.length ? `Largest class measured with lag p99 < ${lagTargetMs} ms and every run started: **${Math.max(...fit)} learners**.` : `No class size measured kept lag p99 < ${lagTargetMs} ms with every run started.`,
    "", "Lag: the server's event-loop delay (perf_hooks.monitorEventLoopDelay, 10 ms resolution). Server RSS and CPU: the Brokerlab process; services: the learners' service processes (two per learner), sampled from /proc.", "",
  ].join("\n");
}

async function main(): Promise<void> {
  const startLoad = loadAverage();
  const rows: Row[] = [];
  for (const learners of sizes) {
    process.stderr.write(`[bench:classroom] ${learners} learners (load average ${loadAverage()})\n`);
    rows.push(await measureClass(learners));
  }
  const markdown = render(rows, startLoad);
  process.stdout.write(`${markdown}\n`);
  writeFileSync(path.join(benchDir, "results", "classroom-latest.md"), markdown);
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error("[bench:classroom]", error);
  process.exit(1);
});
