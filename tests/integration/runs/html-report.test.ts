// `scenario run FILE --report FILE.html` on the real stack: the run is saved in the store, and the
// report opens in Chromium with the network off and shows its charts drawn from the frames.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { chromium } from "@playwright/test";
import type { Browser } from "playwright";
import { openRunStore, runStoreFile } from "../../../server/runs/store";

const root = join(import.meta.dirname, "../../..");
const dataDir = mkdtempSync(join(tmpdir(), "brokerlab-html-report-"));
let browser: Browser;
before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"] });
});
after(async () => {
  await browser?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("scenario run --report FILE.html", () => {
  it("saves the run and writes a report whose charts show offline", async () => {
    const file = join(dataDir, "order-chain.html");
    const result = spawnSync(process.execPath, ["--import", "tsx", join(root, "server/cli/scenario.ts"), "run", join(root, "examples/order-chain.yaml"), "--report", file], {
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, BROKERLAB_DATA_DIR: dataDir },
    });
    assert.equal(result.status, 0, result.stderr);
    assert.ok(existsSync(file), "no report file");
    const runId = /saved in the run history as (\S+)/.exec(result.stderr)?.[1];
    assert.ok(runId, `the runner did not say where the run was saved:\n${result.stderr}`);
    const store = openRunStore(runStoreFile(dataDir), { maxBytes: 512 * 1024 * 1024 });
    try {
      assert.equal(store.get(runId)?.report?.ledger.lost, 0);
      assert.ok(store.frames(runId).length > 3, "too few frames recorded");
    } finally {
      store.close();
    }

    const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
    const requests: string[] = [];
    context.on("request", (request) => { if (!request.url().startsWith("file:")) requests.push(request.url()); });
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    assert.deepEqual(await page.locator("figure.chart svg").evaluateAll((svgs) => svgs.map((svg) => svg.getAttribute("aria-label"))), ["Throughput", "End-to-end latency"]);
    const points = await page.locator("figure.chart polyline.series").evaluateAll((lines) => lines.map((line) => (line.getAttribute("points") ?? "").split(" ").length));
    assert.equal(points.length, 4);
    for (const count of points) assert.ok(count > 3, `a series has only ${count} points`);
    const box = await page.locator("figure.chart svg").first().boundingBox();
    assert.ok(box && box.width > 300 && box.height > 100, "the chart is not drawn at its size");
    assert.match(await page.locator("h1").innerText(), /order-chain/);
    assert.deepEqual(requests, []);
    await context.close();
  });
});
