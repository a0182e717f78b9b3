// The lab's banners in a DOM: a broker the scenario uses that goes down shows with the command
// that starts it again; a refused command shows the server's message and its problems.
import "global-jsdom/register";
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { createElement } from "react";
import { LabBanners } from "../../../components/lab/lab-banners";
import type { LabBannersProps } from "../../../components/lab/lab-banners";
import type { StackView } from "../../../lib/client/stack-status-store";
import type { BrokerKind } from "../../../lib/lab/model";
import { serviceIds, serviceNames, type ServiceId, type ServiceStatus, type StackStatus } from "../../../lib/stack";

function service(id: ServiceId, up: boolean): ServiceStatus {
  return {
    id, name: serviceNames[id], up, url: "x", links: [], checkedAt: "",
    ...(up ? {} : { detail: "connection refused (ECONNREFUSED)", fix: { command: `npm run stack:up -- ${id}` } }),
  };
}

const stack = (down: ServiceId[] = []): StackView => ({
  connection: "live",
  refreshing: false,
  status: { checkedAt: "", services: Object.fromEntries(serviceIds.map((id) => [id, service(id, !down.includes(id))])) as StackStatus["services"] } satisfies StackStatus,
});

const show = (props: Partial<LabBannersProps>) =>
  render(createElement(LabBanners, { stack: stack(), usedKinds: new Set<BrokerKind>(["rabbitmq"]), running: false, error: undefined, onDismissError: () => {}, ...props }));

describe("the lab's banners", () => {
  afterEach(cleanup);

  it("say nothing when all is well", () => {
    show({});
    assert.equal(screen.queryAllByRole("alert").length, 0);
  });

  it("show a broker the scenario uses that went down mid-run, with the command that fixes it", () => {
    show({ stack: stack(["rabbitmq"]), running: true });
    const banner = screen.getByTestId("broker-down-rabbitmq");
    assert.match(banner.textContent ?? "", /RabbitMQ is down during the run/);
    assert.equal(screen.getByTestId("fix-command").textContent, "$ npm run stack:up -- rabbitmq");
  });

  it("ignore a broker the scenario does not use", () => {
    show({ stack: stack(["kafka"]) });
    assert.equal(screen.queryByTestId("broker-down-kafka"), null);
  });

  it("show what the server refused, with the problems it named, until dismissed", () => {
    let dismissed = false;
    show({ error: { code: "INVALID_INPUT", message: "The scenario is not valid", retriable: false, problems: [{ path: "services.0.name", message: "must not be empty" }] }, onDismissError: () => void (dismissed = true) });
    const banner = screen.getByTestId("run-error");
    assert.match(banner.textContent ?? "", /The server refused the scenario\. The scenario is not valid/);
    assert.match(banner.textContent ?? "", /services\.0\.name must not be empty/);
    fireEvent.click(screen.getByRole("button", { name: "Dismiss" }));
    assert.equal(dismissed, true);
  });

  it("say that a limit was reached, with the server's message naming it", () => {
    show({ error: { code: "LIMIT_REACHED", message: "8 runs are active (BROKERLAB_MAX_RUNS=8): a, b.", retriable: true } });
    assert.match(screen.getByTestId("run-error").textContent ?? "", /Brokerlab runs as much as it may at once\. 8 runs are active \(BROKERLAB_MAX_RUNS=8\)/);
  });
});
