// The trace explorer against the real stack: a small RabbitMQ run started in the lab, then /traces
// finds its traces by run id (its link in the run bar), opens one on the timeline with its critical
// path, picks two and compares them; a bad search field is named.
import { expect, test } from "@playwright/test";
import { encodeShareHash } from "../../lib/lab/share";

const screenshots = "tests/e2e/screenshots";
const suffix = () => Math.random().toString(36).slice(2, 7);

test.use({ trace: { mode: "retain-on-failure", snapshots: false, screenshots: true } });

test("find a run's traces, open one, and compare two", async ({ page }) => {
  const queue = `traced_${suffix()}`;
  const yaml = `version: 1
name: traced-orders
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue} } ] } }
services:
  - name: orders-${suffix()}
    producers: [ { name: orders, broker: rabbit, to: { queue: ${queue} }, rate: { perSecond: 5 }, count: 6, payload: { n: "{{seq}}" } } ]
  - name: shipping
    consumers: [ { name: ship, broker: rabbit, from: { queue: ${queue} } } ]
`;
  let runId = "";
  await test.step("a small run in the lab, its traces one click away", async () => {
    await page.goto(`/lab#${await encodeShareHash(yaml)}`);
    await expect(page.getByTestId("connection-state")).toHaveAttribute("data-state", "live");
    await page.getByTestId("start-run").click();
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "finished", { timeout: 90_000 });
    runId = (await page.getByTestId("run-id").textContent()) ?? "";
    expect(runId).not.toBe("");
    await expect(page.getByTestId("run-traces")).toHaveAttribute("href", `/traces?run=${runId}`);
    await page.getByTestId("run-traces").scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${screenshots}/traces-lab-link.png` });
  });

  const rows = page.getByTestId("trace-row");
  await test.step("/traces?run=… lists the run's traces once Jaeger has them", async () => {
    // Services export spans in batches every few seconds: search again until all six are there.
    // A Jaeger that has seen many services (a whole test run's) takes seconds to search them all.
    await expect(async () => {
      await page.goto(`/traces?run=${runId}`);
      await expect(rows).toHaveCount(6, { timeout: 25_000 });
    }).toPass({ timeout: 120_000 });
    await expect(page.getByTestId("search-run")).toHaveValue(runId);
    await expect(rows.first()).toContainText(`send ${queue}`);
    await expect(rows.first()).toContainText("shipping");
    await expect(page.getByTestId("service-graph")).toContainText(queue);
    await page.screenshot({ path: `${screenshots}/traces-list.png`, fullPage: true });
  });

  const first = (await rows.nth(0).getAttribute("data-trace"))!;
  const second = (await rows.nth(1).getAttribute("data-trace"))!;
  await test.step("a trace opens on its timeline with the critical path and the conventions verdict", async () => {
    await rows.nth(0).getByTestId("open-trace").click();
    await expect(page).toHaveURL(new RegExp(`/traces/${first}$`));
    await expect(page.getByTestId("trace-timeline")).toBeVisible();
    await expect(page.locator(".trace__row")).toHaveCount(3, { timeout: 30_000 });
    await expect(page.locator(".trace__row.is-critical").first()).toBeVisible();
    await expect(page.getByTestId("trace-conventions")).toContainText("clean");
    await page.screenshot({ path: `${screenshots}/traces-trace.png`, fullPage: true });
  });

  await test.step("two picked traces compare side by side", async () => {
    await page.goBack();
    await page.locator(`[data-trace="${first}"]`).getByTestId("pick-trace").check();
    await page.locator(`[data-trace="${second}"]`).getByTestId("pick-trace").press("Space");
    await page.getByTestId("compare-picked").click();
    await expect(page).toHaveURL(new RegExp(`/traces/compare\\?a=${first}&b=${second}$`));
    await expect(page.getByTestId("compare-row")).toHaveCount(3);
    await expect(page.getByTestId("compare-summary")).toContainText("3 matched, 0 only in A, 0 only in B");
    await page.screenshot({ path: `${screenshots}/traces-compare.png`, fullPage: true });
  });

  await test.step("a bad search field is named, and the page stays up", async () => {
    await page.goto(`/traces?run=${runId}&minDurationMs=fast`);
    await expect(page.getByTestId("search-error")).toContainText("minDurationMs is not a number of milliseconds");
    await expect(page.getByTestId("trace-search")).toBeVisible();
  });
});
