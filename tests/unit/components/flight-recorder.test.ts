// The flight recorder against a real socket.io server that answers run:message: the timeline of
// steps with offsets and details, the outcome in words, the trace buttons, and a clear error.
import "./setup";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, afterEach, before, describe, it } from "node:test";
import { createElement } from "react";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { Server } from "socket.io";
import { FlightRecorder, outcomeText } from "../../../components/run/flight-recorder";
import type { MessageEvent } from "../../../lib/run/ipc";
import type { LoggedMessageView } from "../../../lib/run/model-view";
import { getSocket } from "../../../lib/client/socket";
import { event } from "./fixtures";

const t0 = 1_700_000_000_000;
const producerTrace = "a".repeat(32);
const history: MessageEvent[] = [
  event(13, { at: t0 + 95, kind: "acked", service: "payment-service", actor: "charge", attempt: 2, redelivered: true, traceId: producerTrace }),
  event(13, { at: t0, kind: "published", traceId: producerTrace }),
  event(13, { at: t0 + 4, kind: "confirmed", traceId: producerTrace }),
  event(13, { at: t0 + 12, kind: "delivered", service: "payment-service", actor: "charge", attempt: 1, routingKey: "payments", traceId: "c".repeat(32) }),
  event(13, { at: t0 + 30, kind: "retried", service: "payment-service", actor: "charge", attempt: 1, detail: "simulated failure; attempt 2 in 50 ms", traceId: producerTrace }),
];
const messages: Record<string, LoggedMessageView> = { "order-service/new-orders/13": { id: "order-service/new-orders/13", traceId: producerTrace, firstAt: t0, events: history } };

const http = createServer();
const io = new Server(http);
io.on("connection", (socket) => {
  socket.on("run:message", ({ messageId }: { messageId: string }, ack: (response: unknown) => void) => {
    const message = messages[messageId];
    ack(message ? { data: message } : { error: { code: "NOT_FOUND", message: `Message "${messageId}" is not in the run's message log.`, retriable: false } });
  });
});

before(async () => {
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  (globalThis as unknown as { $jsdom: { reconfigure(options: { url: string }): void } }).$jsdom.reconfigure({ url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/lab` });
});
afterEach(cleanup);
after(async () => {
  getSocket().close();
  await new Promise((resolve) => io.close(resolve));
});

describe("outcomeText", () => {
  it("says how the message ended, and when", () => {
    assert.equal(outcomeText([...history].sort((a, b) => a.at - b.at)), "Acknowledged by payment-service 95.0 ms after it was published.");
    assert.match(outcomeText([event(1, { at: t0 }), event(1, { at: t0 + 1200, kind: "dead-lettered", service: "payment-service", attempt: 4 })]), /^Dead-lettered by payment-service 1\.20 s after it was published, after 4 attempts\.$/);
    assert.match(outcomeText([event(1)]), /^Still on its way/);
  });
});

describe("FlightRecorder", () => {
  it("draws the steps in time order with offsets, actors and details, and opens the traces", async () => {
    const opened: string[] = [];
    let closed = 0;
    render(createElement(FlightRecorder, { runId: "run-1", messageId: "order-service/new-orders/13", onOpenTrace: (id: string) => opened.push(id), onClose: () => (closed += 1) }));
    await waitFor(() => assert.equal(document.querySelectorAll(".flight__step").length, 5), { timeout: 5000 });
    const steps = Array.from(document.querySelectorAll(".flight__step"));
    assert.deepEqual(steps.map((s) => s.getAttribute("data-kind")), ["published", "confirmed", "delivered", "retried", "acked"]);
    assert.deepEqual(steps.map((s) => s.querySelector(".flight__offset")?.textContent), ["+0 ms", "+4.0 ms", "+12.0 ms", "+30.0 ms", "+95.0 ms"]);
    assert.equal(steps[2]!.querySelector(".flight__who")?.textContent, "payment-service · charge");
    assert.match(steps[2]!.textContent ?? "", /routing keypayments/);
    assert.match(steps[4]!.textContent ?? "", /attempt2.*redeliveredyes/);
    assert.match(steps[3]!.textContent ?? "", /simulated failure; attempt 2 in 50 ms/);
    assert.match(screen.getByTestId("flight-recorder").textContent ?? "", /Acknowledged by payment-service 95\.0 ms after it was published\./);
    fireEvent.click(screen.getByTestId("open-trace"));
    fireEvent.click(screen.getByRole("button", { name: /Open this step's own trace \(cccccccc…\)/ }));
    assert.deepEqual(opened, [producerTrace, "c".repeat(32)]);
    fireEvent.keyDown(screen.getByTestId("flight-recorder"), { key: "Escape" });
    assert.equal(closed, 1);
  });

  it("shows the server's error when the message is not in the log", async () => {
    render(createElement(FlightRecorder, { runId: "run-1", messageId: "nope/1", onOpenTrace: () => {}, onClose: () => {} }));
    await waitFor(() => assert.match(screen.getByRole("alert").textContent ?? "", /not in the run's message log/), { timeout: 5000 });
  });
});
