"use client";
// What the shapes and colours on the canvas mean, folded away once someone knows.
import { Panel } from "@xyflow/react";
import { useState } from "react";

const nodes = [
  { icon: "⬢", kind: "service", text: "Service: a real OS process with producers (↗) and consumers (↘)" },
  { icon: "⇄", kind: "exchange", text: "Exchange (RabbitMQ): routes copies to bound queues" },
  { icon: "▤", kind: "queue", text: "Queue (RabbitMQ, or Amazon SQS): holds messages until a consumer acks or deletes them" },
  { icon: "☰", kind: "topic", text: "Topic (Kafka): a partitioned log; groups track their offsets. On Amazon: an SNS topic" },
  { icon: "⧉", kind: "bus", text: "Bus (EventBridge): receives events; its rules route them" },
  { icon: "⑂", kind: "rule", text: "Rule (EventBridge): sends the events matching its pattern to queues" },
];
const edges = [
  { kind: "publish", text: "publishes" },
  { kind: "binding", text: "binding (exchange → queue)" },
  { kind: "subscription", text: "subscription (SNS topic → SQS queue)" },
  { kind: "route", text: "routes (EventBridge bus → rule → queue)" },
  { kind: "consume", text: "consumes" },
  { kind: "forward", text: "forwards (consume, then produce)" },
  { kind: "dead-letter", text: "dead letters" },
];
const states = [
  { state: "connected", text: "connected" },
  { state: "reconnecting", text: "reconnecting / starting" },
  { state: "crashed", text: "crashed or killed" },
  { state: "paused", text: "paused or stopped" },
];

export function Legend() {
  const [open, setOpen] = useState(false);
  return (
    <Panel position="bottom-right" className="lab-legend">
      <button type="button" className="lab-legend__toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? "Hide legend" : "Legend"}
      </button>
      {open ? (
        <div className="lab-legend__body">
          <ul>
            {nodes.map((n) => (
              <li key={n.kind}>
                <span className={`lab-node__icon lab-node__icon--${n.kind}`} aria-hidden="true">{n.icon}</span>
                {n.text}
              </li>
            ))}
          </ul>
          <ul>
            {edges.map((e) => (
              <li key={e.kind}>
                <svg width="34" height="10" aria-hidden="true"><line x1="1" y1="5" x2="33" y2="5" className={`lab-edge lab-edge--${e.kind}`} /></svg>
                {e.text}
              </li>
            ))}
            <li className="muted">Moving dots: messages flowing; thicker and faster = higher rate.</li>
          </ul>
          <ul>
            {states.map((s) => (
              <li key={s.state}>
                <span className={`lab-state lab-state--${s.state}`}><span className="lab-state__dot" aria-hidden="true" /></span>
                {s.text}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Panel>
  );
}
