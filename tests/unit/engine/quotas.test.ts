// Quotas per requester: each one refuses with LIMIT_REACHED naming the limit, the value asked and
// the variable that raises it; the defaults admit what one person runs; ended runs do not count.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunStatus } from "../../../lib/run/model";
import type { Scenario } from "../../../lib/scenario/schema";
import { validateScenario } from "../../../lib/scenario/validate";
import { loadConfig } from "../../../server/config";
import { engineContextFrom } from "../../../server/engine/context";
import { checkQuotas, defaultQuotas, messagesPerSecondOf, type RunQuotas } from "../../../server/engine/quotas";
import { refusal } from "./limit-refusal";

const quotas: RunQuotas = { runs: 2, serviceProcesses: 6, replicas: 3, messagesPerSecond: 100, messageBytes: 1_000 };

/** A valid scenario with one queue and the given services (each a producer of `perSecond` unless told otherwise). */
function scenario(services: { replicas?: number; rate?: Record<string, unknown>; sizeBytes?: number; payload?: unknown }[]): Scenario {
  const result = validateScenario({
    version: 1, name: "quota", brokers: { rabbit: { kind: "rabbitmq" } }, resources: { rabbit: { queues: [{ name: "jobs" }] } },
    services: services.map((s, i) => ({
      name: `svc-${i}`, replicas: s.replicas ?? 1,
      producers: [{ name: "p", broker: "rabbit", to: { queue: "jobs" }, rate: s.rate ?? { perSecond: 10 }, ...(s.sizeBytes ? { sizeBytes: s.sizeBytes } : {}), ...(s.payload ? { payload: s.payload } : {}) }],
    })),
  });
  assert.ok(result.ok, result.ok ? "" : JSON.stringify(result.problems));
  return result.scenario;
}

const run = (id: string, status: RunStatus, of: Scenario) => ({ id, scenario: of, status: () => status });

describe("checkQuotas", () => {
  it("admits a run within every quota; ended runs do not count", () => {
    const big = scenario([{ replicas: 3, rate: { perSecond: 30 } }]);
    checkQuotas(scenario([{ replicas: 2 }]), [run("a", "running", scenario([{}])), run("old", "finished", big), run("bad", "failed", big)], quotas);
  });

  it("refuses a requester's run beyond BROKERLAB_QUOTA_RUNS, naming the active runs", () => {
    const error = refusal(() => checkQuotas(scenario([{}]), [run("first-run", "running", scenario([{}])), run("second-run", "starting", scenario([{}]))], quotas));
    assert.match(error.message, /^Too many runs at once: this would be active run 3 \(active now: first-run, second-run\)/);
    assert.match(error.message, /BROKERLAB_QUOTA_RUNS=2/);
  });

  it("refuses a service with more replicas than BROKERLAB_QUOTA_REPLICAS, at the field's path", () => {
    const error = refusal(() => checkQuotas(scenario([{}, { replicas: 4 }]), [], quotas));
    assert.match(error.message, /^Service "svc-1" asks for too many replicas: 4 replicas, .*BROKERLAB_QUOTA_REPLICAS=3/);
    assert.deepEqual(error.problems?.map((p) => p.path), ["services[1].replicas"]);
  });

  it("refuses messages larger than BROKERLAB_QUOTA_MESSAGE_BYTES, by padding or by payload", () => {
    const padded = refusal(() => checkQuotas(scenario([{ sizeBytes: 4_096 }]), [], quotas));
    assert.match(padded.message, /sends messages too large: 4096 bytes, .*BROKERLAB_QUOTA_MESSAGE_BYTES=1000/);
    assert.deepEqual(padded.problems?.map((p) => p.path), ["services[0].producers[0].sizeBytes"]);
    const payload = refusal(() => checkQuotas(scenario([{ payload: { text: "x".repeat(2_000) } }]), [], quotas));
    assert.deepEqual(payload.problems?.map((p) => p.path), ["services[0].producers[0].payload"]);
  });

  it("refuses service processes beyond BROKERLAB_QUOTA_SERVICE_PROCESSES beside the requester's active runs", () => {
    const error = refusal(() => checkQuotas(scenario([{ replicas: 3 }]), [run("busy", "running", scenario([{ replicas: 2 }, { replicas: 2 }]))], quotas));
    assert.match(error.message, /^Too many service processes \(one per replica\): 3 asked, 4 already in use by active runs, .*BROKERLAB_QUOTA_SERVICE_PROCESSES=6/);
  });

  it("counts every replica of every producer toward BROKERLAB_QUOTA_MESSAGES_PER_SECOND, a burst as its size, manual as nothing", () => {
    assert.equal(messagesPerSecondOf(scenario([{ replicas: 3, rate: { perSecond: 20 } }, { rate: { burst: 50 } }, { rate: { manual: true } }])), 110);
    const error = refusal(() => checkQuotas(scenario([{ replicas: 2, rate: { perSecond: 30 } }]), [run("busy", "running", scenario([{ rate: { perSecond: 50 } }]))], quotas));
    assert.match(error.message, /^Too high a message rate: 60 messages per second asked .*, 50 already asked by active runs, .*BROKERLAB_QUOTA_MESSAGES_PER_SECOND=100/);
  });

  it("takes its quotas from BROKERLAB_QUOTA_* with generous defaults, and names a bad variable", () => {
    const context = (env: Record<string, string>) => engineContextFrom(loadConfig(env), { createRabbitAdmin: () => assert.fail(), createKafkaAdmin: () => assert.fail() });
    assert.deepEqual(context({}).quotas, defaultQuotas);
    assert.equal(context({ BROKERLAB_QUOTA_RUNS: "2" }).quotas?.runs, 2);
    assert.throws(() => loadConfig({ BROKERLAB_QUOTA_MESSAGE_BYTES: "0" }), /BROKERLAB_QUOTA_MESSAGE_BYTES \(got "0"\): must be 1 or more/);
    // What a person runs outside a classroom passes the defaults: 5 replicas at 400 messages per second with 64 KiB messages.
    checkQuotas(scenario([{ replicas: 5, rate: { perSecond: 400 }, sizeBytes: 65_536 }]), [], defaultQuotas);
  });
});
