"use client";
// The flight recorder of one message: its history from the run's message log (run:message), drawn
// as a vertical timeline of steps with their offset from the publish, who did each, and the
// details that explain it (attempt, redelivered, partition and offset). Asks again while the
// message is still on its way. Given a `recorded` history (a finished run's, from the run store) it
// shows that and asks nothing; `marked` steps are flagged (the comparison's differences).
import { useCallback, useEffect, useRef, useState } from "react";
import type { ErrorPayload } from "../../lib/errors";
import type { AckResponse } from "../../lib/events";
import type { MessageEvent, MessageEventKind } from "../../lib/run/ipc";
import type { LoggedMessageView } from "../../lib/run/model-view";
import { getSocket } from "../../lib/client/socket";
import { actorText, clockTime, durationText, kindInfo } from "./event-kinds";
import "./run.css";

const pollEveryMs = 1500;
const maxPolls = 8;
const settledKinds = new Set<MessageEventKind>(["acked", "dead-lettered", "dropped", "returned", "send-failed", "in-dead-letter-queue"]);

type State = { phase: "loading" } | { phase: "ready"; message: LoggedMessageView } | { phase: "failed"; error: ErrorPayload };

function askMessage(runId: string, messageId: string): Promise<LoggedMessageView> {
  return new Promise((resolve, reject) => {
    getSocket()
      .timeout(8000)
      .emit("run:message", { runId, messageId }, (timeout: Error | null, response?: AckResponse<LoggedMessageView>) => {
        if (timeout || !response) return reject({ code: "INTERNAL", message: "The server did not answer in time.", retriable: true } satisfies ErrorPayload);
        if ("error" in response) return reject(response.error);
        resolve(response.data);
      });
  });
}

/** What became of the message, in one sentence. */
export function outcomeText(events: readonly MessageEvent[]): string {
  const published = events.find((e) => e.kind === "published");
  const since = (e: MessageEvent) => (published ? ` ${durationText(e.at - published.at)} after it was published` : "");
  const last = (kind: MessageEventKind) => [...events].reverse().find((e) => e.kind === kind);
  const dead = last("dead-lettered") ?? last("in-dead-letter-queue");
  if (dead) return `Dead-lettered by ${dead.service}${since(dead)}${dead.attempt ? `, after ${dead.attempt} attempt${dead.attempt === 1 ? "" : "s"}` : ""}.`;
  const returned = last("returned");
  if (returned) return "Returned: no queue was bound for its routing key.";
  const failed = last("send-failed");
  if (failed && !events.some((e) => e.kind === "confirmed")) return "The publish failed: the broker never confirmed it.";
  const dropped = last("dropped");
  if (dropped) return `Dropped by ${dropped.service}${since(dropped)}.`;
  const acked = events.filter((e) => e.kind === "acked");
  if (acked.length > 0) {
    const services = [...new Set(acked.map((e) => e.service))];
    return `Acknowledged by ${services.join(" and ")}${since(acked[0]!)}.`;
  }
  return "Still on its way: this view asks again for a few seconds.";
}

