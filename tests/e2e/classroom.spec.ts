// Two learners in one class, in Chromium against a Brokerlab server in classroom mode (started here:
// the shared test server runs outside a class) and the real stack. Both join with the class code
// and their names, both run the first step of "Hello, queue" at once with the same queue names,
// and each sees their own run's 200 orders consumed and none lost; the teacher sees both in the grid.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";

const screenshots = "tests/e2e/screenshots";
const port = 3101;
const base = `http://127.0.0.1:${port}`;
const token = "e2e-classroom-teacher-token-01";
const classCode = "E2E-CLASS";
const stamp = Date.now().toString(36);
// The lesson page names its queues with a suffix of its tab; both learners get the same one here,
// so only the class's per-learner brokers keep their runs apart.
const sharedSuffix = `c${stamp}`.slice(0, 12);
const dataDir = mkdtempSync(path.join(tmpdir(), "brokerlab-e2e-class-"));
let server: ChildProcess;

test.beforeAll(async () => {
  server = spawn("npx", ["tsx", "server/index.ts"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), BROKERLAB_MODE: "classroom", BROKERLAB_TOKEN: token, BROKERLAB_CLASS_CODE: classCode, BROKERLAB_DATA_DIR: dataDir },
    stdio: "ignore",
    detached: true,
  });
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the classroom server did not answer /healthz within 60 s");
});

test.afterAll(async () => {
  if (server?.pid) {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    process.kill(-server.pid, "SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
  }
  rmSync(dataDir, { recursive: true, force: true });
});

async function learnerPage(browser: Browser, name: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: base });
  await context.addInitScript((suffix) => window.sessionStorage.setItem("brokerlab.lesson-run-names", suffix), sharedSuffix);
  const page = await context.newPage();
  await page.goto("/lessons/hello-queue");
  // No session yet: the page sends the browser to /join first, and back afterwards.
  await expect(page).toHaveURL(/\/join\?next=%2Flessons%2Fhello-queue/);
  await page.getByLabel("Class code").fill(classCode);
  await page.getByLabel("Your name").fill(name);
  await page.getByRole("button", { name: "Join the class" }).click();
  await expect(page).toHaveURL(/\/lessons\/hello-queue/);
  await expect(page.getByTestId("step-check")).not.toHaveAttribute("data-state", "waiting", { timeout: 15_000 });
  return page;
}

test("two learners run the same lesson step with the same queue names without touching each other; the teacher sees both", async ({ browser }) => {
  test.setTimeout(240_000);
  const names = [`Ada ${stamp}`, `Bo ${stamp}`];
  const pages = await Promise.all(names.map((name) => learnerPage(browser, name)));

  await Promise.all(pages.map((page) => page.getByTestId("run-start").click()));
  for (const page of pages) {
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", /running|finished/, { timeout: 60_000 });
    await expect(page.getByTestId("step-check")).toHaveAttribute("data-state", "pass", { timeout: 60_000 });
  }
  // Each run consumed its own 200 orders: a shared queue would split them between the two consumers.
  for (const page of pages) {
    await expect(page.getByTestId("ledger-consumed")).toHaveText("200", { timeout: 90_000 });
    await expect(page.getByTestId("ledger-lost")).toHaveText("0");
  }
  await pages[0]!.screenshot({ path: `${screenshots}/classroom-learner.png` });

  const teacher = await (await browser.newContext({ baseURL: base })).newPage();
  await teacher.goto(`/teacher?token=${token}`);
  await expect(teacher).toHaveURL(/\/teacher$/);
  for (const name of names) {
    const row = teacher.getByTestId("class-grid-row").filter({ hasText: name });
    await expect(row).toHaveCount(1);
    await expect(row.locator('[data-state="done"]').first()).toBeVisible();
  }
  await teacher.screenshot({ path: `${screenshots}/classroom-teacher.png` });
});
