// Progress a teacher can trust, in the browser on the real stack (lesson 17's refusals, a few
// seconds each): a step passed with "Show me" is marked solved with help on the step, in the
// summary and on the lesson list, after a reload too; a lesson whose checks all passed is not
// complete until every quiz question is answered, and a wrong answer counts as answered.
import { expect, test, type Page } from "@playwright/test";

const check = (page: Page) => page.getByTestId("step-check");

async function answerEveryQuestion(page: Page, pick: "right" | "wrong") {
  const questions = page.locator("[data-testid^=question-]");
  await expect(questions.first()).toBeVisible();
  for (const question of await questions.all()) {
    const options = question.locator("label");
    // The first option is right in lesson 17's questions; pick another for a wrong answer.
    await options.nth(pick === "right" ? 0 : 1).click();
    await question.getByRole("button", { name: "Check answer" }).click();
    await expect(question.getByRole("status")).toHaveText(pick === "right" ? "Right." : "Not quite.");
  }
}

test("Show me marks a step solved with help; the quiz gates completion", async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto("/lessons/security");

  await test.step("before any run the check gives no verdict", async () => {
    await expect(check(page)).toHaveAttribute("data-state", "idle", { timeout: 15_000 });
    await expect(page.getByTestId("check-idle")).toContainText("No run of this step yet");
    await expect(page.getByTestId("check-word")).toHaveCount(0);
  });

  await test.step("step 1 by hand: the wrong password, refused; no help mark", async () => {
    const editor = page.getByTestId("scenario-editor");
    const text = await editor.inputValue();
    const wrong = text.replace("rabbit: { kind: rabbitmq }", 'rabbit: { kind: rabbitmq, url: "amqp://guest:wrong-password@127.0.0.1:5672" }');
    expect(wrong).not.toBe(text);
    await editor.fill(wrong);
    await page.getByTestId("run-start").click();
    await expect(check(page)).toHaveAttribute("data-state", "pass", { timeout: 45_000 });
    await expect(page.getByTestId("step-tab-credentials")).toHaveAttribute("data-done", "true");
    await expect(page.getByTestId("step-tab-credentials")).toHaveAttribute("data-help", "false");
    await expect(page.getByTestId("lesson-help")).toHaveCount(0);
  });

  await test.step("steps 2 and 3 with Show me: passed, and marked solved with help", async () => {
    for (const step of ["vhost", "tls"]) {
      await page.getByTestId(`step-tab-${step}`).click();
      await expect(page.getByTestId("lesson-step")).toHaveAttribute("data-step", step);
      await expect(check(page)).toHaveAttribute("data-state", "idle", { timeout: 15_000 });
      await page.getByTestId("show-me").click();
      await expect(check(page)).toHaveAttribute("data-state", "pass", { timeout: 45_000 });
      await expect(page.getByTestId(`step-tab-${step}`)).toHaveAttribute("data-help", "true");
      await expect(page.getByTestId("lesson-step")).toContainText("completed with help (Show me)");
    }
    await expect(page.getByTestId("lesson-help")).toHaveText("2 solved with help");
  });

  await test.step("every check passed, the quiz unanswered: not complete, here or on the lesson list", async () => {
    await page.getByTestId("step-tab-summary").click();
    const summary = page.getByTestId("lesson-summary");
    await expect(summary).toHaveAttribute("data-complete", "false");
    await expect(page.getByTestId("summary-steps")).toHaveText("3/3");
    await expect(page.getByTestId("summary-answered")).toHaveText("0/3");
    await expect(page.getByTestId("summary-help")).toHaveText("2/3");
    await expect(summary).toContainText("answer the 3 quiz question(s) still open");
    await expect(page.getByTestId("summary-step-vhost")).toHaveAttribute("data-help", "true");
    await expect(page.getByTestId("summary-step-credentials")).toHaveAttribute("data-help", "false");
    await page.goto("/lessons");
    const card = page.getByTestId("lesson-card-security");
    await expect(card).toHaveAttribute("data-status", "started");
    await expect(page.getByTestId("lesson-help-security")).toHaveText("2 solved with help");
  });

  await test.step("answering every question, one of them wrongly, completes the lesson; a reload keeps the marks", async () => {
    await page.goto("/lessons/security?step=credentials");
    await expect(page.getByTestId("lesson-step")).toHaveAttribute("data-step", "credentials");
    await answerEveryQuestion(page, "wrong");
    // One question answered of three: still not complete.
    await page.getByTestId("step-tab-summary").click();
    await expect(page.getByTestId("lesson-summary")).toHaveAttribute("data-complete", "false");
    await expect(page.getByTestId("summary-answered")).toHaveText("1/3");
    for (const step of ["vhost", "tls"]) {
      await page.getByTestId(`step-tab-${step}`).click();
      await expect(page.getByTestId("lesson-step")).toHaveAttribute("data-step", step);
      await answerEveryQuestion(page, "right");
    }
    await page.getByTestId("step-tab-summary").click();
    await expect(page.getByTestId("lesson-summary")).toHaveAttribute("data-complete", "true");
    await expect(page.getByTestId("summary-answered")).toHaveText("3/3");
    await page.reload();
    await expect(page.getByTestId("lesson-summary")).toHaveAttribute("data-complete", "true");
    await expect(page.getByTestId("summary-help")).toHaveText("2/3");
    await page.screenshot({ path: "tests/e2e/screenshots/lesson-solved-with-help.png", fullPage: true });
    await page.goto("/lessons");
    await expect(page.getByTestId("lesson-card-security")).toHaveAttribute("data-status", "done");
  });
});
