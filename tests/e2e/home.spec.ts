// The home page against the real stack: all services up, then RabbitMQ stopped for real
// (its card turns red with the fix command, live, without a reload) and started again. moto (SQS,
// SNS) is optional for now: its card must agree with what the stack command says of it.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";

const run = promisify(execFile);
const services = ["rabbitmq", "kafka", "redis", "pubsub", "jaeger"] as const;
const screenshots = "tests/e2e/screenshots";

/** Starts or stops one service of the local stack with Brokerlab's own stack command. */
async function stack(action: "up" | "down", service: (typeof services)[number]): Promise<void> {
  await run("npx", ["tsx", "stack/cli.ts", action, service], { timeout: 240_000 });
}

/** Whether the stack command finds moto's server up (it exits non-zero for a service it names that is down). */
async function motoUp(): Promise<boolean> {
  return run("npx", ["tsx", "stack/cli.ts", "status", "moto"], { timeout: 60_000 }).then(
    () => true,
    () => false,
  );
}

async function expectAllUp(page: Page, moto = true): Promise<void> {
  for (const id of services) {
    await expect(page.getByTestId(`service-${id}`)).toHaveAttribute("data-status", "up", { timeout: 60_000 });
  }
  await expect(page.getByTestId("service-moto")).toHaveAttribute("data-status", moto ? "up" : "down", { timeout: 60_000 });
}

/** The summary line: moto being down (optional for now) is named like any other service. */
const summaryWith = (moto: boolean, down?: string) =>
  down ? (moto ? `${down} is down.` : `${down} and Amazon SQS/SNS (moto) are down.`) : moto ? "All six services are up." : "Amazon SQS/SNS (moto) is down.";

test.describe.configure({ mode: "serial" });

test("the home page shows the stack live; a stopped broker turns red with its fix, then recovers", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Brokerlab" })).toBeVisible();
  await expect(page.getByText("An observability-first messaging playground: real RabbitMQ, Kafka and Amazon SQS/SNS, every message traced.")).toBeVisible();
  await expect(page.getByTestId("connection-state")).toHaveAttribute("data-state", "live");
  const moto = await motoUp();

  await test.step("all services are up", async () => {
    await expectAllUp(page, moto);
    await expect(page.getByTestId("stack-summary")).toHaveText(summaryWith(moto));
    const rabbitmq = page.getByTestId("service-rabbitmq");
    await expect(rabbitmq.getByRole("heading", { name: "RabbitMQ" })).toBeVisible();
    await expect(rabbitmq.getByRole("link", { name: /RabbitMQ management UI/ })).toHaveAttribute("href", /^http:\/\/127\.0\.0\.1:15672\/?$/);
    // A Go-module build of Jaeger has no web UI: the card says so instead of offering a dead link.
    const jaeger = page.getByTestId("service-jaeger");
    await expect(jaeger.getByRole("link", { name: /Jaeger UI/ }).or(jaeger.getByText(/Jaeger UI is not installed in this build/))).toBeVisible();
    await page.screenshot({ path: `${screenshots}/home-all-up.png`, fullPage: true });

    const checkNow = page.getByRole("button", { name: "Check now" });
    await checkNow.click();
    await expect(checkNow).toBeEnabled();
    // (Next.js adds a route announcer with role "alert" of its own, so look inside the section.)
    await expect(page.getByRole("region", { name: "Stack" }).getByRole("alert")).toHaveCount(0);
  });

  const rabbitmq = page.getByTestId("service-rabbitmq");
  try {
    await test.step("stopping RabbitMQ turns its card red with the command that fixes it", async () => {
      await stack("down", "rabbitmq");
      await expect(rabbitmq).toHaveAttribute("data-status", "down", { timeout: 60_000 });
      await expect(rabbitmq.getByTestId("status-word")).toHaveText("Down");
      await expect(rabbitmq.getByTestId("fix-command")).toContainText("npm run stack:up -- rabbitmq");
      await expect(rabbitmq.getByRole("button", { name: /Copy the command/ })).toBeVisible();
      await expect(page.getByTestId("stack-summary")).toHaveText(summaryWith(moto, "RabbitMQ"));
      await expect(page.getByTestId("service-kafka")).toHaveAttribute("data-status", "up");
      await page.screenshot({ path: `${screenshots}/home-rabbitmq-down.png`, fullPage: true });
    });
  } finally {
    await stack("up", "rabbitmq");
  }

  await test.step("starting it again brings the card back", async () => {
    await expect(rabbitmq).toHaveAttribute("data-status", "up", { timeout: 60_000 });
    await expect(rabbitmq.getByTestId("fix-command")).toHaveCount(0);
    await expect(page.getByTestId("stack-summary")).toHaveText(summaryWith(moto));
    await page.screenshot({ path: `${screenshots}/home-recovered.png`, fullPage: true });
  });
});

test("the home page reads well on a phone", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  await expectAllUp(page, await motoUp());
  await expect(page.getByTestId("connection-state")).toHaveAttribute("data-state", "live");
  await page.screenshot({ path: `${screenshots}/home-phone.png`, fullPage: true });
});
