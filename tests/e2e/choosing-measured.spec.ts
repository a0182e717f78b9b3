// Lesson 34 in Chromium on the real stack: the SNS/SQS (moto) and Google Pub/Sub (emulator) steps
// taken with Show me, each run lasting until the pipeline drained; the check turns green and the
// comparison table under the step fills that broker's row from the run just made (all 200 orders
// consumed, none lost), while the brokers' properties stay in their own table.
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";

const screenshots = "tests/e2e/screenshots";

async function takeStep(page: Page, stepId: string) {
  await page.getByTestId(`step-tab-${stepId}`).click();
  await expect(page.getByTestId("lesson-step")).toHaveAttribute("data-step", stepId);
  await page.getByTestId("prediction").getByText("Some orders are handled twice").click();
  await page.getByRole("button", { name: "Lock in my prediction" }).click();
  await expect(page.getByTestId("prediction")).toHaveAttribute("data-status", "answered");
  await page.getByTestId("show-me").click();
  // The run ends once drained, at most 120 s after it started; the check is read then.
  await expect(page.getByTestId("step-check")).toHaveAttribute("data-state", "pass", { timeout: 180_000 });
  const row = page.getByTestId("measured-table").locator(`tr[data-step="${stepId}"]`);
  await expect(row).toHaveAttribute("data-measured", "yes", { timeout: 15_000 });
  const cells = row.locator("td");
  await expect(cells.nth(3)).toHaveText("200 of 200");
  await expect(cells.nth(4)).toHaveText("0");
  expect(Number(await cells.nth(0).textContent())).toBeGreaterThan(0);
}

test("lesson 34: the SNS/SQS and Pub/Sub steps run until drained and fill their rows of the measured table", async ({ page }) => {
  test.setTimeout(480_000);
  await page.goto("/lessons/choosing-a-broker-measured");
  await expect(page.getByTestId("measured-table").locator("tr[data-step]")).toHaveCount(5, { timeout: 30_000 });
  await expect(page.getByTestId("broker-properties")).toContainText("Only with an ordering key");
  await test.step("SNS → SQS on moto", () => takeStep(page, "sns-sqs"));
  await test.step("Google Pub/Sub on its emulator", () => takeStep(page, "pubsub"));
  await expect(page.getByTestId("measured-table").locator('tr[data-measured="yes"]')).toHaveCount(2);
  await page.getByTestId("measured-table").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screenshots}/lesson-34-measured.png` });
});
