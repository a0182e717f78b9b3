"use client";
// Exchanges, queues and topics on the canvas. A queue shows its depth (ready / unacked; an SQS
// queue visible / in flight / delayed and its dead-letter queue) with a sparkline of the run so
// far; a topic shows each consumer group's lag per partition, how old its oldest message is and
// when the lag is gone at the current rates. Where a broker kind reads otherwise, its lab view's
// `canvas` words say so.
import { Handle, Position } from "@xyflow/react";
import type { Node, NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { BrokerLabView, CanvasWords, ResourceKind } from "../../../lib/lab/broker-view";
import { viewFor } from "../../../lib/lab/broker-views";
import type { LabNode } from "../../../lib/lab/graph";
import { handles } from "../../../lib/lab/graph";
import { isRecord } from "../../../lib/lab/raw";
import { formatCount, resourceKey } from "../../../lib/lab/live";
import type { QueueLive } from "../../../lib/lab/live";
import { pathKey } from "../../../lib/lab/problems";
import { formatSeconds, lagTimeWords } from "../../../lib/run/lag";
import type { GroupLag } from "../../../lib/run/model";
import { useCanvasActions, useLive } from "./canvas-context";
import { Breakable } from "./breakable";
import { ProblemBadge } from "./problem-badge";

type ResourceLabNode = Exclude<LabNode, { type: "service" }>;
export type ResourceFlowNode = Node<{ node: ResourceLabNode }, ResourceLabNode["type"]>;

const icons = { exchange: "⇄", queue: "▤", topic: "☰", bus: "⧉", rule: "⑂" } as const;
const kindWords = { exchange: "exchange", queue: "queue", topic: "topic", bus: "bus", rule: "rule" } as const;
/** A queue's two halves as most brokers name them; a kind's lab view may name them otherwise (SQS: visible, in flight). */
const sharedDepth: NonNullable<CanvasWords["queueDepth"]> = { ready: "ready", unacked: "unacked", delayed: false, consumers: true };

function Sparkline({ values, peak }: { values: number[]; peak: number }) {
  if (values.length < 2) return null;
  const step = 100 / (values.length - 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(28 - (v / peak) * 26).toFixed(1)}`).join(" ");
  return (
    <svg className="lab-sparkline" viewBox="0 0 100 30" preserveAspectRatio="none" aria-hidden="true">
      <polyline points={`0,30 ${points} 100,30`} className="lab-sparkline__area" />
      <polyline points={points} className="lab-sparkline__line" />
    </svg>
  );
}

/** A queue's dead-letter queue and its depth, and the kind's note (SQS: the age of the oldest message, which it does not report). */
function QueueExtras({ deadLetterQueue, deadLettered, note }: { deadLetterQueue: string | undefined; deadLettered: number | undefined; note: { text: string; title: string } }) {
  return (
    <>
      {deadLetterQueue ? (
        <span className="lab-depth__split" data-testid={`queue-dlq-${deadLetterQueue}`}>
          DLQ {deadLetterQueue}: <b>{deadLettered === undefined ? "–" : formatCount(deadLettered)}</b>
        </span>
      ) : null}
      <span className="lab-depth__split" title={note.title}>{note.text}</span>
    </>
  );
}

interface QueueDepthProps {
  live: QueueLive | undefined;
  name: string;
  words: CanvasWords | undefined;
  /** The queue's dead-letter queue (SQS's redrive target) and its live depth. */
  deadLetter?: { queue: string; live: QueueLive | undefined };
}

function QueueDepth({ live, name, words, deadLetter }: QueueDepthProps) {
  const depth = words?.queueDepth ?? sharedDepth;
  const note = words?.queueNote;
  const [readyWord, unackedWord] = [depth.ready, depth.unacked];
  if (!live) {
    // The same size as during a run, so starting one does not shuffle the canvas.
    return (
      <div className="lab-depth lab-depth--idle">
        <div className="lab-depth__numbers">
          <span className="lab-depth__value">–</span>
          <span className="lab-depth__unit">in queue</span>
          <span className="lab-depth__split">Depth, {readyWord}, {unackedWord}{depth.delayed ? " and delayed" : ""} show here during a run.</span>
          {note ? <QueueExtras deadLetterQueue={deadLetter?.queue} deadLettered={undefined} note={note} /> : null}
        </div>
        <div className="lab-sparkline" aria-hidden="true" />
      </div>
    );
  }
  return (
    <div className="lab-depth" data-testid={`queue-depth-${name}`} data-depth={live.messages} data-delayed={live.delayed}>
      <div className="lab-depth__numbers">
        <span className="lab-depth__value">{formatCount(live.messages)}</span>
        <span className="lab-depth__unit">in queue</span>
        <span className="lab-depth__split">
          {formatCount(live.ready)} {readyWord} · {formatCount(live.unacked)} {unackedWord}
          {live.delayed === undefined ? null : ` · ${formatCount(live.delayed)} delayed`}
          {depth.consumers ? ` · ${live.consumers} consumer${live.consumers === 1 ? "" : "s"}` : null}
        </span>
        {note ? <QueueExtras deadLetterQueue={deadLetter?.queue} deadLettered={deadLetter?.live?.messages} note={note} /> : null}
      </div>
      <Sparkline values={live.history} peak={live.peak} />
    </div>
  );
}

function TopicLag({ groups, partitions }: { groups: GroupLag[] | undefined; partitions: number }) {
  if (!groups || groups.length === 0) {
    // A stream has no partitions: its groups' lag and pending entries are its figures.
    const before = partitions > 0 ? `${partitions} partition${partitions === 1 ? "" : "s"}; lag` : "Lag and pending entries";
    return <p className="lab-node__hint">{before} per group shows during a run.</p>;
  }
  return (
    <div className="lab-lag">
      {groups.map((group) => {
        const peak = Math.max(1, ...group.partitions.map((p) => p.lag));
        const inTime = lagTimeWords(group);
        return (
          <div key={group.group} className="lab-lag__group" data-testid={`topic-lag-${group.topic}-${group.group}`} data-lag={group.total} data-lag-seconds={group.seconds}>
            <span className="lab-lag__title">
              group <b>{group.group}</b> · lag <b>{formatCount(group.total)}</b>
              {group.pending === undefined ? null : <> · <span data-testid={`topic-pending-${group.topic}-${group.group}`} data-pending={group.pending}>pending <b>{formatCount(group.pending)}</b></span></>}
            </span>
            {inTime ? <span className="lab-lag__time" data-not-draining={group.drainSeconds === null}>{inTime}</span> : null}
            <span className="lab-lag__bars">
              {group.partitions.map((p) => (
                <span key={p.partition} className="lab-lag__bar" title={`partition ${p.partition}: lag ${p.lag} (committed ${p.committed}, end ${p.high})${p.lag > 0 && p.seconds !== undefined ? `, oldest ${formatSeconds(p.seconds)} old` : ""}`}>
                  <span className="lab-lag__fill" style={{ height: `${Math.max(4, (p.lag / peak) * 100)}%` }} data-zero={p.lag === 0} />
                  <span className="lab-lag__label">p{p.partition}</span>
                </span>
              ))}
            </span>
          </div>
        );
      })}
    </div>
  );
}

const inHints: Record<ResourceKind, string> = {
  exchange: "Producers publish here", queue: "Producers or exchanges send here", topic: "Producers send here",
  bus: "Producers put events here", rule: "Drag a bus here to put the rule on it",
};
const outHints: Record<ResourceKind, string> = {
  exchange: "Drag to a queue to bind it", queue: "Drag to a service to consume", topic: "Drag to a service to consume",
  bus: "Drag to a rule to put it on this bus", rule: "Drag to a queue to route events there",
};
/** The line under a node; a topic without one shows its consumer groups' lag instead. */
const notes: Partial<Record<ResourceKind, string>> = {
  exchange: "Routes copies to the queues bound to it.", bus: "Receives events; its rules route the matching ones.", rule: "Events matching its pattern go to its target queues.",
};

/** Where a queue's dead letters go when that is another queue (SQS's redrive), with that queue's live depth. */
function redriveOf(resource: ResourceLabNode["resource"], view: BrokerLabView, queues: Map<string, QueueLive> | undefined): QueueDepthProps["deadLetter"] {
  const edge = resource.kind === "queue" && resource.deadLetter ? view.deadLetterEdge?.(resource.deadLetter) : undefined;
  return edge?.kind === "queue" ? { queue: edge.name, live: queues?.get(resourceKey(resource.broker, edge.name)) } : undefined;
}

function ResourceNodeView({ data, id }: NodeProps<ResourceFlowNode>) {
  const { node } = data;
  const { resource } = node;
  const { select, selectedKey, problems, downKinds } = useCanvasActions();
  const live = useLive();
  const key = pathKey(resource.path);
  const down = downKinds.has(node.brokerKind);
  const liveKey = resourceKey(resource.broker, resource.name);
  const view = viewFor(node.brokerKind, resource.kind);
  const words = view.canvas;
  const note = words?.note?.[resource.kind] ?? notes[resource.kind];
  return (
    <div
      className={`lab-node lab-node--${resource.kind} ${selectedKey === key ? "is-selected" : ""} ${down ? "lab-node--down" : ""}`}
      data-testid={`node-${id}`}
      onClick={() => select(resource.path)}
    >
      <Handle type="target" position={Position.Left} id={handles.in} className="lab-handle lab-handle--in" title={words?.inHint?.[resource.kind] ?? inHints[resource.kind]} />
      <header className="lab-node__header">
        <span className={`lab-node__icon lab-node__icon--${resource.kind}`} aria-hidden="true">{icons[resource.kind]}</span>
        <span className="lab-node__name" title={resource.name}><Breakable text={resource.name} /></span>
        <span className="lab-chip">{resource.detail}</span>
        <ProblemBadge count={problems.get(key) ?? 0} />
      </header>
      <p className="lab-node__kind">
        {words?.kindWord?.[resource.kind] ?? kindWords[resource.kind]} on <b>{resource.broker}</b>
      </p>
      {down ? <p className="lab-node__down">Broker down</p> : null}
      {resource.kind === "queue" ? <QueueDepth live={live?.queues.get(liveKey)} name={resource.name} words={words} deadLetter={redriveOf(resource, view, live?.queues)} /> : null}
      {resource.kind === "topic" && !note ? <TopicLag groups={live?.lag.get(liveKey)} partitions={resource.partitions ?? 0} /> : null}
      {note ? <p className="lab-node__hint">{note}</p> : null}
      <Handle type="source" position={Position.Right} id={handles.out} className="lab-handle lab-handle--out" title={words?.outHint?.[resource.kind] ?? outHints[resource.kind]} />
      {(resource.kind === "queue" && resource.deadLetter) || (resource.kind === "topic" && isRecord(resource.raw.deadLetter) && view.deadLetterEdge?.(resource.raw.deadLetter)) ? (
        <Handle type="source" position={Position.Bottom} id={handles.deadLetter} className="lab-handle lab-handle--dead" title="Dead letters leave here" />
      ) : null}
    </div>
  );
}

export const ResourceNode = memo(ResourceNodeView);
