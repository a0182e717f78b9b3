// Isolation between runs over socket.io, on the real RabbitMQ: a second browser's run on a queue an
// active run uses is refused naming that run and the field to rename, and starts once the first
// ended; a browser past its quota of runs is refused while another browser's run starts.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ErrorPayload } from "../../../lib/errors";
import { createKafkaAdmin, createRabbitAdmin } from "../../../server/brokers";
import { loadConfig } from "../../../server/config";
import { engineContextFrom } from "../../../server/engine/context";
import { createEngine } from "../../../server/engine/engine";
import { defaultQuotas } from "../../../server/engine/quotas";
import { unique } from "../../support/engine";
import { call, startSocketServer, type Client } from "../../support/socket-server";

// One active run per browser connection, so the quota test needs only two runs.
const engine = createEngine({ ...engineContextFrom(loadConfig(), { createRabbitAdmin, createKafkaAdmin }), quotas: { ...defaultQuotas, runs: 1 } });
let server: Awaited<ReturnType<typeof startSocketServer>>;

before(async () => {
  server = await startSocketServer(engine);
});

after(async () => {
  await engine.shutdown();
  await server?.close();
});

/** A producer and a consumer on one queue, as a learner would write it. */
const onQueue = (name: string, queue: string) => `
version: 1
name: ${name}
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue} } ] } }
services:
  - name: writer
    producers: [ { name: p, broker: rabbit, to: { queue: ${queue} }, rate: { perSecond: 5 } } ]
  - name: reader
    consumers: [ { name: c, broker: rabbit, from: { queue: ${queue} } } ]
`;

async function start(client: Client, scenario: string): Promise<string> {
  const response = await call<{ runId: string }>(client, "run:start", { scenario, durationSeconds: 60 });
  assert.ok("data" in response, `run:start was refused: ${JSON.stringify(response)}`);
  return response.data.runId;
}

async function refused(client: Client, scenario: string): Promise<ErrorPayload> {
  const response = await call<{ runId: string }>(client, "run:start", { scenario, durationSeconds: 60 });
  assert.ok("error" in response, `run:start should have been refused, got run ${"data" in response ? response.data.runId : "?"}`);
  return response.error;
}

async function stop(client: Client, runId: string): Promise<void> {
  const response = await call(client, "run:stop", { runId });
  assert.ok("data" in response, `run:stop failed: ${JSON.stringify(response)}`);
}

describe("isolation between runs over socket.io", { timeout: 120_000 }, () => {
  it("refuses a second run on an active run's queue with CONFLICT naming it and the field, then starts it once the first stopped", async () => {
    const queue = unique("bl-conflict-jobs");
    const [first, second] = [server.client(), server.client()];
    const firstRun = await start(first, onQueue("first-pipeline", queue));
    const error = await refused(second, onQueue("second-pipeline", queue));
    assert.equal(error.code, "CONFLICT");
    assert.ok(error.message.startsWith(`queue "${queue}" on broker rabbit is already used by run ${firstRun} (scenario first-pipeline, running)`), error.message);
    assert.match(error.message, new RegExp(`e\\.g\\. "${queue}-2", or stop run ${firstRun} first\\.$`));
    assert.deepEqual(error.problems?.map((p) => p.path), ["resources.rabbit.queues[0].name"]);
    assert.equal(engine.list().filter((run) => run.scenario.name === "second-pipeline").length, 0, "the refused run was never created");

    await stop(first, firstRun);
    const secondRun = await start(second, onQueue("second-pipeline", queue));
    assert.notEqual(secondRun, firstRun);
    await stop(second, secondRun);
  });

  it("refuses a browser's run past its quota (BROKERLAB_QUOTA_RUNS=1) while another browser's run starts", async () => {
    const [busy, other] = [server.client(), server.client()];
    const busyRun = await start(busy, onQueue("quota-first", unique("bl-quota-a")));
    const error = await refused(busy, onQueue("quota-second", unique("bl-quota-b")));
    assert.equal(error.code, "LIMIT_REACHED");
    assert.match(error.message, new RegExp(`^Too many runs at once: this would be active run 2 \\(active now: ${busyRun}\\).*BROKERLAB_QUOTA_RUNS=1`));
    const otherRun = await start(other, onQueue("quota-other", unique("bl-quota-c")));
    await Promise.all([stop(busy, busyRun), stop(other, otherRun)]);
  });
});
