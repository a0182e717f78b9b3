// The pattern views in the lab against the real stack: each pattern example runs and its tab
// fills — replies matched and a request's trace opened, a task dashboard, callbacks delivered
// with retries, and an event-sourcing projection wiped and replayed from offset 0.
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";

const screenshots = "tests/e2e/screenshots";

test.describe.configure({ mode: "serial" });
test.use({ trace: { mode: "retain-on-failure", snapshots: false, screenshots: true } });

async function runExample(page: Page, id: string, seconds?: string): Promise<void> {
  await page.goto("/lab");
  await expect(page.getByTestId("connection-state")).toHaveAttribute("data-state", "live");
  await page.getByTestId("load-menu").click();
  await page.getByTestId(`example-${id}`).click();
  await expect(page.getByTestId("toast")).toContainText(`Loaded ${id}`);
  if (seconds) await page.getByTestId("run-length").selectOption(seconds);
  await page.getByTestId("start-run").click();
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "running", { timeout: 60_000 });
  await expect(page.getByTestId("patterns-panel")).toBeVisible({ timeout: 20_000 });
}

/** The lab page, and the Patterns section on its own (docs/images takes its pictures from these). */
async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${screenshots}/lab-${name}.png`, fullPage: true });
  await page.getByTestId("patterns-panel").screenshot({ path: `${screenshots}/patterns-${name}.png` });
}

const stat = (page: Page, view: string, label: string) =>
  page.getByTestId(view).locator(".ledger__item").filter({ has: page.getByText(label, { exact: true }) }).locator(".ledger__value").first();

test("request/reply: replies matched by correlation id, and a request opens its trace", async ({ page }) => {
  test.setTimeout(150_000);
  await runExample(page, "request-reply");
  await expect(page.getByRole("tab", { name: /Request\/reply/ })).toHaveAttribute("aria-selected", "true");
  await expect.poll(async () => Number((await stat(page, "pattern-requests", "Replied").textContent())?.replace(/\D/g, "")), { timeout: 60_000 }).toBeGreaterThan(10);
  await shoot(page, "request-reply");
  await page.getByTestId("pattern-requests").getByRole("button", { name: /Open trace/ }).first().click();
  await expect(page.getByTestId("trace-panel")).toBeVisible();
  await expect(page.getByTestId("trace-timeline")).toContainText("pricing-service", { timeout: 30_000 });

  await test.step("the requester as runnable code: reply_to and a correlation id, in TypeScript and Python", async () => {
    await page.getByTestId("pattern-checkout-service-price-lookups").click();
    await page.getByTestId("tab-code").click();
    const code = page.locator(".code-view");
    await expect(code).toContainText("replyTo, correlationId: id");
    await code.getByRole("tab", { name: "Python" }).click();
    await expect(code).toContainText("reply_to=reply_to, correlation_id=request_id");
    await page.screenshot({ path: `${screenshots}/lab-request-reply-code.png` });
  });
});

test("task queue: the dashboard counts tasks by state, per worker, and filters the latest", async ({ page }) => {
  test.setTimeout(150_000);
  await runExample(page, "task-queue");
  await page.getByRole("tab", { name: /Tasks/ }).click();
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "finished", { timeout: 120_000 });
  const succeeded = Number((await stat(page, "pattern-tasks", "Succeeded").textContent())?.replace(/\D/g, ""));
  const failed = Number((await stat(page, "pattern-tasks", "Failed").textContent())?.replace(/\D/g, ""));
  expect(succeeded).toBeGreaterThan(0);
  expect(succeeded + failed).toBe(120);
  await expect(page.getByRole("table", { name: "Workers" })).toBeVisible();
  await expect(page.getByRole("table", { name: "By job" })).toContainText("resize-image");
  await page.getByRole("radio", { name: "succeeded" }).click();
  await expect(page.getByTestId("pattern-tasks").locator('[data-testid^="task-"]').first()).toContainText("succeeded");
  await shoot(page, "task-queue");
});

test("webhooks: every callback delivered, and the receiver's failures show as retries", async ({ page }) => {
  test.setTimeout(150_000);
  await runExample(page, "webhooks");
  await page.getByRole("tab", { name: /Webhooks/ }).click();
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "finished", { timeout: 120_000 });
  await expect(stat(page, "pattern-webhooks", "Delivered")).toHaveText("20");
  // The example's receiver fails its first two callbacks (a scheduled outage): two retries, then every callback lands.
  await expect(stat(page, "pattern-webhooks", "Retries")).toHaveText("2");
  await expect(page.getByRole("table", { name: "Callbacks" })).toContainText("delivered");
  await expect(page.getByRole("table", { name: "API calls" }).getByRole("row").nth(1)).toHaveText(/shop\/request-reports · done\s*20\s*20\s*0\s*0/);
  await expect(page.getByRole("table", { name: "Receivers" })).toContainText("shop");
  await expect(page.getByRole("list", { name: "Latest webhook events" })).toContainText("signature valid");
  await shoot(page, "webhooks");
});

test("event sourcing: wipe the projection and replay it from offset 0; the state comes back", async ({ page }) => {
  test.setTimeout(150_000);
  await runExample(page, "event-sourcing", "60");
  await page.getByRole("tab", { name: "Event sourcing" }).click();
  const row = page.getByTestId("pattern-projections").locator('[data-testid^="projection-"]').filter({ has: page.locator("td") }).first();
  // 600 events; more when the topic still holds an earlier run's (the projection reads from offset 0).
  const applied = async () => Number((await row.locator("td").first().textContent())?.replace(/\D/g, ""));
  await expect.poll(applied, { timeout: 60_000 }).toBeGreaterThanOrEqual(600);
  await expect.poll(async () => {
    const first = await applied();
    await page.waitForTimeout(1_500);
    return first === (await applied());
  }, { timeout: 60_000 }).toBe(true);
  const state = page.getByTestId("pattern-projections").locator('[data-testid^="projection-state-"]').first();
  const before = await state.textContent();
  await page.getByRole("button", { name: "Wipe and replay" }).first().click();
  const replay = page.getByTestId("pattern-projections").locator('[data-testid^="replay-"]').first();
  await expect(replay).toHaveAttribute("data-done", "true", { timeout: 60_000 });
  await expect(state).toHaveText(before!);
  await shoot(page, "event-sourcing");
  // Stop the fixed-length run so its topic is deleted now, not left behind for the next test run.
  await page.getByTestId("stop-run").click();
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "finished", { timeout: 60_000 });
});
