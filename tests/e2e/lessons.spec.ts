// Lessons as a learner takes them, on the real stack: lessons 1, 3, 8 and 25 from the first step to
// the summary, each check red until the learner has really done the step, then green; the prediction
// of the acknowledgements lesson marked wrong by the run; the exercise's mistakes caught.
import { expect, test } from "@playwright/test";
import type { Locator, Page } from "@playwright/test";
import { lessons } from "../../lib/lessons/catalogue";

const screenshots = "tests/e2e/screenshots";

const check = (page: Page) => page.getByTestId("step-check");
const runStatus = (page: Page) => page.getByTestId("run-status");

/** The check has been read from the server (it is no longer "waiting"). */
async function checkLoaded(page: Page): Promise<Locator> {
  await expect(check(page)).not.toHaveAttribute("data-state", "waiting", { timeout: 15_000 });
  return check(page);
}

async function expectGreen(page: Page, timeout: number) {
  await expect(check(page)).toHaveAttribute("data-state", "pass", { timeout });
  await expect(page.getByTestId("check-word")).toHaveText("Done");
}

/** The check stays short of green for a while: the learner has not done the step yet. */
async function expectNotGreenFor(page: Page, ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await expect(check(page)).not.toHaveAttribute("data-state", "pass");
    await page.waitForTimeout(500);
  }
}

/** No verdict before a run of the step has started: nothing to read as "Almost" or "Not yet". */
async function expectIdle(page: Page) {
  await expect(check(page)).toHaveAttribute("data-state", "idle");
  await expect(page.getByTestId("check-idle")).toContainText("No run of this step yet");
}

/** Answers the step's quiz questions (the first option each): a lesson is complete only with every one answered. */
async function answerQuiz(page: Page) {
  for (const question of await page.locator("[data-testid^=question-]").all()) {
    await question.locator("label").first().click();
    await question.getByRole("button", { name: "Check answer" }).click();
    await expect(question.getByRole("status")).toBeVisible();
  }
}

async function openStep(page: Page, stepId: string) {
  await page.getByTestId(`step-tab-${stepId}`).click();
  await expect(page.getByTestId("lesson-step")).toHaveAttribute("data-step", stepId);
  await checkLoaded(page);
}

async function start(page: Page) {
  await page.getByTestId("run-start").click();
  await expect(runStatus(page)).toHaveAttribute("data-status", /running|finished/, { timeout: 60_000 });
}

async function editScenario(page: Page, from: string | RegExp, to: string) {
  const editor = page.getByTestId("scenario-editor");
  const text = await editor.inputValue();
  const next = text.replace(from, to);
  expect(next, `the scenario contains ${String(from)}`).not.toBe(text);
  await editor.fill(next);
}

test.describe.configure({ mode: "serial" });

test("the lesson list shows the whole course with the learner's progress", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: /Start the course/ }).click();
  await expect(page).toHaveURL(/\/lessons$/);
  await expect(page.getByRole("heading", { level: 1, name: "Lessons" })).toBeVisible();
  await expect(page.locator("[data-testid^=lesson-card-]")).toHaveCount(lessons.length);
  await expect(page.getByTestId("lesson-card-hello-queue")).toHaveAttribute("data-status", "new");
  await expect(page.getByText(new RegExp(`0 of ${lessons.length} completed`))).toBeVisible();
  await page.screenshot({ path: `${screenshots}/lessons-list.png`, fullPage: true });
  await page.getByTestId("lesson-card-hello-queue").getByRole("link", { name: "Hello, queue" }).click();
  await expect(page).toHaveURL(/\/lessons\/hello-queue/);
  await expect(page.getByRole("heading", { level: 1, name: "Hello, queue" })).toBeVisible();
});