function Step(props: { event: MessageEvent; origin: number; messageTraceId?: string; marked?: boolean; onOpenTrace(traceId: string): void }) {
  const { event } = props;
  const info = kindInfo(event.kind);
  const offset = event.at - props.origin;
  const facts: [string, string][] = [];
  if (event.destination) facts.push(["destination", event.destination]);
  if (event.routingKey !== undefined) facts.push(["routing key", event.routingKey || "(empty)"]);
  if (event.key !== undefined) facts.push(["key", event.key]);
  if (event.partition !== undefined) facts.push(["partition", String(event.partition)]);
  if (event.offset !== undefined) facts.push(["offset", event.offset]);
  if (event.attempt !== undefined) facts.push(["attempt", String(event.attempt)]);
  if (event.redelivered) facts.push(["redelivered", "yes"]);
  const otherTrace = event.traceId && event.traceId !== props.messageTraceId ? event.traceId : undefined;
  return (
    <li className={`flight__step flight__step--${info.tone}${props.marked ? " flight__step--marked" : ""}`} data-kind={event.kind} {...(props.marked ? { "data-marked": "true" } : {})}>
      <span className="flight__marker" aria-hidden="true" />
      <div className="flight__head">
        <span className="flight__kind">{info.label}</span>
        <span className="flight__offset" title={clockTime(event.at)}>
          {offset >= 0 ? "+" : "−"}
          {durationText(Math.abs(offset))}
        </span>
      </div>
      <div className="flight__who">{actorText(event)}</div>
      <p className="flight__explain">{info.explain}</p>
      {facts.length > 0 ? (
        <dl className="flight__facts">
          {facts.map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {event.detail ? <p className="flight__detail">{event.detail}</p> : null}
      {otherTrace ? (
        <button type="button" className="link-button" onClick={() => props.onOpenTrace(otherTrace)}>
          Open this step&apos;s own trace ({otherTrace.slice(0, 8)}…): with span links, the consumer starts a new trace
        </button>
      ) : null}
    </li>
  );
}

export function FlightRecorder(props: {
  runId: string;
  messageId: string;
  onOpenTrace(traceId: string): void;
  /** Without it (the comparison's side-by-side recorders) there is no Close button. */
  onClose?(): void;
  recorded?: LoggedMessageView;
  marked?: ReadonlySet<MessageEventKind>;
  title?: string;
}) {
  const { runId, messageId, onOpenTrace, onClose, recorded, marked, title } = props;
  const [state, setState] = useState<State>({ phase: "loading" });
  const [reload, setReload] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    // A message the user opened takes the focus; recorded ones shown beside each other do not.
    if (!recorded) heading.current?.focus();
  }, [messageId, recorded]);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let previousCount = -1;
    if (recorded) {
      setState({ phase: "ready", message: recorded });
      return;
    }
    setState({ phase: "loading" });
    const poll = async (round: number) => {
      try {
        const message = await askMessage(runId, messageId);
        if (!live) return;
        setState({ phase: "ready", message });
        const settled = message.events.some((e) => settledKinds.has(e.kind)) && message.events.length === previousCount;
        previousCount = message.events.length;
        if (!settled && round < maxPolls) timer = setTimeout(() => void poll(round + 1), pollEveryMs);
      } catch (error) {
        if (live) setState({ phase: "failed", error: error as ErrorPayload });
      }
    };
    void poll(1);
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [runId, messageId, reload, recorded]);

  const refresh = useCallback(() => setReload((n) => n + 1), []);
  const events = state.phase === "ready" ? [...state.message.events].sort((a, b) => a.at - b.at) : [];
  const origin = events.find((e) => e.kind === "published")?.at ?? (state.phase === "ready" ? state.message.firstAt : 0);
  const traceId = state.phase === "ready" ? state.message.traceId : undefined;

  return (
    <section className="flight" aria-label={`Flight recorder of ${messageId}`} onKeyDown={(e) => e.key === "Escape" && onClose?.()} data-testid="flight-recorder">
      <header className="flight__header">
        <div>
          <h3 className="run-heading" tabIndex={-1} ref={heading}>
            {title ?? "Flight recorder"}
          </h3>
          <code className="flight__id">{messageId}</code>
        </div>
        <div className="flight__actions">
          {recorded ? null : <button type="button" className="button button--small" onClick={refresh}>Refresh</button>}
          {onClose ? <button type="button" className="button button--small" onClick={onClose} aria-label="Close the flight recorder">Close</button> : null}
        </div>
      </header>
      {state.phase === "loading" ? <p className="muted">Asking the run for this message…</p> : null}
      {state.phase === "failed" ? (
        <div className="notice notice--error" role="alert">
          <p>{state.error.message}</p>
          {state.error.retriable ? <button type="button" className="button button--small" onClick={refresh}>Try again</button> : null}
        </div>
      ) : null}
      {state.phase === "ready" ? (
        <>
          <p className="flight__outcome">
            {recorded && !events.some((e) => settledKinds.has(e.kind)) ? "The recording holds no end for this message (the log samples messages, and a run may stop first)." : outcomeText(events)}
          </p>
          <div className="flight__trace">
            {traceId ? (
              <button type="button" className="button button--primary" onClick={() => onOpenTrace(traceId)} data-testid="open-trace">
                Open its trace
              </button>
            ) : (
              <span className="muted">No trace id was recorded for this message (tracing may be off).</span>
            )}
          </div>
          <ol className="flight__steps">
            {events.map((event, index) => (
              <Step key={`${event.at}-${event.kind}-${index}`} event={event} origin={origin} {...(traceId ? { messageTraceId: traceId } : {})} marked={marked?.has(event.kind) ?? false} onOpenTrace={onOpenTrace} />
            ))}
          </ol>
          <p className="flight__foot muted">Times are offsets from the publish. The log samples messages at high rates, so a message may show only part of its history.</p>
        </>
      ) : null}
    </section>
  );
}
