"use client";
// The run's ledger at a glance: confirmed, consumed, pending (while live), lost, duplicated,
// recovered, dropped spans and (above the trace limit) untraced messages, each with a one-line
// explanation on hover or focus. Lost counts only messages known not to be coming.
import { useId } from "react";
import type { RunFrame } from "../../lib/run/model";
import { countText } from "./event-kinds";
import { WaitingFor } from "./waiting-for";
import "./run.css";

type Tone = "neutral" | "good" | "warn" | "bad";

interface Counter {
  key: string;
  label: string;
  value: number | undefined;
  explain: string;
  tone: Tone;
  note?: string;
}

function counters(frame: RunFrame | undefined): Counter[] {
  const ledger = frame?.ledger;
  const ended = frame?.status === "finished" || frame?.status === "failed";
  const lost = ledger?.lost ?? 0;
  const pending = ledger?.pending;
  return [
    { key: "confirmed", label: "Confirmed", value: ledger?.confirmed, tone: "neutral", explain: "Distinct messages the broker confirmed it had taken (publisher confirm or Kafka ack)." },
    { key: "consumed", label: "Consumed", value: ledger?.consumed, tone: "neutral", explain: "Distinct messages some consumer processed successfully or dead-lettered." },
    // Pending only while the run is live: waiting in a queue, in consumer lag or in a consumer's hands.
    ...(ended || pending === undefined ? [] : [{
      key: "pending",
      label: "Pending",
      value: pending,
      tone: "neutral" as const,
      explain: "Confirmed but not consumed yet: waiting in a queue, in consumer lag, or being processed. Not lost: they may still be consumed.",
    }]),
    {
      key: "lost",
      label: "Lost",
      value: ledger?.lost,
      tone: lost > 0 ? "bad" : ledger ? "good" : "neutral",
      explain: ended
        ? "Confirmed by the broker but consumed by no one: these messages are really gone."
        : "Confirmed but known not to be coming: nothing is left in flight, in the queues or in consumer lag, yet no one consumed them.",
    },
    { key: "duplicated", label: "Duplicated", value: ledger?.duplicated, tone: (ledger?.duplicated ?? 0) > 0 ? "warn" : "neutral", explain: "Extra successful processings of a message by the same consumer (at-least-once delivery at work)." },
    { key: "recovered", label: "Recovered", value: ledger?.recovered, tone: (ledger?.recovered ?? 0) > 0 ? "warn" : "neutral", explain: "Messages consumed although the broker never confirmed their publish (the confirm was lost, not the message)." },
    {
      key: "dropped-spans",
      label: "Dropped spans",
      value: frame?.droppedSpans,
      tone: (frame?.droppedSpans ?? 0) > 0 ? "warn" : "neutral",
      explain: "Spans the services' trace exporters had to drop: tracing never slows the messages down, so some traces may be incomplete.",
    },
    ...untracedCounter(frame),
  ];
}

/** Shown once the trace limit left messages untraced: how many, and the share that was traced. */
function untracedCounter(frame: RunFrame | undefined): Counter[] {
  const sampling = frame?.tracing;
  if (!sampling || sampling.untraced === 0) return [];
  const oneIn = (sampling.traced + sampling.untraced) / Math.max(1, sampling.traced);
  return [{
    key: "untraced",
    label: "Untraced",
    value: sampling.untraced,
    tone: "neutral",
    note: `traced 1 in ${oneIn < 10 ? oneIn.toFixed(1) : Math.round(oneIn)}`,
    explain: `Messages sent without a trace: each service process starts at most ${sampling.limitPerSecond.toLocaleString("en-US")} traces a second (BROKERLAB_TRACE_LIMIT), so tracing does not cost more than the broker. They are counted like every message; only their trace is missing.`,
  }];
}

export function LedgerCounters(props: { frame: RunFrame | undefined }) {
  const id = useId();
  return (
    <section className="ledger" aria-label="Ledger">
      {counters(props.frame).map((counter) => (
        <div key={counter.key} className={`ledger__item ledger__item--${counter.tone}`} tabIndex={0} aria-describedby={`${id}-${counter.key}`} data-testid={`ledger-${counter.key}`}>
          <span className="ledger__value">{counter.value === undefined ? "–" : countText(counter.value)}</span>
          <span className="ledger__label">
            {counter.label}
            <span className="ledger__info" aria-hidden="true">?</span>
          </span>
          {counter.note ? <span className="ledger__note">{counter.note}</span> : null}
          <span className="ledger__tooltip" role="tooltip" id={`${id}-${counter.key}`}>
            {counter.explain}
          </span>
        </div>
      ))}
      <WaitingFor frame={props.frame} />
    </section>
  );
}
