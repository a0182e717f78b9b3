// SIGKILL of the real server mid-run: its service processes (a Kafka consumer, a RabbitMQ consumer
// and their producers) leave within seconds without spinning; one that cannot react (stopped with
// SIGSTOP) is killed by the next server start, found through the run's process records.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { io as connect, type Socket } from "socket.io-client";
import type { AckResponse, ClientToServerEvents, ServerToClientEvents } from "../../../lib/events";
import { createKafkaAdmin, createRabbitAdmin } from "../../../server/brokers";
import { loadConfig } from "../../../server/config";
import { processUsage, serviceProcessesOfRun, startServerProcess, type ServerProcess } from "../../support/brokerlab-server";
import { loadScenario, unique } from "../../support/engine";
import { waitFor } from "../../support/wait-for";

const config = loadConfig();
const dataDir = mkdtempSync(path.join(tmpdir(), "brokerlab-killed-"));
const servers: ServerProcess[] = [];
const sockets: Socket[] = [];
const queue = unique("killed-q");
const topic = unique("killed-t");
const scenarioText = `
version: 1
name: server-killed
brokers: { rabbit: { kind: rabbitmq }, kafka: { kind: kafka } }
resources:
  rabbit: { queues: [ { name: ${queue} } ] }
  kafka: { topics: [ { name: ${topic}, partitions: 2 } ] }
services:
  - name: sender
    producers:
      - { name: to-rabbit, broker: rabbit, to: { queue: ${queue} }, rate: { perSecond: 50 } }
      - { name: to-kafka, broker: kafka, to: { topic: ${topic} }, rate: { perSecond: 50 } }
  - name: rabbit-reader
    consumers: [ { name: read-queue, broker: rabbit, from: { queue: ${queue} } } ]
  - name: kafka-reader
    consumers: [ { name: read-topic, broker: kafka, from: { topic: ${topic}, group: ${unique("killed-g")} } } ]
`;

async function startServer(): Promise<ServerProcess> {
  const server = await startServerProcess({ BROKERLAB_DATA_DIR: path.join(dataDir, "runs"), BROKERLAB_RUN_DIR_MAX_AGE_HOURS: "24" });
  servers.push(server);
  return server;
}

async function startRun(base: string): Promise<string> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(base, { transports: ["websocket"], forceNew: true });
  sockets.push(socket);
  const response = await new Promise<AckResponse<{ runId: string }>>((resolve) =>
    (socket.emit as (e: string, p: unknown, ack: (r: AckResponse<{ runId: string }>) => void) => void)("run:start", { scenario: scenarioText, durationSeconds: 300 }, resolve));
  if ("error" in response) throw new Error(`run:start failed: ${response.error.code} ${response.error.message}`);
  return response.data.runId;
}

after(async () => {
  for (const socket of sockets) socket.disconnect();
  // The servers still up stop the way a deployment stops them.
  await Promise.all(servers.filter((s) => s.child.exitCode === null && s.child.signalCode === null).map((s) => new Promise((resolve) => {
    s.child.once("exit", resolve);
    s.child.kill("SIGTERM");
  })));
  const resources = loadScenario(scenarioText).resources;
  const rabbit = createRabbitAdmin({ url: config.RABBITMQ_URL, managementUrl: config.RABBITMQ_MANAGEMENT_URL });
  const kafka = createKafkaAdmin({ brokers: config.KAFKA_BROKERS });
  if (resources.rabbit?.kind === "rabbitmq") await rabbit.teardown(resources.rabbit).catch(() => {});
  if (resources.kafka?.kind === "kafka") await kafka.teardown(resources.kafka.topics).catch(() => {});
  await Promise.all([rabbit.close(), kafka.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

/** A server with a run of the scenario, and the pids of the run's three service processes. */
async function startServerAndRun() {
  const server = await startServer();
  const runId = await startRun(server.base);
  const pids = await waitFor(() => {
    const found = serviceProcessesOfRun(runId);
    return found.length === 3 && found;
  }, { timeoutMs: 10_000, description: "the run's three service processes" });
  return { server, runId, pids };
}

describe("a server killed with SIGKILL", { timeout: 300_000 }, () => {
  it("leaves no service process of its run alive within a few seconds, and none spins", async () => {
    const { server, pids } = await startServerAndRun();
    const before = new Map(pids.map((pid) => [pid, processUsage(pid)!]));

    server.child.kill("SIGKILL");
    const killedAt = Date.now();
    const peak = new Map<number, { cpuMs: number; rssMb: number }>();
    await waitFor(() => {
      for (const pid of pids) {
        const usage = processUsage(pid);
        if (usage) peak.set(pid, { cpuMs: usage.cpuMs - before.get(pid)!.cpuMs, rssMb: Math.max(usage.rssMb, peak.get(pid)?.rssMb ?? 0) });
      }
      return pids.every((pid) => processUsage(pid) === undefined);
    }, { timeoutMs: 8_000, intervalMs: 100, description: `the service processes ${pids.join(", ")} to exit after the server's SIGKILL` });
    const lived = Date.now() - killedAt;
    console.log(`SERVER-KILLED exited ${lived} ms after SIGKILL; CPU ms and peak RSS MB after it: ${JSON.stringify(Object.fromEntries(peak))}`);
    for (const [pid, usage] of peak) {
      // Spinning would use the CPU for most of the time it lived; a clean stop uses a fraction.
      assert.ok(usage.cpuMs < Math.max(1_500, lived * 0.6), `service process ${pid} used ${usage.cpuMs} ms of CPU in ${lived} ms after the server died`);
      assert.ok(usage.rssMb < 400, `service process ${pid} grew to ${usage.rssMb.toFixed(0)} MB`);
    }
  });

  it("a service process stopped with SIGSTOP (so it cannot react) is killed by the next server start", async () => {
    const { server, runId, pids } = await startServerAndRun();
    const stuck = pids[0]!;
    process.kill(stuck, "SIGSTOP");
    server.child.kill("SIGKILL");
    // The other two leave by themselves; the stopped one cannot.
    await waitFor(() => pids.every((pid) => pid === stuck || processUsage(pid) === undefined), { timeoutMs: 8_000, description: "the running service processes to exit" });
    assert.equal(processUsage(stuck)?.state, "T", `the stopped service process ${stuck} should still be there, stopped`);

    const next = await startServer();
    await waitFor(() => processUsage(stuck) === undefined, { timeoutMs: 5_000, description: `the next server start to kill the leftover ${stuck}` });
    assert.match(next.output(), new RegExp(`killed leftover service process ${runId}/[a-z-]+\\[0\\] pid ${stuck}`));
  });
});