test("lesson 1: hello queue, completed step by step against the real broker", async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto("/lessons/hello-queue");
  await expect(page.getByTestId("scenario-verdict")).toHaveAttribute("data-valid", "true");

  await test.step("step 1 gives no verdict without a run, turns green once an order is acknowledged", async () => {
    await checkLoaded(page);
    await expectIdle(page);
    await expect(page.getByRole("tab", { name: "Python (pika)" })).toBeVisible();
    await page.screenshot({ path: `${screenshots}/lesson-1-before.png`, fullPage: true });
    await start(page);
    await expectGreen(page, 30_000);
    await expect(page.getByTestId("step-tab-run-it")).toHaveAttribute("data-done", "true");
    await expect(page.getByTestId("open-in-lab")).toHaveAttribute("href", /^\/lab\?run=order-inventory-/);
    await page.screenshot({ path: `${screenshots}/lesson-1-green.png`, fullPage: true });
    await answerQuiz(page);
  });

  await test.step("step 2 turns green when the run has processed all 200 orders with none lost", async () => {
    await page.getByTestId("next-step").click();
    await checkLoaded(page);
    await expectGreen(page, 60_000);
    await expect(page.getByTestId("ledger-lost")).toHaveText("0");
    await answerQuiz(page);
  });

  await test.step("step 3 stays red while the consumer runs, and turns green once it is killed and the queue fills", async () => {
    await page.getByTestId("next-step").click();
    await checkLoaded(page);
    await expect(page.getByTestId("scenario-editor")).toHaveValue(/name: steady-orders/);
    await expect(check(page)).not.toHaveAttribute("data-state", "pass");
    await start(page);
    await expect(page.getByRole("button", { name: "Kill inventory-service" })).toBeVisible({ timeout: 15_000 });
    await expectNotGreenFor(page, 3_000);
    await page.getByRole("button", { name: "Kill inventory-service" }).click();
    await expect(page.getByTestId("replica-inventory-service-0")).toHaveAttribute("data-state", "killed");
    await expectGreen(page, 20_000);
    await page.screenshot({ path: `${screenshots}/lesson-1-queue-holds.png`, fullPage: true });
  });

  await test.step("step 4 turns green only after inventory-service is started again and has drained the queue", async () => {
    await page.getByTestId("next-step").click();
    await checkLoaded(page);
    await expectNotGreenFor(page, 2_000);
    await page.getByRole("button", { name: "Start inventory-service" }).click();
    await expectGreen(page, 90_000);
  });

  await test.step("the summary says the lesson is complete, and a reload keeps the progress", async () => {
    await page.getByTestId("next-step").click();
    await expect(page.getByTestId("lesson-summary")).toHaveAttribute("data-complete", "true");
    await expect(page.getByTestId("summary-steps")).toHaveText("4/4");
    await page.screenshot({ path: `${screenshots}/lesson-1-summary.png`, fullPage: true });
    await page.reload();
    await expect(page.getByTestId("lesson-progress")).toHaveText("4/4 steps done");
    await page.goto("/lessons");
    await expect(page.getByTestId("lesson-card-hello-queue")).toHaveAttribute("data-status", "done");
  });
});

test("lesson 3: acknowledgements; a wrong prediction is marked wrong by the run", async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto("/lessons/acknowledgements");

  await test.step("step 1: manual acks, a kill, redelivery seen in the counters and in Jaeger, nothing lost", async () => {
    await checkLoaded(page);
    await expectIdle(page);
    await start(page);
    await expectGreen(page, 60_000);
    await expect(page.getByTestId("check-redelivered-not-lost.3")).toHaveAttribute("data-state", "pass");
    await answerQuiz(page);
  });

  await test.step("step 2: predict 'none lost', switch to ack: auto, run: the check turns green and the prediction is wrong", async () => {
    await page.getByTestId("next-step").click();
    await checkLoaded(page);
    await expect(check(page)).not.toHaveAttribute("data-state", "pass");
    await expect(page.getByTestId("run-start")).toBeDisabled();
    await expect(page.getByTestId("run-blocked")).toContainText("Answer the prediction first");
    await page.getByTestId("prediction").getByText("None is lost").click();
    await page.getByRole("button", { name: "Lock in my prediction" }).click();
    await expect(page.getByTestId("prediction")).toHaveAttribute("data-status", "answered");
    await editScenario(page, "ack: manual", "ack: auto");
    await start(page);
    await expectNotGreenFor(page, 4_000);
    await expectGreen(page, 60_000);
    await expect(page.getByTestId("prediction")).toHaveAttribute("data-status", "wrong", { timeout: 15_000 });
    await expect(page.getByTestId("prediction-status")).toContainText("Your prediction was wrong.");
    await expect(page.getByTestId("ledger-lost")).not.toHaveText("0");
    await page.screenshot({ path: `${screenshots}/lesson-3-prediction-wrong.png`, fullPage: true });
    await answerQuiz(page);
  });

  await test.step("step 3: predict right, Show me runs prefetch 1, one order comes back", async () => {
    await page.getByTestId("next-step").click();
    await checkLoaded(page);
    await page.getByTestId("prediction").getByText("One or two").click();
    await page.getByRole("button", { name: "Lock in my prediction" }).click();
    await page.getByTestId("show-me").click();
    await expect(page.getByTestId("scenario-editor")).toHaveValue(/prefetch: 1\b/);
    await expectGreen(page, 60_000);
    await expect(page.getByTestId("prediction")).toHaveAttribute("data-status", "right", { timeout: 15_000 });
  });

  await test.step("the summary counts the steps and the predictions", async () => {
    await page.getByTestId("next-step").click();
    await expect(page.getByTestId("lesson-summary")).toHaveAttribute("data-complete", "true");
    await expect(page.getByText("Predictions right")).toBeVisible();
    await page.screenshot({ path: `${screenshots}/lesson-3-summary.png`, fullPage: true });
  });
});

