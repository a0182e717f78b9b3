// Command floods in classroom mode, over socket.io on the real engine and RabbitMQ: one learner's 500
// commands at once are refused past the limit with RATE_LIMITED and when to retry, while another
// learner's commands go through and the flooding learner's running run keeps consuming; the
// classroom's HTTP routes answer 429 with Retry-After the same way.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { AckResponse } from "../../../lib/events";
import { createKafkaAdmin, createRabbitAdmin } from "../../../server/brokers";
import { createClassroom } from "../../../server/classroom";
import { defaultCommandLimit } from "../../../server/classroom/command-limit";
import { loadConfig } from "../../../server/config";
import { engineContextFrom } from "../../../server/engine/context";
import { createEngine } from "../../../server/engine/engine";
import { createTokenAuth } from "../../../server/http/auth";
import { unique } from "../../support/engine";
import { call, startSocketServer } from "../../support/socket-server";
import { waitFor } from "../../support/wait-for";

const classCode = "FLOOD-TEST";
const dataDir = mkdtempSync(path.join(tmpdir(), "brokerlab-flood-"));
const engine = createEngine(engineContextFrom({ ...loadConfig(), BROKERLAB_DATA_DIR: path.join(dataDir, "runs") }, { createRabbitAdmin, createKafkaAdmin }));
const classroom = createClassroom({ mode: "classroom", auth: createTokenAuth("flood-teacher-token-0123"), dataDir: path.join(dataDir, "runs"), classCode });
let server: Awaited<ReturnType<typeof startSocketServer>>;

before(async () => {
  server = await startSocketServer(engine, { auth: createTokenAuth("flood-teacher-token-0123"), classroom });
});

after(async () => {
  await engine.shutdown();
  await server?.close();
  await classroom.flush();
  rmSync(dataDir, { recursive: true, force: true });
});

async function joinAs(name: string): Promise<string> {
  const { response, cookie } = await server.joinClass(classCode, name);
  assert.equal(response.status, 200, await response.text());
  return cookie;
}

const socketWith = (cookie: string) => server.connectWith({ cookie });

const scenarioOn = (queue: string) => `
version: 1
name: classroom-flood
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue} } ] } }
services:
  - name: producer
    producers: [ { name: jobs, broker: rabbit, to: { queue: ${queue} }, rate: { perSecond: 20 }, count: 100000 } ]
  - name: consumer
    consumers: [ { name: work, broker: rabbit, from: { queue: ${queue} } } ]
`;

describe("command floods in classroom mode", { timeout: 150_000 }, () => {
  it("refuses a learner's flood past the limit, while another learner's commands and the flooder's running run carry on", async (t) => {
    const flooder = await socketWith(await joinAs("Flo"));
    const other = await socketWith(await joinAs("Oto"));
    const started = await call<{ runId: string }>(flooder, "run:start", { scenario: scenarioOn(unique("flood-jobs")), durationSeconds: 120 });
    assert.ok("data" in started, JSON.stringify(started));
    const run = engine.get(started.data.runId)!;
    await waitFor(() => run.status() === "running" && run.latestFrame().ledger.consumed > 0, { timeoutMs: 60_000, description: () => `the run to consume (status ${run.status()})` });

    const flood = Array.from({ length: 500 }, () => call(flooder, "run:list", {}));
    // The other learner asks while the flood is on its way: each of their commands goes through.
    const others = await Promise.all(Array.from({ length: 5 }, () => call(other, "run:list", {})));
    const answers: AckResponse<unknown>[] = await Promise.all(flood);
    for (const answer of others) assert.ok("data" in answer, `the other learner was refused: ${JSON.stringify(answer)}`);

    const refused = answers.filter((answer) => "error" in answer);
    const accepted = answers.length - refused.length;
    // A full bucket, plus what refilled while the 500 arrived (well under a few seconds).
    assert.ok(accepted >= defaultCommandLimit.burst - 1 && accepted < defaultCommandLimit.burst + 60, `accepted ${accepted} of 500`);
    assert.ok(refused.length > 400, `refused ${refused.length} of 500`);
    t.diagnostic(`flood of 500: ${accepted} accepted, ${refused.length} refused with RATE_LIMITED`);
    for (const answer of refused) {
      assert.ok("error" in answer);
      assert.equal(answer.error.code, "RATE_LIMITED", answer.error.message);
      assert.equal(answer.error.retriable, true);
      assert.ok(answer.error.retryAfterSeconds !== undefined && answer.error.retryAfterSeconds >= 1, JSON.stringify(answer.error));
      assert.match(answer.error.message, /^Too many commands: at most 10 a second \(40 at once\)\. Wait \d+ s and try again/);
    }

    // The run never noticed: still running, still consuming, nothing lost.
    const consumedAfterFlood = run.latestFrame().ledger.consumed;
    await waitFor(() => run.latestFrame().ledger.consumed >= consumedAfterFlood + 20, { timeoutMs: 20_000, description: () => `the run to keep consuming (${run.latestFrame().ledger.consumed}, status ${run.status()})` });
    assert.equal(run.status(), "running");
    assert.equal(run.latestFrame().ledger.lost, 0);

    // Once the bucket refills, the flooder's commands are accepted again.
    const refusal = refused[0]!;
    assert.ok("error" in refusal);
    await new Promise((resolve) => setTimeout(resolve, refusal.error.retryAfterSeconds! * 1000));
    const again = await call(flooder, "run:stop", { runId: run.id });
    assert.ok("data" in again, JSON.stringify(again));
  });

  it("answers a flood of the classroom's HTTP routes with 429, RATE_LIMITED and Retry-After, the other learner unaffected", async () => {
    const flooder = await joinAs("Hugo");
    const other = await joinAs("Ines");
    const answers = await Promise.all(Array.from({ length: 100 }, () => fetch(`${server.base}/api/classroom/me`, { headers: { cookie: flooder } })));
    const limited = answers.filter((response) => response.status === 429);
    assert.ok(limited.length >= 40 && answers.length - limited.length >= defaultCommandLimit.burst - 1, `${limited.length} of 100 refused`);
    const body = (await limited[0]!.json()) as { error: { code: string; message: string; retryAfterSeconds: number } };
    assert.equal(body.error.code, "RATE_LIMITED");
    assert.match(body.error.message, /^Too many requests: at most 10 a second/);
    assert.equal(limited[0]!.headers.get("retry-after"), String(body.error.retryAfterSeconds));
    assert.ok(body.error.retryAfterSeconds >= 1);
    for (const response of answers) if (!response.bodyUsed) await response.body?.cancel();
    const theirs = await fetch(`${server.base}/api/classroom/me`, { headers: { cookie: other } });
    assert.equal(theirs.status, 200);
  });
});
