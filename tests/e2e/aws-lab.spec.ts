// The lab's Amazon parts against the real stack (moto's SQS/SNS) in Chromium: an SNS topic fanning
// out to two SQS queues, built on the empty canvas from the Amazon menu, the canvas and the
// inspector, then run: both consumers receive every message and the ledger loses none.
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";

const screenshots = "tests/e2e/screenshots";
const suffix = () => Math.random().toString(36).slice(2, 7);

test.describe.configure({ mode: "serial" });
// DOM snapshots of a page that redraws ten times a second stall it; keep screenshots only.
test.use({ trace: { mode: "retain-on-failure", snapshots: false, screenshots: true } });

async function addAws(page: Page, what: string): Promise<void> {
  await page.getByTestId("add-aws").click();
  await page.getByTestId(`add-aws-${what}`).click();
}

/** Names the selected item through the inspector's Name field (renames follow every reference). */
async function nameSelection(page: Page, form: string, name: string): Promise<void> {
  const field = page.getByTestId(`inspector-${form}`).getByTestId("field-name");
  await field.fill(name);
  await expect(field).toHaveValue(name);
  await field.press("Escape");
}

test("build an SNS → two SQS queues fan-out on the empty canvas and run it: both consumers get every message", async ({ page }) => {
  const id = suffix();
  const topic = `order-events-${id}`;
  const billing = `billing-${id}`;
  const shipping = `shipping-${id}`;
  const count = 60;
  const inspector = page.getByTestId("inspector");
  await page.goto("/lab");
  await expect(page.getByTestId("connection-state")).toHaveAttribute("data-state", "live");
  await expect(page.getByTestId("lab-empty")).toBeVisible();

  await test.step("the Amazon menu: the broker, the topic and two queues", async () => {
    await addAws(page, "broker");
    await page.getByTestId("tab-yaml").click();
    await expect(page.getByTestId("yaml-view")).toContainText("kind: aws");
    await page.getByTestId("tab-inspect").click();
    await addAws(page, "topic");
    await nameSelection(page, "topic", topic);
    await addAws(page, "queue");
    await nameSelection(page, "queue", billing);
    await addAws(page, "queue");
    await nameSelection(page, "queue", shipping);
    await expect(page.locator(`[data-id="q:aws/${shipping}"]`)).toContainText("standard");
  });

  await test.step("subscribe the queues: one by dragging topic → queue, one from the topic's inspector", async () => {
    // The canvas in view and still (it fits the graph in after each addition), then drag.
    await page.locator(".react-flow").scrollIntoViewIfNeeded();
    const topicNode = page.locator(`[data-id="t:aws/${topic}"]`);
    let last = "";
    await expect.poll(async () => {
      const box = JSON.stringify(await topicNode.boundingBox());
      const still = box === last;
      last = box;
      return still;
    }, { intervals: [300] }).toBe(true);
    const topicOut = topicNode.locator('.react-flow__handle[data-handleid="out"]');
    await topicOut.dragTo(page.locator(`[data-id="q:aws/${billing}"] .react-flow__handle[data-handleid="in"]`));
    await page.locator(`[data-id="t:aws/${topic}"]`).click();
    await expect(page.getByTestId("inspector-topic")).toContainText(`→ ${billing} (raw)`);
    await page.getByTestId("field-subscribe").selectOption(shipping);
    await expect(page.getByTestId("inspector-subscription")).toContainText(`${topic} → ${shipping}`);
    await expect(page.getByTestId("field-raw")).toBeChecked();
  });

  await test.step("a producer service sending to the topic, and two consumer services, one per queue", async () => {
    await page.getByTestId("add-service").click();
    await nameSelection(page, "service", `orders-${id}`);
    await page.getByTestId("add-producer").click();
    await inspector.getByLabel("Messages per second").fill("30");
    await inspector.getByLabel("Count").fill(String(count));
    await page.getByTestId("field-to").selectOption(`topic:aws/${topic}`);
    await expect(page.getByTestId(`producer-orders-${id}-producer`)).toContainText(`→ ${topic}`);
    for (const [service, queue] of [[`billing-svc-${id}`, billing], [`shipping-svc-${id}`, shipping]] as const) {
      await page.getByTestId("add-service").click();
      await nameSelection(page, "service", service);
      await page.getByTestId("add-consumer").click();
      await page.getByTestId("field-from").selectOption(`queue:aws/${queue}`);
      await expect(page.getByTestId("field-wait-seconds")).toHaveValue("1");
      await expect(page.getByTestId(`consumer-${service}-consumer`)).toContainText(`← ${queue}`);
    }
    await page.getByTestId("tab-yaml").click();
    await expect(page.getByTestId("yaml-view")).toContainText("✓ Valid scenario.");
    await expect(page.getByTestId("yaml-view")).toContainText(`snsTopic: ${topic}`);
    await page.getByTestId("tab-inspect").click();
    await page.locator(".react-flow__pane").click({ position: { x: 5, y: 5 } });
    await page.screenshot({ path: `${screenshots}/aws-lab-build.png` });
  });

  await test.step("run it: every message reaches both queues' consumers, none lost", async () => {
    await expect(page.getByTestId("start-run")).toBeEnabled();
    await page.getByTestId("start-run").click();
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "running", { timeout: 60_000 });
    // The SQS depth reads in SQS's words (visible / in flight), from the run's frames.
    await expect(page.getByTestId(`queue-depth-${billing}`)).toContainText("in flight", { timeout: 30_000 });
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "finished", { timeout: 90_000 });
    await expect(page.getByTestId(`producer-counters-orders-${id}-producer`).getByTestId("published")).toHaveText(String(count));
    await expect(page.getByTestId(`consumer-counters-billing-svc-${id}-consumer`).getByTestId("received")).toHaveText(String(count));
    await expect(page.getByTestId(`consumer-counters-shipping-svc-${id}-consumer`).getByTestId("received")).toHaveText(String(count));
    await expect(page.getByTestId("ledger-consumed").locator(".ledger__value")).toHaveText(String(count));
    await expect(page.getByTestId("ledger-lost").locator(".ledger__value")).toHaveText("0");
    await page.screenshot({ path: `${screenshots}/aws-lab-finished.png` });
  });
});
