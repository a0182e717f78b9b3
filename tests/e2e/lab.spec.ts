// The lab against the real stack in Chromium: build order → inventory from an empty canvas with
// the mouse and the keyboard, run it on RabbitMQ, watch counters rise and the queue drain, follow
// one message into its trace; load the fanout example; two browsers on one run see the same.
import { expect, test } from "@playwright/test";
import type { Locator, Page } from "@playwright/test";
import { encodeShareHash } from "../../lib/lab/share";

const screenshots = "tests/e2e/screenshots";
const suffix = () => Math.random().toString(36).slice(2, 7);

async function openLab(page: Page, path = "/lab"): Promise<void> {
  await page.goto(path);
  await expect(page.getByTestId("connection-state")).toHaveAttribute("data-state", "live");
}

const numberIn = async (locator: Locator): Promise<number> => Number((await locator.textContent())?.replace(/[^\d.]/g, "") || "NaN");

/** Enter opens the selection in the inspector; the name is typed over, Escape gives the keys back to the canvas. */
async function nameSelection(page: Page, name: string): Promise<void> {
  await page.keyboard.press("Enter");
  const field = page.getByTestId("inspector").getByTestId("field-name");
  await expect(field).toBeFocused();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type(name);
  await expect(field).toHaveValue(name);
  await page.keyboard.press("Escape");
  await expect(field).not.toBeFocused();
}

async function loadExample(page: Page, id: string): Promise<void> {
  await page.getByTestId("load-menu").click();
  await page.getByTestId(`example-${id}`).click();
  await expect(page.getByTestId("toast")).toContainText(`Loaded ${id}`);
}

test.describe.configure({ mode: "serial" });
// DOM snapshots of a page that redraws ten times a second stall it for seconds per action; keep
// screenshots in the trace of a failure, not snapshots.
test.use({ trace: { mode: "retain-on-failure", snapshots: false, screenshots: true } });