test("lesson 8: Kafka partitions, groups and a rebalance after a member is killed", async ({ page }) => {
  test.setTimeout(360_000);
  await page.goto("/lessons/kafka-partitions-groups");

  await test.step("step 1: keys stay on their partition, offsets committed on every partition", async () => {
    await checkLoaded(page);
    await expectIdle(page);
    await start(page);
    await expectGreen(page, 90_000);
    await answerQuiz(page);
  });

  await test.step("step 2: no verdict from the old run, green once billing runs three members", async () => {
    await page.getByTestId("next-step").click();
    await checkLoaded(page);
    await expectIdle(page);
    await page.getByTestId("prediction").getByText("All 120").click();
    await page.getByRole("button", { name: "Lock in my prediction" }).click();
    await page.getByTestId("show-me").click();
    await expectGreen(page, 90_000);
    await expect(page.getByTestId("prediction")).toHaveAttribute("data-status", "right", { timeout: 15_000 });
    await answerQuiz(page);
  });

  await test.step("step 3: red until a billing member is killed and the group has caught up after the rebalance", async () => {
    await page.getByTestId("next-step").click();
    await checkLoaded(page);
    await expect(page.getByTestId("scenario-editor")).toHaveValue(/name: kafka-rebalance/);
    await page.getByTestId("prediction").getByText("All 400").click();
    await page.getByRole("button", { name: "Lock in my prediction" }).click();
    await start(page);
    await expect(page.getByRole("button", { name: "Kill billing-service #1" })).toBeVisible({ timeout: 15_000 });
    await expectNotGreenFor(page, 3_000);
    await page.getByRole("button", { name: "Kill billing-service #1" }).click();
    await expect(page.getByTestId("replica-billing-service-1")).toHaveAttribute("data-state", "killed");
    await expectNotGreenFor(page, 5_000);
    await page.screenshot({ path: `${screenshots}/lesson-8-rebalancing.png`, fullPage: true });
    await expectGreen(page, 150_000);
    await answerQuiz(page);
  });

  await test.step("the summary: lesson complete", async () => {
    await page.getByTestId("next-step").click();
    await expect(page.getByTestId("lesson-summary")).toHaveAttribute("data-complete", "true");
    await page.screenshot({ path: `${screenshots}/lesson-8-summary.png`, fullPage: true });
  });
});

test("the exercise catches a misspelled queue and a mismatched declaration", async ({ page }) => {
  await page.goto("/lessons/exercise-first-pipeline?step=typo");
  await checkLoaded(page);
  await expectIdle(page);
  await editScenario(page, "from: { queue: order_queue }", "from: { queue: orders_queue }");
  await expect(page.getByTestId("scenario-verdict")).toHaveAttribute("data-valid", "false");
  await page.getByTestId("run-start").click();
  await expectGreen(page, 15_000);
  await expect(check(page)).toContainText("not a queue declared");

  await openStep(page, "declarations");
  await expectIdle(page);
  // The step loads two matching declarations; the learner gives inventory-service's (the second) a TTL.
  const editor = page.getByTestId("scenario-editor");
  const text = await editor.inputValue();
  const plain = "- { name: order_queue, type: classic, durable: true }";
  const at = text.lastIndexOf(plain);
  expect(at).toBeGreaterThan(text.indexOf(plain));
  await editor.fill(`${text.slice(0, at)}- { name: order_queue, type: classic, durable: true, messageTtl: 60s }${text.slice(at + plain.length)}`);
  await page.getByTestId("run-start").click();
  await expect(page.getByTestId("run-error")).toHaveAttribute("data-code", "CONFLICT", { timeout: 30_000 });
  await expectGreen(page, 15_000);
  await page.screenshot({ path: `${screenshots}/exercise-conflict.png`, fullPage: true });
});

