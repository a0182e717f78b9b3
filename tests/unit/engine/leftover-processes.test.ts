// The start-up clean-up of service processes a dead server left: real processes, a temporary data
// directory. Only a process whose environment carries its recorded marker is killed, and only when
// its owning server is dead.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { killLeftoverServiceProcesses, newServiceMarker, processStartTime, serviceMarkerVariable } from "../../../server/engine/leftover-processes";
import { waitFor } from "../../support/wait-for";

const dataDir = mkdtempSync(path.join(tmpdir(), "brokerlab-leftovers-"));
const children: ChildProcess[] = [];

after(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

/** A process that idles until killed, with `env` added. */
function idler(env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { env: { ...process.env, NODE_OPTIONS: "", ...env }, stdio: "ignore" });
  children.push(child);
  return child;
}

const gone = (child: ChildProcess) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once("exit", resolve)));

/** Writes a run's process records, owned by `owner` (a pid with its start time). */
function recordRun(run: string, owner: { pid: number; start: string | undefined }, processes: { pid: number; marker: string }[]): string {
  const dir = path.join(dataDir, run);
  mkdirSync(dir, { recursive: true });
  const lines = processes.map((p, replica) => JSON.stringify({ ...p, ownerPid: owner.pid, ownerStart: owner.start, service: "svc", replica }));
  writeFileSync(path.join(dir, "processes.jsonl"), `${lines.join("\n")}\n`);
  return path.join(dir, "processes.jsonl");
}

describe("killLeftoverServiceProcesses", { timeout: 30_000 }, () => {
  it("kills a marked leftover of a dead server, leaves an unmarked process with a recorded pid alone", async () => {
    // A dead owner: a process that has exited.
    const owner = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    const ownerStart = await waitFor(() => processStartTime(owner.pid!), { timeoutMs: 5_000, description: "the owner's start time" }).catch(() => "1");
    await gone(owner);
    const marker = newServiceMarker();
    const marked = idler({ [serviceMarkerVariable]: marker });
    // Same kind of record, but this process does not carry the marker (as when a pid was reused).
    const unmarked = idler({ [serviceMarkerVariable]: newServiceMarker() });
    await waitFor(() => processStartTime(marked.pid!) && processStartTime(unmarked.pid!), { timeoutMs: 5_000, description: "both processes to start" });
    const file = recordRun("dead-owner-run", { pid: owner.pid!, start: ownerStart }, [{ pid: marked.pid!, marker }, { pid: unmarked.pid!, marker: newServiceMarker() }]);

    const result = killLeftoverServiceProcesses(dataDir);

    assert.deepEqual(result, { killed: [`dead-owner-run/svc[0] pid ${marked.pid}`], problems: [] });
    await gone(marked);
    assert.equal(marked.signalCode, "SIGKILL");
    assert.ok(processStartTime(unmarked.pid!), "the unmarked process must still run");
    assert.equal(existsSync(file), false, "the records of a dead owner are forgotten once handled");
  });

  it("leaves the processes of a server that still runs alone (this test process as the owner)", async () => {
    const marker = newServiceMarker();
    const marked = idler({ [serviceMarkerVariable]: marker });
    await waitFor(() => processStartTime(marked.pid!), { timeoutMs: 5_000, description: "the process to start" });
    const file = recordRun("live-owner-run", { pid: process.pid, start: processStartTime(process.pid) }, [{ pid: marked.pid!, marker }]);

    assert.deepEqual(killLeftoverServiceProcesses(dataDir).killed, []);
    assert.ok(processStartTime(marked.pid!), "a live server's service process must not be killed");
    assert.ok(existsSync(file));
  });

  it("treats an owner pid reused by another process (other start time) as dead", async () => {
    const marker = newServiceMarker();
    const marked = idler({ [serviceMarkerVariable]: marker });
    await waitFor(() => processStartTime(marked.pid!), { timeoutMs: 5_000, description: "the process to start" });
    recordRun("reused-owner-run", { pid: process.pid, start: "1" }, [{ pid: marked.pid!, marker }]);

    assert.deepEqual(killLeftoverServiceProcesses(dataDir).killed, [`reused-owner-run/svc[0] pid ${marked.pid}`]);
    await gone(marked);
  });
});
