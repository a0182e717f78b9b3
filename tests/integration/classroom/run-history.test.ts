// A learner's own run history in classroom mode, on the real engine and RabbitMQ: two learners each
// start a run over their socket; the run store records each run's owner, GET /api/runs answers each
// learner only their run and the teacher both, and every route on one run (read, frames, rename,
// pin, delete) refuses the other learner with FORBIDDEN, as the classroom's run commands do.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { StoredRun, StoredRunSummary } from "../../../lib/runs/history";
import { createKafkaAdmin, createRabbitAdmin } from "../../../server/brokers";
import { createClassroom } from "../../../server/classroom";
import { loadConfig } from "../../../server/config";
import { engineContextFrom } from "../../../server/engine/context";
import { createEngine } from "../../../server/engine/engine";
import { createTokenAuth } from "../../../server/http/auth";
import { createRunRecorder } from "../../../server/runs/recorder";
import { openRunStore } from "../../../server/runs/store";
import { unique } from "../../support/engine";
import { call, startSocketServer, type Client } from "../../support/socket-server";
import { waitFor } from "../../support/wait-for";

const token = "classroom-history-teacher-token";
const classCode = "HIST-CODE";
const dataDir = mkdtempSync(path.join(tmpdir(), "brokerlab-classroom-runs-"));
const store = openRunStore(path.join(dataDir, "runs.sqlite"), { maxBytes: 50_000_000 });
const recorder = createRunRecorder(store, () => {});
const engine = createEngine(engineContextFrom({ ...loadConfig(), BROKERLAB_DATA_DIR: path.join(dataDir, "runs") }, { createRabbitAdmin, createKafkaAdmin }), { recorder });
const auth = createTokenAuth(token);
const classroom = createClassroom({ mode: "classroom", auth, dataDir: path.join(dataDir, "runs"), classCode });
let server: Awaited<ReturnType<typeof startSocketServer>>;

before(async () => {
  server = await startSocketServer(engine, { auth, classroom, runStore: store });
});

after(async () => {
  await engine.shutdown();
  await recorder.settled();
  await server?.close();
  await classroom.flush();
  store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function join(name: string): Promise<{ learnerId: string; cookie: string }> {
  const { response, body, cookie } = await server.joinClass(classCode, name);
  assert.equal(response.status, 200, await response.text());
  return { learnerId: body.data!.learnerId, cookie };
}

const socketWith = (headers: Record<string, string>) => server.connectWith(headers);

async function api<T>(headers: Record<string, string>, method: string, pathname: string, body?: unknown) {
  const response = await fetch(`${server.base}${pathname}`, { method, headers: { ...headers, ...(body ? { "content-type": "application/json" } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: response.status, body: (await response.json()) as { data?: T; error?: { code: string; message: string } } };
}

/** A short real run on RabbitMQ started over the learner's socket; resolves with its id once recorded to the end. */
async function runAs(socket: Client): Promise<string> {
  const queue = unique("class-history");
  const scenario = `
version: 1
name: ${queue}
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue} } ] } }
services:
  - name: order-service
    producers: [ { name: new-orders, broker: rabbit, to: { queue: ${queue} }, rate: { perSecond: 20 }, count: 40 } ]
  - name: inventory-service
    consumers: [ { name: update-stock, broker: rabbit, from: { queue: ${queue} } } ]
`;
  const started = await call<{ runId: string }>(socket, "run:start", { scenario, durationSeconds: 4 });
  assert.ok("data" in started, JSON.stringify(started));
  const { runId } = started.data;
  await waitFor(() => store.get(runId)?.report !== undefined, { timeoutMs: 90_000, description: () => `run ${runId} to be recorded to its report (status ${store.get(runId)?.status})` });
  return runId;
}

describe("a learner's run history in classroom mode", { timeout: 240_000 }, () => {
  it("records each run's owner; each learner lists and opens only their own runs, the teacher all", async () => {
    const ada = await join("Ada");
    const bob = await join("Bob");
    const asAda = { cookie: ada.cookie };
    const asBob = { cookie: bob.cookie };
    const asTeacher = { authorization: `Bearer ${token}` };
    const [adaRun, bobRun] = await Promise.all([runAs(await socketWith(asAda)), runAs(await socketWith(asBob))]);
    assert.equal(store.get(adaRun)?.owner, ada.learnerId);
    assert.equal(store.get(bobRun)?.owner, bob.learnerId);

    const listed = async (headers: Record<string, string>) => {
      const answer = await api<{ runs: StoredRunSummary[] }>(headers, "GET", "/api/runs");
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return answer.body.data!.runs.map((run) => run.runId).sort();
    };
    assert.deepEqual(await listed(asAda), [adaRun]);
    assert.deepEqual(await listed(asBob), [bobRun]);
    assert.deepEqual(await listed(asTeacher), [adaRun, bobRun].sort());

    const own = await api<StoredRun>(asAda, "GET", `/api/runs/${adaRun}`);
    assert.equal(own.status, 200);
    assert.ok((own.body.data?.report?.ledger.confirmed ?? 0) > 0, "Ada's run confirmed messages on RabbitMQ");
    assert.equal((await api(asAda, "PATCH", `/api/runs/${adaRun}`, { title: "mine", pinned: true })).status, 200);

    // Every route on Bob's run, as Ada: refused, and Bob's run is unchanged.
    const refusals: [string, string, unknown?][] = [
      ["GET", `/api/runs/${bobRun}`], ["GET", `/api/runs/${bobRun}/frames`],
      ["PATCH", `/api/runs/${bobRun}`, { title: "taken" }], ["PATCH", `/api/runs/${bobRun}`, { pinned: true }], ["DELETE", `/api/runs/${bobRun}`],
    ];
    for (const [method, pathname, body] of refusals) {
      const answer = await api(asAda, method, pathname, body);
      assert.equal(answer.status, 403, `${method} ${pathname}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.error?.code, "FORBIDDEN");
      assert.match(answer.body.error!.message, /not yours/);
    }
    const bobs = store.get(bobRun)!;
    assert.equal(bobs.title, undefined);
    assert.equal(bobs.pinned, false);

    // The teacher reads, renames and deletes any learner's run.
    assert.equal((await api(asTeacher, "GET", `/api/runs/${bobRun}/frames`)).status, 200);
    assert.equal((await api(asTeacher, "PATCH", `/api/runs/${bobRun}`, { title: "Bob's first" })).status, 200);
    assert.equal(store.get(bobRun)?.title, "Bob's first");
    assert.equal((await api(asTeacher, "DELETE", `/api/runs/${bobRun}`)).status, 200);
    assert.deepEqual(await listed(asBob), []);
  });
});