test("lesson 9: the run panel replays a projection from offset 0, and the check sees it", async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto("/lessons/event-sourcing?step=replay");
  await checkLoaded(page);
  await expectIdle(page);
  await expect(page.getByTestId("scenario-editor")).toHaveValue(/name: event-sourcing/);
  await start(page);
  const projection = page.getByTestId("projection-inventory-view/stock-levels");
  await expect(projection.locator("td").first()).toHaveText("600", { timeout: 60_000 });
  await expectNotGreenFor(page, 2_000);
  await page.getByRole("button", { name: "Replay inventory-view/stock-levels from offset 0" }).click();
  await expectGreen(page, 60_000);
  await page.screenshot({ path: `${screenshots}/lesson-9-replayed.png`, fullPage: true });
});

test("a lesson reads well on a phone", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/lessons/work-queues");
  await checkLoaded(page);
  await page.screenshot({ path: `${screenshots}/lesson-phone.png`, fullPage: true });
});

test("lesson 25: back-pressure, from the first prediction to a complete lesson", async ({ page }) => {
  test.setTimeout(420_000);
  await page.goto("/lessons/back-pressure");

  await test.step("step 1: predict, run: drop-head deletes confirmed orders, the prediction is decided by the run", async () => {
    await checkLoaded(page);
    await expectIdle(page);
    await expect(page.getByTestId("run-start")).toBeDisabled();
    await page.getByTestId("prediction").getByText("Between the two").click();
    await page.getByRole("button", { name: "Lock in my prediction" }).click();
    await start(page);
    await expectGreen(page, 90_000);
    await expect(page.getByTestId("prediction")).toHaveAttribute("data-status", "right", { timeout: 15_000 });
    await expect(page.getByTestId("ledger-lost")).not.toHaveText("0");
  });

  await test.step("step 2: the learner switches the queue to reject-publish: refused sends, nothing lost", async () => {
    await page.getByTestId("next-step").click();
    await checkLoaded(page);
    await page.getByTestId("prediction").getByText("None: what the queue accepted").click();
    await page.getByRole("button", { name: "Lock in my prediction" }).click();
    await editScenario(page, "overflow: drop-head", "overflow: reject-publish");
    await start(page);
    await expectGreen(page, 90_000);
    await expect(page.getByTestId("ledger-lost")).toHaveText("0");
    await expect(page.getByTestId("prediction")).toHaveAttribute("data-status", "right", { timeout: 15_000 });
  });

  await test.step("step 3: the same burst on Kafka: the group lags and catches up; the quiz is answered", async () => {
    await page.getByTestId("next-step").click();
    await checkLoaded(page);
    await start(page);
    await expectGreen(page, 120_000);
    await answerQuiz(page);
  });

  await test.step("step 4: the reactive consumer's generated code is shown; concurrency 8 keeps up", async () => {
    await page.getByTestId("next-step").click();
    await checkLoaded(page);
    await page.getByRole("tab", { name: "TypeScript (RxJS, generated by Brokerlab)" }).click();
    await expect(page.getByRole("tabpanel")).toContainText("}, concurrency),");
    await editScenario(page, /concurrency: 1\b/, "concurrency: 8");
    await start(page);
    await expectGreen(page, 90_000);
    await expect(page.getByTestId("ledger-lost")).toHaveText("0");
    await page.screenshot({ path: `${screenshots}/lesson-25-reactive.png`, fullPage: true });
    await answerQuiz(page);
  });

  await test.step("the summary: every step done by hand, every question answered, the lesson complete", async () => {
    await page.getByTestId("next-step").click();
    const summary = page.getByTestId("lesson-summary");
    await expect(summary).toHaveAttribute("data-complete", "true");
    await expect(page.getByTestId("summary-steps")).toHaveText("4/4");
    await expect(page.getByTestId("summary-answered")).toHaveText("3/3");
    await expect(page.getByTestId("summary-help")).toHaveText("0/4");
    await page.goto("/lessons");
    await expect(page.getByTestId("lesson-card-back-pressure")).toHaveAttribute("data-status", "done");
  });
});