test("build order → inventory from an empty canvas, run it, watch it drain, and open a message's trace", async ({ page }) => {
  const queue = `order_queue_${suffix()}`;
  await openLab(page);

  await test.step("an empty canvas says where to start, and Start says why it cannot", async () => {
    await expect(page.getByTestId("lab-empty")).toContainText("Load an example or add a service");
    await expect(page.getByTestId("first-run-hint")).toContainText("order-inventory");
    await expect(page.getByTestId("start-run")).toBeDisabled();
    await expect(page.getByTestId("start-blocked")).toContainText("add a service");
  });

  await test.step("keyboard: a service with a producer, a queue, a service with a consumer", async () => {
    await page.keyboard.press("s");
    await nameSelection(page, "order-service");
    await page.keyboard.press("p");
    await nameSelection(page, "new-orders");
    const inspector = page.getByTestId("inspector");
    await inspector.getByLabel("Messages per second").fill("50");
    await inspector.getByLabel("Count").fill("300");
    await page.keyboard.press("Escape");
    await page.keyboard.press("q");
    await nameSelection(page, queue);
    await page.keyboard.press("s");
    await nameSelection(page, "inventory-service");
    await page.keyboard.press("c");
    await nameSelection(page, "update-stock");
    // Slower than the producer, so the queue fills up and then drains.
    await inspector.getByLabel("Milliseconds").fill("40");
    await expect(inspector.getByLabel("Milliseconds")).toHaveValue("40");
    await page.keyboard.press("Escape");
    await expect(page.getByTestId("producer-order-service-new-orders")).toContainText("not connected");
    await expect(page.getByTestId("start-run")).toBeDisabled();
    await expect(page.getByTestId("start-blocked")).toContainText("order-service/new-orders is not connected");
  });

  await test.step("mouse: drag from the producer to the queue and from the queue to the consumer", async () => {
    const producerHandle = page.locator('[data-id="svc:order-service"] .react-flow__handle[data-handleid="p:0"]');
    const queueIn = page.locator(`[data-id="q:rabbit/${queue}"] .react-flow__handle[data-handleid="in"]`);
    await producerHandle.dragTo(queueIn);
    await expect(page.getByTestId("producer-order-service-new-orders")).toContainText(`→ ${queue}`);
    const queueOut = page.locator(`[data-id="q:rabbit/${queue}"] .react-flow__handle[data-handleid="out"]`);
    const consumerHandle = page.locator('[data-id="svc:inventory-service"] .react-flow__handle[data-handleid="c:0"]');
    await queueOut.dragTo(consumerHandle);
    await expect(page.getByTestId("consumer-inventory-service-update-stock")).toContainText(`← ${queue}`);
    await expect(page.getByTestId("start-run")).toBeEnabled();
    await page.getByTestId("tab-yaml").click();
    await expect(page.getByTestId("yaml-view")).toContainText(`to: { queue: ${queue} }`);
    await expect(page.getByTestId("yaml-view")).toContainText("✓ Valid scenario.");
    await expect(page.getByTestId("yaml-view")).toContainText("ms: 40");
    await page.getByTestId("tab-inspect").click();
    await page.screenshot({ path: `${screenshots}/lab-build.png` });
  });

  const published = page.getByTestId("producer-counters-order-service-new-orders").getByTestId("published");
  const received = page.getByTestId("consumer-counters-inventory-service-update-stock").getByTestId("received");
  const depth = page.getByTestId(`queue-depth-${queue}`);

  await test.step("run it: counters rise, the queue fills and then drains", async () => {
    await page.getByTestId("start-run").click();
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", /starting|running/);
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "running", { timeout: 60_000 });
    await expect(page).toHaveURL(/\/lab\?run=/);
    await expect.poll(() => numberIn(published), { timeout: 30_000 }).toBeGreaterThan(20);
    const firstPublished = await numberIn(published);
    await expect.poll(() => numberIn(published), { timeout: 30_000 }).toBeGreaterThan(firstPublished);
    await expect.poll(() => numberIn(received), { timeout: 30_000 }).toBeGreaterThan(10);
    await expect(page.getByTestId("service-state-inventory-service")).toHaveAttribute("data-state", "connected");
    let peak = 0;
    await expect.poll(async () => (peak = Math.max(peak, Number(await depth.getAttribute("data-depth")))), {
      timeout: 40_000,
      message: "the queue fills: the consumer (40 ms a message, one at a time) is slower than the producer (50 msg/s)",
    }).toBeGreaterThanOrEqual(30).catch(async (error: Error) => {
      // Say what the page showed, so a failure tells a slow consumer from a stale depth.
      throw new Error(`${error.message}\npublished ${await published.textContent()}, received ${await received.textContent()}, depth ${await depth.getAttribute("data-depth")}`);
    });
    await page.screenshot({ path: `${screenshots}/lab-running.png` });
    await expect.poll(async () => {
      const now = Number(await depth.getAttribute("data-depth"));
      peak = Math.max(peak, now);
      return now;
    }, { timeout: 60_000 }).toBeLessThan(Math.max(1, peak / 2));
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "finished", { timeout: 90_000 });
    await expect(published).toHaveText("300");
    await expect(received).toHaveText("300");
    await expect(page.getByTestId("ledger-consumed")).toContainText("300");
    await expect(page.getByTestId("ledger-lost")).toContainText("0");
  });

  await test.step("a message's flight recorder, then its trace with spans from both services", async () => {
    const log = page.getByRole("region", { name: "Message log" });
    await log.locator("tbody tr").filter({ hasText: "inventory-service" }).first().click();
    const recorder = page.getByTestId("flight-recorder");
    await expect(recorder).toContainText(/published/i);
    await expect(recorder).toContainText(/acked/i);
    await recorder.getByTestId("open-trace").click();
    const trace = page.getByTestId("trace-timeline");
    await expect(trace.getByRole("button", { name: /^producer span .* in order-service/ })).toBeVisible({ timeout: 60_000 });
    await expect(trace.getByRole("button", { name: /^consumer span .* in inventory-service/ })).toBeVisible({ timeout: 30_000 });
    await page.getByTestId("trace-panel").scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${screenshots}/lab-trace.png`, fullPage: true });
  });
});

test("the fanout example: both subscribers receive every message; a share link carries the scenario", async ({ page, context }) => {
  await openLab(page);
  await loadExample(page, "fanout-logs");
  await expect(page.locator('[data-id="ex:rabbit/logs"]')).toBeVisible();

  await test.step("Share gives a link that opens the same scenario elsewhere", async () => {
    await page.getByTestId("share").click();
    const link = await page.getByTestId("share-url").inputValue();
    expect(link).toMatch(/\/lab#s=[A-Za-z0-9_-]+$/);
    const other = await context.newPage();
    await other.goto(link);
    await expect(other.getByTestId("toast")).toContainText("Loaded the scenario from the link");
    await expect(other.locator('[data-id="q:rabbit/logs.monitor"]')).toBeVisible();
    await expect(other).toHaveURL(/\/lab$/);
    await other.close();
  });

  await page.getByTestId("start-run").click();
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "running", { timeout: 60_000 });
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `${screenshots}/lab-fanout.png` });
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "finished", { timeout: 90_000 });
  // examples/fanout-logs.yaml publishes 100 log lines; a fanout exchange gives each queue a copy.
  await expect(page.getByTestId("producer-counters-web-app-app-logs").getByTestId("published")).toHaveText("100");
  await expect(page.getByTestId("consumer-counters-log-archiver-archive").getByTestId("received")).toHaveText("100");
  await expect(page.getByTestId("consumer-counters-log-monitor-watch").getByTestId("received")).toHaveText("100");
  await expect(page.getByTestId("ledger-lost")).toContainText("0");
});

test("two browsers on one run show the same counts, and a reopened tab catches up", async ({ browser }) => {
  const first = await browser.newContext();
  const second = await browser.newContext();
  try {
    const a = await first.newPage();
    await openLab(a);
    await loadExample(a, "order-inventory");
    // A fixed length keeps the run open while the second browser joins.
    await a.getByTestId("run-length").selectOption("30");
    await a.getByTestId("start-run").click();
    await expect(a.getByTestId("run-status")).toHaveAttribute("data-status", "running", { timeout: 60_000 });
    const runId = new URL(a.url()).searchParams.get("run");
    expect(runId).toBeTruthy();

    let b = await second.newPage();
    await openLab(b, `/lab?run=${runId}`);
    await expect(b.getByTestId("run-id")).toHaveText(runId!);
    await expect(b.getByTestId("run-status")).toHaveAttribute("data-status", "running");
    await expect(b.locator('[data-id="q:rabbit/order_queue"]')).toBeVisible();

    const counts = (page: Page) =>
      Promise.all([
        numberIn(page.getByTestId("producer-counters-order-service-new-orders").getByTestId("published")),
        numberIn(page.getByTestId("consumer-counters-inventory-service-update-stock").getByTestId("received")),
      ]);
    await expect.poll(async () => {
      const [x, y] = await Promise.all([counts(a), counts(b)]);
      return x[0]! > 0 && x[0] === y[0] && x[1] === y[1];
    }, { timeout: 20_000, intervals: [100, 200, 300] }).toBe(true);

    // Closing the tab and opening the run again resynchronises from the server's latest frame.
    await b.close();
    b = await second.newPage();
    await openLab(b, `/lab?run=${runId}`);
    await expect.poll(() => counts(b).then(([p]) => p), { timeout: 20_000 }).toBeGreaterThan(0);

    await expect(a.getByTestId("run-status")).toHaveAttribute("data-status", "finished", { timeout: 90_000 });
    await expect(b.getByTestId("run-status")).toHaveAttribute("data-status", "finished", { timeout: 30_000 });
    const [finalA, finalB] = await Promise.all([counts(a), counts(b)]);
    expect(finalA).toEqual([200, 200]);
    expect(finalB).toEqual(finalA);
    await expect(b.getByTestId("ledger-consumed")).toContainText("200");
  } finally {
    await first.close();
    await second.close();
  }
});

test("sending by hand: a run with a “By hand” producer stays open, Send sends, and says when the count is used up", async ({ page }) => {
  const queue = `by_hand_${suffix()}`;
  const yaml = `version: 1
name: by-hand
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${queue} } ] } }
services:
  - name: desk
    producers: [ { name: clicks, broker: rabbit, to: { queue: ${queue} }, rate: { manual: true }, count: 3, payload: { n: "{{seq}}" } } ]
  - name: counter
    consumers: [ { name: tally, broker: rabbit, from: { queue: ${queue} } } ]
