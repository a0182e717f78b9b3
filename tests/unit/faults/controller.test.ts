// The fault controller with fake replicas, proxies, admins and stack: what each fault does, what
// stays active and how it ends, what the service processes are told, and the timeline it writes.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EngineToService, FaultNotice, ResolvedBroker } from "../../../lib/run/ipc";
import type { Scenario } from "../../../lib/scenario/schema";
import { validateScenario } from "../../../lib/scenario/validate";
import type { BrokerAdmins } from "../../../server/engine/broker-stats";
import type { ReplicaSupervisor } from "../../../server/engine/supervisor";
import { createFaultController } from "../../../server/faults/controller";
import type { LinkConditions } from "../../../server/faults/tcp-proxy";
import type { LinkProxies } from "../../../server/faults/link-proxies";
import { createTimeline } from "../../../server/faults/timeline";
import type { DriverAdmin } from "../../../server/brokers/driver";

function scenario(): Scenario {
  const result = validateScenario({
    version: 1,
    name: "unit",
    brokers: { rabbit: { kind: "rabbitmq" } },
    resources: { rabbit: { queues: [{ name: "orders", maxLength: 10 }] } },
    services: [
      { name: "shop", producers: [{ name: "orders", broker: "rabbit", to: { queue: "orders" } }] },
      { name: "stock", replicas: 2, consumers: [{ name: "take", broker: "rabbit", from: { queue: "orders" }, failures: { poison: { field: "bad", equals: true } } }] },
    ],
  });
  assert.ok(result.ok);
  return result.scenario;
}

function fakeReplica(service: string, replica: number) {
  const calls: string[] = [];
  const sent: EngineToService[] = [];
  let alive = true;
  const supervisor = {
    service, replica,
    status: () => ({ replica, state: alive ? "running" : "killed", restarts: 0, connections: {} }),
    start: () => { calls.push("start"); alive = true; },
    send: (message: EngineToService) => { sent.push(message); return alive; },
    stop: async () => {},
    restart: async () => { calls.push("restart"); },
    alive: () => alive,
    kill: () => { calls.push("kill"); alive = false; },
    pause: () => void calls.push("pause"),
    resume: () => void calls.push("resume"),
    dispose: () => {},
  } satisfies ReplicaSupervisor;
  return { supervisor, calls, sent, notices: () => (sent.filter((m) => m.type === "faults").at(-1) as { active: FaultNotice[] } | undefined)?.active };
}

function setup() {
  const replicas = [fakeReplica("shop", 0), fakeReplica("stock", 0), fakeReplica("stock", 1)];
  const conditions: Record<string, LinkConditions> = {};
  const lifecycle: string[] = [];
  const closedPrefixes: string[] = [];
  const published: string[] = [];
  const links = {
    brokersFor: () => ({}),
    has: () => true,
    setConditions: (service: string, broker: string, next: LinkConditions) => void (conditions[`${service}/${broker}`] = next),
    reset: () => 2,
    stats: () => undefined,
    close: async () => {},
  } satisfies LinkProxies;
  const admin = {
    closeConnections: async (prefix: string) => { closedPrefixes.push(prefix); return 1; },
    queueStats: async () => [{ name: "orders", messages: 4, ready: 4, unacked: 0, consumers: 1 }],
    publish: async (_queue: string, messages: { messageId: string }[]) => { published.push(...messages.map((m) => m.messageId)); return messages.map((m) => m.messageId); },
  } as unknown as DriverAdmin;
  const admins: BrokerAdmins = new Map([["rabbit", admin]]);
  const confirmed: string[] = [];
  const brokers: Record<string, ResolvedBroker> = { rabbit: { kind: "rabbitmq", url: "amqp://127.0.0.1", managementUrl: "http://127.0.0.1:15672" } };
  const timeline = createTimeline();
  const controller = createFaultController({
    runId: "run-1", scenario: scenario(), brokers, links, admins, timeline,
    replicas: () => replicas.map((r) => r.supervisor),
    lifecycle: async (action, broker) => void lifecycle.push(`${action} ${broker.kind}`),
    confirmed: (ids) => void confirmed.push(...ids),
  });
  return { controller, replicas, conditions, lifecycle, closedPrefixes, published, confirmed, timeline };
}

