// A class over socket.io on the real RabbitMQ, built as the server builds it (engineContextFrom with
// BROKERLAB_MODE=classroom): two learners join and start one scenario with the same queue name at
// once; both runs consume every message in their learners' vhosts, as the learners' users, and
// the learner's password reaches no socket (frames, reports, statuses, the scenario shown).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import type { RunReport } from "../../../lib/run/model";
import { createKafkaAdmin, createRabbitAdmin } from "../../../server/brokers";
import { createManagementClient } from "../../../server/brokers/rabbitmq/management";
import { createClassroom } from "../../../server/classroom";
import { loadConfig } from "../../../server/config";
import { engineContextFrom } from "../../../server/engine/context";
import { createEngine } from "../../../server/engine/engine";
import { createTokenAuth } from "../../../server/http/auth";
import { unique } from "../../support/engine";
import { call, startSocketServer, type Client } from "../../support/socket-server";
import { waitFor } from "../../support/wait-for";

const token = "classroom-teacher-token-t18a";
const classCode = "VHOST-TEST";
const dataDir = mkdtempSync(path.join(tmpdir(), "brokerlab-classroom-vhosts-"));
const config = { ...loadConfig(), BROKERLAB_MODE: "classroom" as const, BROKERLAB_DATA_DIR: path.join(dataDir, "runs") };
const engine = createEngine(engineContextFrom(config, { createRabbitAdmin, createKafkaAdmin }));
const classroom = createClassroom({ mode: "classroom", auth: createTokenAuth(token), dataDir: config.BROKERLAB_DATA_DIR, classCode });
let server: Awaited<ReturnType<typeof startSocketServer>>;

before(async () => {
  server = await startSocketServer(engine, { auth: createTokenAuth(token), classroom });
});

after(async () => {
  await engine.shutdown();
  await server?.close();
  await classroom.flush();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Joins the class and opens a socket with the session; everything the socket receives is kept as text. */
async function learnerSocket(name: string): Promise<{ learnerId: string; socket: Client; received: string[] }> {
  const { body, cookie } = await server.joinClass(classCode, name);
  const received: string[] = [];
  const socket = await server.connectWith({ cookie }, (fresh) => fresh.onAny((event: string, payload: unknown) => received.push(`${event} ${JSON.stringify(payload)}`)));
  return { learnerId: body.data!.learnerId, socket, received };
}

test("two learners' runs on one queue name at once, each in its learner's vhost as its learner's user; no password on the socket", { timeout: 150_000 }, async () => {
  assert(engine.context.learnerBrokers, "classroom mode gives the engine the learners' brokers");
  const [ada, bob] = [await learnerSocket("Ada"), await learnerSocket("Bob")];
  const queue = unique("class-jobs");
  const scenario = `
version: 1
name: classroom-vhosts
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue} } ] } }
services:
  - name: api
    producers: [ { name: jobs, broker: rabbit, to: { queue: ${queue} }, rate: { perSecond: 5 }, count: 60 } ]
  - name: worker
    consumers: [ { name: jobs, broker: rabbit, from: { queue: ${queue} } } ]
`;
  const reports = [ada, bob].map(({ socket }) => new Promise<RunReport>((resolve) => socket.on("run:report", resolve)));
  const started = await Promise.all([ada, bob].map(({ socket }) => call<{ runId: string }>(socket, "run:start", { scenario })));
  for (const answer of started) assert("data" in answer, JSON.stringify(answer));
  const runIds = started.map((answer) => ("data" in answer ? answer.data.runId : ""));

  // The producers take 12 s: both runs are looked at while they run (the management API lists a
  // connection within its statistics interval, 5 s).
  await Promise.all([ada, bob].map(async (learner, index) => {
    const vhost = `brokerlab-learner-${learner.learnerId}`;
    const users = await waitFor(async () => {
      const mine = (await createManagementClient({ managementUrl: config.RABBITMQ_MANAGEMENT_URL, vhost }).connections()).filter((c) => c.clientName?.includes(runIds[index]!));
      return mine.length >= 2 ? mine : undefined;
    }, { timeoutMs: 30_000, description: () => `${learner.learnerId}'s services connected in ${vhost}` });
    assert.deepEqual([...new Set(users.map((c) => c.user))], [vhost]);
  }));

  const [reportA, reportB] = await Promise.all(reports);
  for (const report of [reportA!, reportB!]) {
    assert.equal(report.consumers["worker/jobs"]?.acked, 60, `every job of this learner's run, none of the other's: ${report.errors.join("; ")}`);
    assert.equal(report.ledger.lost, 0);
  }

  // The scenario as the owner sees it, then everything either socket received: no password.
  const shown = await call<{ scenario: unknown }>(ada.socket, "run:subscribe", { runId: runIds[0] });
  assert("data" in shown, JSON.stringify(shown));
  for (const [index, learner] of [ada, bob].entries()) {
    const run = engine.get(runIds[index]!)!;
    const facing = await engine.context.learnerBrokers.ensure(learner.learnerId, run.brokers(), run.scenario);
    const password = decodeURIComponent(new URL((facing.rabbit as { url: string }).url).password);
    assert(password.length >= 24);
    for (const socketText of [ada.received.join("\n"), bob.received.join("\n"), JSON.stringify(shown)]) assert(!socketText.includes(password), "a learner's password on a socket");
  }
  assert(ada.received.some((line) => line.startsWith("run:frame")), "frames reached the learner");
});