`;
  await openLab(page, `/lab#${await encodeShareHash(yaml)}`);
  await expect(page.getByTestId("toast")).toContainText("Loaded the scenario from the link");
  await page.getByTestId("start-run").click();
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "running", { timeout: 60_000 });
  // Nothing is sent yet, and the run waits for the three sends instead of ending drained.
  await page.waitForTimeout(3_000);
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "running");

  await page.getByTestId("tab-send").click();
  await page.getByTestId("send-count").fill("2");
  await page.getByTestId("send-button").click();
  await expect(page.getByTestId("send-panel").getByRole("status").last()).toHaveText("Sent 2 messages from desk/clicks.");
  const received = page.getByTestId("consumer-counters-counter-tally").getByTestId("received");
  await expect(received).toHaveText("2");

  await page.getByTestId("send-count").fill("5");
  await page.getByTestId("send-button").click();
  await expect(page.getByTestId("send-panel").getByRole("status").last()).toHaveText("Sent 1 message from desk/clicks.");
  await expect(page.getByTestId("send-exhausted")).toContainText("desk/clicks has already sent its count of 3");
  await expect(page.getByTestId("send-button")).toBeDisabled();
  await page.screenshot({ path: `${screenshots}/lab-send.png` });
  // Three sent and consumed: the run ends by draining.
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "finished", { timeout: 30_000 });
  await expect(received).toHaveText("3");
});
