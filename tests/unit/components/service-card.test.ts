// The home page's fourth card, moto's server: its name and role, moto's version while up, and
// when down the reason and the exact command that starts it.
import "./setup";
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { createElement } from "react";
import { cleanup, render, screen } from "@testing-library/react";
import { ServiceCard } from "../../../components/service-card";
import type { ServiceStatus } from "../../../lib/stack";

afterEach(cleanup);

const moto = (up: boolean): ServiceStatus => ({
  id: "moto",
  name: "Amazon SQS/SNS (moto)",
  up,
  url: "http://127.0.0.1:4566",
  links: [],
  checkedAt: "2026-12-06T12:00:00.000Z",
  ...(up
    ? { version: "5.2.5", detail: "SQS ListQueues answered (0 queues in us-east-1)" }
    : { detail: "SQS http://127.0.0.1:4566: connection refused (ECONNREFUSED)", fix: { command: "npm run stack:up -- moto" } }),
});

describe("ServiceCard for moto's server", () => {
  it("while up: name, role, endpoint, version and the check, no fix", () => {
    render(createElement(ServiceCard, { id: "moto", service: moto(true) }));
    const card = screen.getByTestId("service-moto");
    assert.equal(card.getAttribute("data-status"), "up");
    assert.equal(screen.getByRole("heading", { level: 3 }).textContent, "Amazon SQS/SNS (moto)");
    assert.match(card.textContent ?? "", /Amazon SQS, SNS and EventBridge, emulated by moto's server\./);
    assert.equal(screen.getByTestId("service-url").textContent, "http://127.0.0.1:4566");
    assert.match(card.textContent ?? "", /Version5\.2\.5/);
    assert.match(card.textContent ?? "", /SQS ListQueues answered/);
    assert.equal(screen.queryByTestId("service-problem"), null);
  });

  it("while down: why, and the command that starts it", () => {
    render(createElement(ServiceCard, { id: "moto", service: moto(false) }));
    assert.equal(screen.getByTestId("service-moto").getAttribute("data-status"), "down");
    const problem = screen.getByTestId("service-problem");
    assert.match(problem.textContent ?? "", /connection refused \(ECONNREFUSED\)/);
    assert.match(screen.getByTestId("fix-command").textContent ?? "", /npm run stack:up -- moto/);
  });
});