describe("the fault controller", () => {
  it("kill stays active until start (or end) starts the replicas again", async () => {
    const { controller, replicas, timeline } = setup();
    const killed = await controller.apply({ action: "kill", service: "stock" });
    assert.equal(killed.affected, 2);
    assert.deepEqual(replicas.slice(1).map((r) => r.calls), [["kill"], ["kill"]]);
    assert.equal(controller.active()[0]?.id, killed.faultId);
    await controller.apply({ action: "start", service: "stock" });
    assert.deepEqual(controller.active(), []);
    assert.ok(timeline.entries().some((e) => e.kind === "fault-ended" && /ended by start/.test(e.detail)));
    const again = await controller.apply({ action: "kill", service: "stock", replica: 1 });
    await controller.apply({ action: "end", faultId: again.faultId! });
    assert.deepEqual(replicas[2]!.calls.slice(-2), ["kill", "start"]);
  });

  it("link faults combine into the proxy's conditions and are told to the affected service only", async () => {
    const { controller, conditions, replicas } = setup();
    const latency = await controller.apply({ action: "latency", service: "stock", ms: 200, jitterMs: 10 });
    await controller.apply({ action: "bandwidth", service: "stock", bytesPerSecond: 5000 });
    assert.deepEqual(conditions["stock/rabbit"], { latencyMs: 200, jitterMs: 10, bytesPerSecond: 5000, drop: false, cut: false });
    assert.deepEqual(replicas[1]!.notices()?.map((n) => [n.action, n.broker, n.brokerKind]), [["latency", "rabbit", "rabbitmq"], ["bandwidth", "rabbit", "rabbitmq"]]);
    assert.deepEqual(replicas[0]!.notices(), [], "the producer's link was not touched");
    await controller.apply({ action: "end", faultId: latency.faultId! });
    assert.equal(conditions["stock/rabbit"]!.latencyMs, 0);
  });

  it("a fault with `forMs` ends by itself", async () => {
    const { controller, replicas } = setup();
    await controller.apply({ action: "pause", service: "stock", replica: 0, forMs: 30 });
    assert.equal(controller.active().length, 1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.deepEqual(controller.active(), []);
    assert.deepEqual(replicas[1]!.calls, ["pause", "resume"]);
  });

  it("slow tells each replica its extra work", async () => {
    const { controller, replicas } = setup();
    await controller.apply({ action: "slow", service: "stock", replica: 1, ms: 40 });
    assert.deepEqual(replicas[1]!.notices(), []);
    assert.equal(replicas[2]!.notices()?.[0]?.slowMs, 40);
  });

  it("stopBroker runs the stack, stays active, and the run's end starts the broker again", async () => {
    const { controller, lifecycle, replicas } = setup();
    const stopped = await controller.apply({ action: "stopBroker", broker: "rabbit" });
    assert.deepEqual(lifecycle, ["down rabbitmq"]);
    assert.equal(replicas[0]!.notices()?.[0]?.action, "stopBroker", "services using the broker are told");
    await assert.rejects(controller.apply({ action: "stopBroker", broker: "rabbit" }), /already stopped/);
    assert.ok(stopped.faultId);
    await controller.dispose();
    assert.deepEqual(lifecycle, ["down rabbitmq", "up rabbitmq"]);
  });

  it("closeConnection selects the service's connections by name; fillQueue tops the queue up to max-length", async () => {
    const { controller, closedPrefixes, published, confirmed } = setup();
    assert.equal((await controller.apply({ action: "closeConnection", service: "stock", replica: 1 })).affected, 1);
    assert.deepEqual(closedPrefixes, ["brokerlab run-1 stock[1]"]);
    assert.equal((await controller.apply({ action: "fillQueue", queue: "orders" })).affected, 6, "max-length 10, depth 4");
    assert.deepEqual(confirmed, published);
    assert.match(published[0]!, /^faults\/fillQueue-\d+\/1$/);
    await controller.dispose();
  });

  it("poison asks a producer that reaches the consumer for one patched message", async () => {
    const { controller, replicas } = setup();
    assert.equal((await controller.apply({ action: "poison", service: "stock" })).affected, 1);
    const send = replicas[0]!.sent.find((m) => m.type === "send");
    assert.deepEqual(send && { ...send, fault: undefined }, { type: "send", producer: "orders", count: 1, patch: { bad: true }, fault: undefined });
    await controller.dispose();
  });

  it("refuses what the scenario cannot do, with the reason", async () => {
    const { controller } = setup();
    await assert.rejects(controller.apply({ action: "kill", service: "nobody" }), (error: Error & { code?: string }) => error.code === "NOT_FOUND");
    await assert.rejects(controller.apply({ action: "slow", service: "shop", ms: 5 }), /has no consumers/);
    await assert.rejects(controller.apply({ action: "end", faultId: "nope-1" }), /no active fault "nope-1"/);
  });
});
