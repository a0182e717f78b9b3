"use client";
// A recorded run played back (/runs/<id>): the scrubber picks a moment and the canvas, ledger,
// charts, message log and the faults and replicas in effect show the run as it was then. The charts draw
// the frames up to that moment, so scrubbing back rewinds them too.
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { loadRecording } from "../../lib/client/runs-call";
import type { RunFrame } from "../../lib/run/model";
import type { StoredRun } from "../../lib/runs/history";
import { recordedMessages } from "../../lib/runs/message-match";
import { eventsUntil, faultMarks, frameIndexAt, frameWithTimeline, runStartAt } from "../../lib/runs/replay";
import type { PlaySpeed } from "../../lib/runs/replay";
import { FlightRecorder } from "../run/flight-recorder";
import { LedgerCounters } from "../run/ledger-counters";
import { MessageLog } from "../run/message-log";
import { RunCharts } from "../run/run-charts";
import { TraceTimeline } from "../run/trace-timeline";
import { ReplayBar } from "./replay-bar";
import { ReplayCanvas } from "./replay-canvas";

function MomentState({ frame }: { frame: RunFrame | undefined }) {
  const faults = frame?.activeFaults ?? [];
  const replicas = Object.entries(frame?.services ?? {}).map(([service, list]) => `${service}: ${list.filter((r) => r.state === "running").length}/${list.length} up`);
  return (
    <section className="replay-moment" aria-label="Faults and replicas at this moment" data-testid="replay-moment">
      <p><b>Faults in effect:</b> {faults.length === 0 ? "none" : faults.map((f) => `${f.target} (${f.detail})`).join("; ")}</p>
      {replicas.length > 0 ? <p className="muted">{replicas.join(" · ")}</p> : null}
    </section>
  );
}

export function RunReplay({ runId }: { runId: string }) {
  const [recording, setRecording] = useState<{ run: StoredRun; frames: RunFrame[] }>();
  const [error, setError] = useState<string>();
  const [elapsedMs, setElapsedMs] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<PlaySpeed>(1);
  const [messageId, setMessageId] = useState<string>();
  const [traceId, setTraceId] = useState<string>();

  useEffect(() => {
    void loadRecording(runId).then((answer) => {
      if (!answer.ok) return setError(answer.error.message);
      setRecording(answer.data);
      // A finished run opens at its end: the ledger as the report has it.
      setElapsedMs(answer.data.frames[answer.data.frames.length - 1]?.elapsedMs ?? 0);
    });
  }, [runId]);

  const frames = recording?.frames ?? [];
  const durationMs = frames[frames.length - 1]?.elapsedMs ?? 0;
  const index = frameIndexAt(frames, elapsedMs);
  const shownFrames = useMemo(() => frames.slice(0, index + 1), [frames, index]);
  const events = useMemo(() => eventsUntil(frames, index), [frames, index]);
  // The message's history as recorded up to the scrubbed moment: the run store has it, and the
  // engine that ran it may have restarted since (it no longer knows the run).
  const recorded = useMemo(() => (messageId ? recordedMessages(shownFrames).get(messageId) : undefined), [shownFrames, messageId]);
  const frame = frameWithTimeline(frames, index);
  const marks = useMemo(() => faultMarks(recording?.run.report?.timeline, runStartAt(frames), durationMs), [recording, frames, durationMs]);

  if (error) return <main className="page runs-page"><p className="runs-error" role="alert" data-testid="replay-error">{error} <Link href="/runs">Back to the run history</Link></p></main>;
  if (!recording) return <main className="page runs-page"><p className="muted">Loading the recording…</p></main>;
  const { run } = recording;
  return (
    <main className="page runs-page" data-testid="replay-page">
      <h2 className="runs-page__title">Replay: {run.title ?? run.scenario}</h2>
      <p className="muted">
        {run.origin}{run.lessonId ? ` · lesson ${run.lessonId}` : ""} · {run.brokers.join(", ")} · started {new Date(run.startedAt).toLocaleString()} · {frames.length} frames recorded ·{" "}
        <Link href="/runs">All runs</Link> · <Link href={`/traces?run=${encodeURIComponent(runId)}`}>Traces</Link>
      </p>
      {frames.length === 0 ? (
        <p className="muted" data-testid="replay-empty">This run recorded no frames (it ended before its first measurement); its report is all there is.</p>
      ) : (
        <ReplayBar elapsedMs={elapsedMs} durationMs={durationMs} marks={marks} playing={playing} speed={speed} onSeek={setElapsedMs} onPlaying={setPlaying} onSpeed={setSpeed} />
      )}
      <MomentState frame={frame} />
      <ReplayCanvas scenarioText={run.scenarioText} frames={shownFrames} />
      <LedgerCounters frame={frame} />
      <RunCharts frames={shownFrames} />
      <div className={`replay-messages ${messageId ? "has-detail" : ""}`}>
        <div>
          <MessageLog events={events} onSelect={(id) => (setMessageId(id), setTraceId(undefined))} />
        </div>
        {messageId ? (
          <div>
            <FlightRecorder runId={runId} messageId={messageId} recorded={recorded} onOpenTrace={setTraceId} onClose={() => (setMessageId(undefined), setTraceId(undefined))} />
          </div>
        ) : null}
      </div>
      {traceId ? <TraceTimeline traceId={traceId} /> : null}
    </main>
  );
}
