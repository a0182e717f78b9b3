// The teacher's dashboard in Chromium: two learners make progress over the lesson socket as the
// lesson page does, then /teacher shows both rows with their marks, the class's predictions, and
// exports the CSV as a download.
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { io as connect } from "socket.io-client";
import type { AckResponse } from "../../lib/events";

const screenshots = "tests/e2e/screenshots";
const stamp = Date.now().toString(36);
const ada = `e2e-ada-${stamp}`;
const bob = `e2e-bob-${stamp}`;

async function asLearner(baseURL: string, steps: [string, unknown][]) {
  const socket = connect(baseURL, { transports: ["websocket"], forceNew: true });
  try {
    for (const [event, payload] of steps) {
      const answer = await new Promise<AckResponse<unknown>>((resolve) => (socket.emit as (e: string, p: unknown, ack: (r: AckResponse<unknown>) => void) => void)(event, payload, resolve));
      if ("error" in answer) throw new Error(`${event}: ${answer.error.message}`);
    }
  } finally {
    socket.disconnect();
  }
}

test("the teacher sees two learners' progress and predictions, and exports the CSV", async ({ page, baseURL }) => {
  await asLearner(baseURL!, [
    ["lesson:open", { learnerId: ada, lessonId: "work-queues" }],
    ["lesson:predict", { learnerId: ada, lessonId: "work-queues", stepId: "scale-out", choice: 0 }],
    ["lesson:attempt", { learnerId: ada, lessonId: "work-queues", stepId: "compete", scenario: "version: 1" }],
  ]);
  await asLearner(baseURL!, [
    ["lesson:open", { learnerId: bob, lessonId: "work-queues" }],
    ["lesson:predict", { learnerId: bob, lessonId: "work-queues", stepId: "scale-out", choice: 1 }],
    ["lesson:open", { learnerId: bob, lessonId: "hello-queue" }],
    ["lesson:attempt", { learnerId: bob, lessonId: "hello-queue", stepId: "run-it", scenario: "version: 1", solution: true }],
  ]);

  await page.goto("/lessons");
  await page.getByTestId("teacher-link").click();
  await expect(page).toHaveURL(/\/teacher$/);
  // Outside classroom mode the page starts with this browser's learner, who has done nothing here.
  await expect(page.getByTestId("lab-mode-notice")).toContainText("not in classroom mode");
  await expect(page.getByTestId("teacher-empty")).toBeVisible();

  await page.getByTestId("show-everyone").check();
  const row = (learner: string) => page.locator(`[data-testid="class-grid-row"][data-learner="${learner}"]`);
  await expect(row(ada)).toHaveCount(1);
  await expect(row(bob)).toHaveCount(1);
  // Each mark says its state in words as well as colour: Ada's first step of Work queues is under way.
  await expect(row(ada).getByRole("listitem").filter({ hasText: "Step 1, " }).first()).toContainText("working: started");
  await expect(row(bob).locator('[data-state="working"]')).toHaveCount(1);
  await expect(page.getByTestId("prediction").filter({ hasText: "Five workers share the queue" })).toBeVisible();
  await page.screenshot({ path: `${screenshots}/teacher-dashboard.png` });

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
  expect(download.suggestedFilename()).toMatch(/^brokerlab-class-progress-\d{4}-\d\d-\d\d\.csv$/);
  const csv = await readFile((await download.path())!, "utf8");
  expect(csv.split("\r\n")[0]).toBe("learner_id,name,lesson_id,lesson,step_id,step,state,started_at,completed_at,minutes_since_start");
  expect(csv).toContain(`${ada},${ada},work-queues,Work queues and competing consumers,compete,`);
  expect(csv).toContain(`${bob},${bob},hello-queue,"Hello, queue",run-it,`);

  // The drill asks before it acts and says what it reached.
  await page.getByTestId("drill-service").fill("no-such-service");
  await page.getByRole("button", { name: "Drill…" }).click();
  await page.getByTestId("drill-confirm").click();
  await expect(page.getByTestId("drill-result")).toContainText("kill no-such-service");
});
