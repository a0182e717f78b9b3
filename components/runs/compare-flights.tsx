"use client";
// The same message's flight recorder in both runs of a comparison: the messages both recordings
// hold (lib/runs/message-match.ts) to pick from, or one of each run when they share none; the two
// histories side by side in the lab's flight recorder with the differing steps marked, and a table
// of each step's time after the publish in A and in B.
import { useMemo, useState } from "react";
import type { RunFrame } from "../../lib/run/model";
import { bothFromPublish, commonMessageIds, flightDifferences, recordedMessages } from "../../lib/runs/message-match";
import { durationText, kindInfo } from "../run/event-kinds";
import { FlightRecorder } from "../run/flight-recorder";

const maxChoices = 200;
const after = (ms: number | undefined) => (ms === undefined ? "–" : `+${durationText(ms)}`);

function MessagePick(props: { label: string; ids: string[]; value: string | undefined; onPick(id: string): void; testId: string }) {
  return (
    <label className="runs-form__field">
      {props.label}
      <select value={props.value ?? ""} onChange={(e) => props.onPick(e.target.value)} data-testid={props.testId}>
        {props.ids.slice(0, maxChoices).map((id) => <option key={id} value={id}>{id}</option>)}
      </select>
    </label>
  );
}

export function CompareFlights(props: { a: { runId: string; frames: RunFrame[] }; b: { runId: string; frames: RunFrame[] }; onOpenTrace(traceId: string): void }) {
  const messagesA = useMemo(() => recordedMessages(props.a.frames), [props.a.frames]);
  const messagesB = useMemo(() => recordedMessages(props.b.frames), [props.b.frames]);
  const common = useMemo(() => commonMessageIds(messagesA, messagesB), [messagesA, messagesB]);
  const [pickedA, setPickedA] = useState<string>();
  const [pickedB, setPickedB] = useState<string>();
  const idA = pickedA ?? common[0] ?? messagesA.keys().next().value;
  const idB = common.length > 0 ? idA : (pickedB ?? messagesB.keys().next().value);
  const messageA = idA ? messagesA.get(idA) : undefined;
  const messageB = idB ? messagesB.get(idB) : undefined;
  const rows = useMemo(() => (messageA && messageB ? flightDifferences(messageA, messageB) : []), [messageA, messageB]);
  const marked = new Set(rows.filter((row) => row.differs).map((row) => row.kind));

  if (messagesA.size === 0 || messagesB.size === 0) {
    return (
      <section className="compare-flights" aria-label="The same message in both runs" data-testid="compare-flights">
        <h3 className="run-heading">The same message in both runs</h3>
        <p className="muted">Run {messagesA.size === 0 ? "A" : "B"} recorded no message histories (it ended before its first message), so there is nothing to put side by side.</p>
      </section>
    );
  }
  return (
    <section className="compare-flights" aria-label="The same message in both runs" data-testid="compare-flights">
      <h3 className="run-heading">The same message in both runs</h3>
      {common.length > 0 ? (
        <>
          <p className="muted">{common.length} sampled message{common.length === 1 ? " is" : "s are"} in both recordings (same producer and sequence number); a redelivery in one run only first, then histories recorded from the publish.</p>
          <MessagePick label="Message" ids={common} value={idA} onPick={setPickedA} testId="compare-flights-common" />
        </>
      ) : (
        <>
          <p className="notice" data-testid="compare-flights-none">No sampled message is in both recordings (different producers, or the sampling kept different ones): pick one of each run.</p>
          <div className="compare-grid">
            <MessagePick label="Message of A" ids={[...messagesA.keys()]} value={idA} onPick={setPickedA} testId="compare-flights-a" />
            <MessagePick label="Message of B" ids={[...messagesB.keys()]} value={idB} onPick={setPickedB} testId="compare-flights-b" />
          </div>
        </>
      )}
      {rows.length > 0 ? (
        <table className="compare-table" data-testid="compare-flights-steps">
          <caption className="run-heading">
            {messageA && messageB && bothFromPublish(messageA, messageB) ? "Each step, after the publish" : "Each step, after the first step each run recorded (the sampling kept no publish)"}
          </caption>
          <thead><tr><th scope="col">Step</th><th scope="col">A</th><th scope="col">B</th><th scope="col">Difference</th></tr></thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.kind} data-row={row.kind} {...(row.differs ? { "data-differs": "true" } : {})}>
                <th scope="row">{kindInfo(row.kind).label}</th>
                <td>{row.a.count > 1 ? `${row.a.count}× · ` : ""}{after(row.a.afterMs)}</td>
                <td>{row.b.count > 1 ? `${row.b.count}× · ` : ""}{after(row.b.afterMs)}</td>
                <td className={row.differs ? "is-worse" : ""}>{row.notes.join("; ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div className="compare-grid">
        {messageA && idA ? <FlightRecorder runId={props.a.runId} messageId={idA} recorded={messageA} marked={marked} title="A: flight recorder" onOpenTrace={props.onOpenTrace} /> : null}
        {messageB && idB ? <FlightRecorder runId={props.b.runId} messageId={idB} recorded={messageB} marked={marked} title="B: flight recorder" onOpenTrace={props.onOpenTrace} /> : null}
      </div>
    </section>
  );
}
