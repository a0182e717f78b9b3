// watchParent without an IPC channel: a process whose parent dies is re-parented, notices the
// changed parent pid and leaves within its grace, even when its own stop never finishes.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { after, describe, it } from "node:test";
import { processUsage } from "../../support/brokerlab-server";
import { repoRoot } from "../../support/engine";
import { waitFor } from "../../support/wait-for";

const guard = path.join(repoRoot, "server", "service", "orphan-guard.ts");
// The watched process: its "graceful stop" does nothing, so only the grace deadline can end it.
const watched = `require(${JSON.stringify(guard)}).watchParent(() => {}, { graceMs: 300, pollMs: 100 }); setInterval(() => {}, 1000); console.log("watching");`;
let grandchild: number | undefined;

after(() => {
  if (grandchild && processUsage(grandchild)) process.kill(grandchild, "SIGKILL");
});

describe("watchParent", { timeout: 30_000 }, () => {
  it("exits once its parent is gone, by the parent pid alone", async () => {
    // sh is the parent; the watched node process has no IPC channel to anyone.
    const shell = spawn("sh", ["-c", `"${process.execPath}" --import tsx -e '${watched}' & echo $!; wait`], { cwd: repoRoot, env: { ...process.env, NODE_OPTIONS: "" }, stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    shell.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const pid = await waitFor(() => /watching/.test(output) && Number(/^(\d+)/.exec(output)?.[1]), { timeoutMs: 15_000, description: "the watched process to start" });
    grandchild = pid;
    assert.ok(processUsage(pid), "the watched process runs while its parent does");

    shell.kill("SIGKILL");
    await waitFor(() => processUsage(pid) === undefined, { timeoutMs: 5_000, intervalMs: 50, description: `the watched process ${pid} to exit after its parent died` });
  });
});
