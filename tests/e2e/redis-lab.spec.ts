// The lab's Redis parts against the real stack (the local redis-server) in Chromium: a Streams
// pipeline (producer → stream → consumer group) built on the empty canvas from the Redis menu,
// the inspector and a drag, its YAML read back as the document the canvas wrote, then run:
// counters move, the group's lag and pending show on the stream node, and the ledger loses none.
import { expect, test } from "@playwright/test";
import type { Locator, Page } from "@playwright/test";
import { parse } from "yaml";

const screenshots = "tests/e2e/screenshots";
const suffix = () => Math.random().toString(36).slice(2, 7);
const numberIn = async (locator: Locator): Promise<number> => Number((await locator.textContent())?.replace(/[^\d.]/g, "") || "NaN");

test.describe.configure({ mode: "serial" });
// DOM snapshots of a page that redraws ten times a second stall it; keep screenshots only.
test.use({ trace: { mode: "retain-on-failure", snapshots: false, screenshots: true } });

/** Names the selected item through the inspector's Name field (renames follow every reference). */
async function nameSelection(page: Page, form: string, name: string): Promise<void> {
  const field = page.getByTestId(`inspector-${form}`).getByTestId("field-name");
  await field.fill(name);
  await expect(field).toHaveValue(name);
  await field.press("Escape");
}

/** Waits until a node stops moving (the canvas fits the graph in after each addition). */
async function stillNode(node: Locator): Promise<void> {
  let last = "";
  await expect.poll(async () => {
    const box = JSON.stringify(await node.boundingBox());
    const still = box === last;
    last = box;
    return still;
  }, { intervals: [300] }).toBe(true);
}

test("build producer → Redis stream → consumer group on the empty canvas and run it on Redis: nothing lost", async ({ page }) => {
  const id = suffix();
  const stream = `orders-${id}`;
  const [shop, fulfilment] = [`shop-${id}`, `fulfilment-${id}`];
  // 8 s at 20/s: long enough to watch the counters move while the run is on.
  const count = 160;
  const inspector = page.getByTestId("inspector");
  await page.goto("/lab");
  await expect(page.getByTestId("connection-state")).toHaveAttribute("data-state", "live");
  await expect(page.getByTestId("lab-empty")).toBeVisible();

  await test.step("the Redis menu adds a stream; its inspector sets MAXLEN and the claim idle time", async () => {
    await page.getByTestId("add-redis").click();
    await page.getByTestId("add-redis-stream").click();
    await nameSelection(page, "stream", stream);
    await page.getByTestId("field-max-len").fill("5000");
    await page.getByTestId("field-claim-idle").fill("2s");
    await page.getByTestId("field-claim-idle").press("Tab");
    const node = page.locator(`[data-id="t:redis/${stream}"]`);
    await expect(node).toContainText("stream on redis");
    await expect(node).toContainText("MAXLEN ~5k");
  });

  await test.step("a producer service sending to the stream, and a consumer dragged from the stream", async () => {
    await page.getByTestId("add-service").click();
    await nameSelection(page, "service", shop);
    await page.getByTestId("add-producer").click();
    await inspector.getByLabel("Messages per second").fill("20");
    await inspector.getByLabel("Count").fill(String(count));
    await page.getByTestId("field-to").selectOption(`topic:redis/${stream}`);
    await expect(page.getByTestId(`producer-${shop}-producer`)).toContainText(`→ ${stream}`);
    await page.getByTestId("add-service").click();
    await nameSelection(page, "service", fulfilment);
    await page.locator(".react-flow").scrollIntoViewIfNeeded();
    const streamNode = page.locator(`[data-id="t:redis/${stream}"]`);
    await stillNode(streamNode);
    await streamNode.locator('.react-flow__handle[data-handleid="out"]').dragTo(page.locator(`[data-id="svc:${fulfilment}"] .react-flow__handle[data-handleid="new-consumer"]`));
    await expect(page.getByTestId(`consumer-${fulfilment}-read`)).toContainText(`← ${stream} · group ${fulfilment}`);
    await expect(page.getByTestId("field-group")).toHaveValue(fulfilment);
  });

  await test.step("the YAML is the pipeline the canvas drew", async () => {
    await page.getByTestId("tab-yaml").click();
    await expect(page.getByTestId("yaml-view")).toContainText("✓ Valid scenario.");
    const doc = parse(await page.locator(".cm-content").innerText());
    expect(doc.brokers).toEqual({ redis: { kind: "redis" } });
    expect(doc.resources).toEqual({ redis: { streams: [{ name: stream, maxLen: 5000, claimIdle: "2s" }] } });
    expect(doc.services.map((s: { name: string }) => s.name)).toEqual([shop, fulfilment]);
    expect(doc.services[0].producers[0]).toMatchObject({ broker: "redis", to: { stream }, rate: { perSecond: 20 }, count });
    expect(doc.services[1].consumers[0]).toMatchObject({ name: "read", broker: "redis", from: { stream, group: fulfilment } });
    await page.getByTestId("tab-inspect").click();
    await page.locator(".react-flow__pane").click({ position: { x: 5, y: 5 } });
    await page.screenshot({ path: `${screenshots}/redis-lab-build.png` });
  });

  await test.step("run it: counters move, the group's lag and pending show on the stream, none lost", async () => {
    await expect(page.getByTestId("start-run")).toBeEnabled();
    await page.getByTestId("start-run").click();
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "running", { timeout: 60_000 });
    const published = page.getByTestId(`producer-counters-${shop}-producer`).getByTestId("published");
    const received = page.getByTestId(`consumer-counters-${fulfilment}-read`).getByTestId("received");
    // The producer's counter moves during the run (a consumer process may start later on a busy machine, then catch up).
    await expect.poll(() => numberIn(published), { timeout: 30_000 }).toBeGreaterThan(0);
    const firstPublished = await numberIn(published);
    expect(firstPublished).toBeLessThan(count);
    await expect.poll(() => numberIn(published), { timeout: 10_000 }).toBeGreaterThan(firstPublished);
    await expect.poll(() => numberIn(received), { timeout: 30_000 }).toBeGreaterThan(0);
    // XINFO GROUPS, read by the run's frames: the group's lag and pending entries on the stream node.
    await expect(page.getByTestId(`topic-lag-${stream}-${fulfilment}`)).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId(`topic-pending-${stream}-${fulfilment}`)).toHaveAttribute("data-pending", /^\d+$/);
    await page.screenshot({ path: `${screenshots}/redis-lab-running.png` });
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "finished", { timeout: 90_000 });
    await expect(published).toHaveText(String(count));
    await expect(received).toHaveText(String(count));
    await expect(page.getByTestId("ledger-consumed").locator(".ledger__value")).toHaveText(String(count));
    await expect(page.getByTestId("ledger-lost").locator(".ledger__value")).toHaveText("0");
    await page.screenshot({ path: `${screenshots}/redis-lab-finished.png` });
  });
});
