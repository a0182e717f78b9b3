// The code view: TypeScript first, Python a tab away (mouse or arrow keys), highlighted, copyable.
import "./setup";
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { createElement } from "react";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { CodeView } from "../../../components/code/code-view";
import { highlight } from "../../../components/code/highlight";
import { example } from "../codegen/fixtures";

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

describe("CodeView", () => {
  it("shows the TypeScript program for a producer, then the Python one", () => {
    render(createElement(CodeView, { scenario: example("order-inventory"), service: "order-service", producer: "new-orders" }));
    const code = () => document.querySelector(".code-view__code")?.textContent ?? "";
    assert.match(code(), /import \{ connect \} from "amqplib";/);
    assert.equal(screen.getByRole("tab", { selected: true }).textContent, "TypeScriptamqplib");
    fireEvent.click(screen.getByRole("tab", { name: /Python/ }));
    assert.match(code(), /^import pika$/m);
    assert.match(document.querySelector(".code-view__run")?.textContent ?? "", /python3 -m pip install pika/);
    fireEvent.keyDown(screen.getByRole("tab", { selected: true }), { key: "ArrowLeft" });
    assert.equal(screen.getByRole("tab", { selected: true }).textContent, "TypeScriptamqplib");
    assert.equal(document.activeElement, screen.getByRole("tab", { selected: true }));
  });

  it("names the Kafka libraries for a Kafka consumer, and copies the code", async () => {
    const copied: string[] = [];
    Object.defineProperty(window.navigator, "clipboard", { configurable: true, value: { writeText: async (text: string) => void copied.push(text) } });
    render(createElement(CodeView, { scenario: example("kafka-partitions"), service: "billing-service", consumer: "charge" }));
    assert.match(screen.getByRole("tab", { name: /Python/ }).textContent ?? "", /confluent-kafka/);
    fireEvent.click(screen.getByRole("button", { name: /Copy the TypeScript code/ }));
    await waitFor(() => assert.equal(copied.length, 1));
    assert.match(copied[0]!, /kafka\.consumer\(\{ groupId: group \}\)/);
    await waitFor(() => assert.ok(screen.getByRole("button", { name: /Copy/ }).textContent === "Copied"));
  });

  it("shows a pattern part: a requester with reply_to and its correlation id, in both languages", () => {
    render(createElement(CodeView, { scenario: example("request-reply"), service: "checkout-service", pattern: { kind: "requesters", name: "price-lookups" } }));
    const code = () => document.querySelector(".code-view__code")?.textContent ?? "";
    assert.equal(screen.getByRole("region", { name: "Code for checkout-service/price-lookups" }).dataset.testid, "code-view");
    assert.match(code(), /replyTo, correlationId: id/);
    assert.equal(document.querySelector(".code-view__file")?.textContent, "checkout-service-price-lookups.ts");
    fireEvent.click(screen.getByRole("tab", { name: /Python/ }));
    assert.match(code(), /reply_to=reply_to, correlation_id=request_id/);
    assert.match(document.querySelector(".code-view__run")?.textContent ?? "", /python3 checkout_service_price_lookups\.py/);
  });

  it("shows an HTTP-only pattern part with the standard libraries and no install step for Python", () => {
    render(createElement(CodeView, { scenario: example("webhooks"), service: "shop", pattern: { kind: "webhookReceiver" } }));
    assert.match(screen.getByRole("tab", { name: /TypeScript/ }).textContent ?? "", /node:http/);
    assert.match(screen.getByRole("tab", { name: /Python/ }).textContent ?? "", /standard library/);
    fireEvent.click(screen.getByRole("tab", { name: /Python/ }));
    assert.match(document.querySelector(".code-view__code")?.textContent ?? "", /hmac\.compare_digest/);
    assert.doesNotMatch(document.querySelector(".code-view__run")?.textContent ?? "", /pip install/);
  });

  it("says what is missing instead of crashing on a stale selection", () => {
    render(createElement(CodeView, { scenario: example("order-inventory"), service: "order-service", producer: "gone" }));
    assert.match(document.body.textContent ?? "", /has no producer "gone"/);
    cleanup();
    render(createElement(CodeView, { scenario: example("request-reply"), service: "checkout-service", pattern: { kind: "workers", name: "gone" } }));
    assert.match(document.body.textContent ?? "", /has no worker "gone"/);
  });
});

describe("highlight", () => {
  it("marks comments, strings, numbers and keywords, and keeps every character", () => {
    const source = 'const url = "amqp://x"; // the broker\nawait sleep(25);';
    const tokens = highlight(source, "typescript");
    assert.equal(tokens.map((t) => t.text).join(""), source);
    assert.deepEqual(tokens.filter((t) => t.kind !== "plain").map((t) => [t.kind, t.text]), [["keyword", "const"], ["string", '"amqp://x"'], ["comment", "// the broker"], ["keyword", "await"], ["number", "25"]]);
    assert.deepEqual(highlight('x = f"{a}"  # note', "python").filter((t) => t.kind !== "plain").map((t) => t.kind), ["string", "comment"]);
  });
});
