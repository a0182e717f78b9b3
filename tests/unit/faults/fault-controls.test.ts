// The fault panel in a browser (jsdom): each control sends the right run:fault payload, active
// faults are listed with an End button, the server's answer is shown, nothing works after the run.
import "../components/setup";
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { createElement } from "react";
import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import type { AckResponse } from "../../../lib/events";
import type { RunFaultPayload } from "../../../lib/run/events";
import type { RunFrame } from "../../../lib/run/model";
import type { Scenario } from "../../../lib/scenario/schema";
import { validateScenario } from "../../../lib/scenario/validate";
import { FaultControls } from "../../../components/faults/fault-controls";
import type { FaultSocket } from "../../../components/faults/use-fault-command";

afterEach(cleanup);

function scenario(): Scenario {
  const result = validateScenario({
    version: 1,
    name: "panel",
    brokers: { rabbit: { kind: "rabbitmq" }, kafka: { kind: "kafka" } },
    resources: { rabbit: { queues: [{ name: "orders", maxLength: 100 }] }, kafka: { topics: [{ name: "events" }] } },
    services: [
      { name: "order-service", producers: [{ name: "new-orders", broker: "rabbit", to: { queue: "orders" } }] },
      { name: "inventory-service", replicas: 2, consumers: [{ name: "stock", broker: "rabbit", from: { queue: "orders" }, failures: { poison: { field: "sku", equals: "BAD" } } }, { name: "audit", broker: "kafka", from: { topic: "events", group: "audit" } }] },
    ],
  });
  assert.ok(result.ok);
  return result.scenario;
}

function frame(change: Partial<RunFrame> = {}): RunFrame {
  const replica = (i: number) => ({ replica: i, state: "running" as const, restarts: 0, connections: { rabbit: "connected" as const } });
  return {
    runId: "run-1", at: 1_700_000_010_000, status: "running", elapsedMs: 10_000, producers: {}, consumers: {},
    services: { "order-service": [replica(0)], "inventory-service": [replica(0), replica(1)] },
    queues: [], lag: [], ledger: { confirmed: 0, consumed: 0, lost: 0, duplicated: 0, recovered: 0 }, tail: [], droppedSpans: 0,
    activeFaults: [], timeline: [],
    ...change,
  };
}

function fakeSocket(answer: AckResponse<{ affected: number; faultId?: string }> = { data: { affected: 1 } }) {
  const sent: RunFaultPayload[] = [];
  const socket: FaultSocket = { emit: (_event, payload, ack) => { sent.push(payload); ack(answer); } };
  return { socket, sent };
}

describe("FaultControls", () => {
  it("sends process faults for a service or one replica", () => {
    const { socket, sent } = fakeSocket();
    render(createElement(FaultControls, { runId: "run-1", scenario: scenario(), frame: frame(), socket }));
    const row = within(screen.getByTestId("service-faults-inventory-service"));
    act(() => fireEvent.click(row.getByRole("button", { name: "Kill" })));
    fireEvent.change(row.getByRole("combobox"), { target: { value: "1" } });
    act(() => fireEvent.click(row.getByRole("button", { name: "Pause" })));
    act(() => fireEvent.click(row.getByRole("button", { name: "Slow down" })));
    assert.deepEqual(sent, [
      { runId: "run-1", action: "kill", service: "inventory-service" },
      { runId: "run-1", action: "pause", service: "inventory-service", replica: 1 },
      { runId: "run-1", action: "slow", service: "inventory-service", replica: 1, ms: 100 },
    ]);
    assert.match(screen.getByText(/slow inventory-service\[1\]: 1 affected/).textContent ?? "", /affected/);
  });

  it("sends link faults per service↔broker link, with parameters and a duration", () => {
    const { socket, sent } = fakeSocket({ data: { affected: 1, faultId: "latency-1" } });
    render(createElement(FaultControls, { runId: "run-1", scenario: scenario(), frame: frame(), socket }));
    assert.ok(screen.getByTestId("link-faults-inventory-service-kafka"), "a row per link, Kafka included");
    const link = within(screen.getByTestId("link-faults-inventory-service-rabbit"));
    fireEvent.change(link.getByLabelText("± ms"), { target: { value: "20" } });
    fireEvent.change(link.getByLabelText("for s"), { target: { value: "5" } });
    act(() => fireEvent.click(link.getByRole("button", { name: "Apply" })));
    assert.deepEqual(sent[0], { runId: "run-1", action: "latency", service: "inventory-service", broker: "rabbit", ms: 200, jitterMs: 20, forMs: 5000 });
    assert.ok(screen.getByText(/active as latency-1/));
    const kafka = within(screen.getByTestId("link-faults-inventory-service-kafka"));
    assert.ok(!kafka.queryByRole("option", { name: "Broker closes the connection" }), "closing from the broker side is RabbitMQ only");
  });

  it("lists active faults with an End button, and broker, queue and poison controls", () => {
    const { socket, sent } = fakeSocket();
    const active = [{ id: "stopBroker-2", action: "stopBroker" as const, target: "broker rabbit", detail: "stop broker rabbit", since: 1_700_000_005_000, spec: { action: "stopBroker" as const, broker: "rabbit" } }];
    render(createElement(FaultControls, { runId: "run-1", scenario: scenario(), frame: frame({ activeFaults: active }), socket }));
    assert.match(screen.getByTestId("active-fault-stopBroker-2").textContent ?? "", /stop broker rabbit · 5 s/);
    assert.equal((within(screen.getByTestId("broker-faults-rabbit")).getByRole("button", { name: "Stop broker" }) as HTMLButtonElement).disabled, true, "already stopped");
    act(() => fireEvent.click(screen.getByRole("button", { name: "End stop broker rabbit" })));
    act(() => fireEvent.click(screen.getByRole("button", { name: "Fill queue" })));
    act(() => fireEvent.click(screen.getByRole("button", { name: /Send a poison message to inventory-service\/stock/ })));
    assert.deepEqual(sent, [
      { runId: "run-1", action: "end", faultId: "stopBroker-2" },
      { runId: "run-1", action: "fillQueue", queue: "orders", broker: "rabbit" },
      { runId: "run-1", action: "poison", service: "inventory-service", consumer: "stock" },
    ]);
  });

  it("shows the server's refusal, and disables everything once the run is over", () => {
    const { socket } = fakeSocket({ error: { code: "CONFLICT", message: "Only a broker of the local stack can be stopped.", retriable: false } });
    const { rerender } = render(createElement(FaultControls, { runId: "run-1", scenario: scenario(), frame: frame(), socket }));
    act(() => fireEvent.click(within(screen.getByTestId("broker-faults-kafka")).getByRole("button", { name: "Stop broker" })));
    assert.ok(screen.getByText(/stop kafka: Only a broker of the local stack can be stopped\./));
    rerender(createElement(FaultControls, { runId: "run-1", scenario: scenario(), frame: frame({ status: "finished" }), socket }));
    assert.ok(screen.getByText("Faults apply while the run is running."));
    assert.ok(screen.getAllByRole("button").every((b) => (b as HTMLButtonElement).disabled));
  });
});
