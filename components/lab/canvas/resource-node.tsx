"use client";
// Exchanges, queues and topics on the canvas. A queue shows its depth (ready / unacked; an SQS
// queue visible / in flight / delayed and its dead-letter queue) with a sparkline of the run so
// far; a topic shows each consumer group's lag per partition, how old its oldest message is and
// when the lag is gone at the current rates.
import { Handle, Position } from "@xyflow/react";
import type { Node, NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { LabNode } from "../../../lib/lab/graph";
import { handles } from "../../../lib/lab/graph";
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
/** How each broker kind names a queue's two halves: RabbitMQ's ready/unacked, SQS's visible/in flight. */
const depthWords = { default: ["ready", "unacked"], aws: ["visible", "in flight"] } as const;

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

/** An SQS queue's dead-letter queue and its depth, and the age of the oldest message, which SQS does not report. */
function AmazonQueueExtras({ deadLetterQueue, deadLettered }: { deadLetterQueue: string | undefined; deadLettered: number | undefined }) {
  return (
    <>
      {deadLetterQueue ? (
        <span className="lab-depth__split" data-testid={`queue-dlq-${deadLetterQueue}`}>
          DLQ {deadLetterQueue}: <b>{deadLettered === undefined ? "–" : formatCount(deadLettered)}</b>
        </span>
      ) : null}
      <span className="lab-depth__split" title="SQS reports the age of the oldest message only as a CloudWatch metric, not through the queue's attributes">
        oldest message&apos;s age: not reported by SQS
      </span>
    </>
  );
}

interface QueueDepthProps {
  live: QueueLive | undefined;
  name: string;
  amazon: boolean;
  /** An SQS queue's redrive target and its live depth. */
  deadLetter?: { queue: string; live: QueueLive | undefined };
}

function QueueDepth({ live, name, amazon, deadLetter }: QueueDepthProps) {
  const [readyWord, unackedWord] = depthWords[amazon ? "aws" : "default"];
  if (!live) {
    // The same size as during a run, so starting one does not shuffle the canvas.
    return (
      <div className="lab-depth lab-depth--idle">
        <div className="lab-depth__numbers">
          <span className="lab-depth__value">–</span>
          <span className="lab-depth__unit">in queue</span>
          <span className="lab-depth__split">Depth, {readyWord}, {unackedWord}{amazon ? " and delayed" : ""} show here during a run.</span>
          {amazon ? <AmazonQueueExtras deadLetterQueue={deadLetter?.queue} deadLettered={undefined} /> : null}
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
          {amazon ? null : ` · ${live.consumers} consumer${live.consumers === 1 ? "" : "s"}`}
        </span>
        {amazon ? <AmazonQueueExtras deadLetterQueue={deadLetter?.queue} deadLettered={deadLetter?.live?.messages} /> : null}
      </div>
      <Sparkline values={live.history} peak={live.peak} />
    </div>
  );
}

function TopicLag({ groups, partitions }: { groups: GroupLag[] | undefined; partitions: number }) {
  if (!groups || groups.length === 0) return <p className="lab-node__hint">{partitions} partition{partitions === 1 ? "" : "s"}; lag per group shows during a run.</p>;
  return (
    <div className="lab-lag">
      {groups.map((group) => {
        const peak = Math.max(1, ...group.partitions.map((p) => p.lag));
        const inTime = lagTimeWords(group);
        return (
          <div key={group.group} className="lab-lag__group" data-testid={`topic-lag-${group.topic}-${group.group}`} data-lag={group.total} data-lag-seconds={group.seconds}>
            <span className="lab-lag__title">
              group <b>{group.group}</b> · lag <b>{formatCount(group.total)}</b>
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

const inHints = {
  exchange: "Producers publish here", queue: "Producers or exchanges send here", topic: "Producers send here",
  sqsQueue: "Producers, SNS topics and rules send here", bus: "Producers put events here", rule: "Drag a bus here to put the rule on it",
} as const;
const outHints = {
  exchange: "Drag to a queue to bind it", queue: "Drag to a service to consume", topic: "Drag to a service to consume",
  snsTopic: "Drag to a queue to subscribe it", bus: "Drag to a rule to put it on this bus", rule: "Drag to a queue to route events there",
} as const;

/** Where an SQS queue redrives its failures to, with that queue's live depth. */
function redriveOf(resource: ResourceLabNode["resource"], queues: Map<string, QueueLive> | undefined): QueueDepthProps["deadLetter"] {
  const target = resource.kind === "queue" && resource.deadLetter && "queue" in resource.deadLetter ? resource.deadLetter.queue : undefined;
  return target ? { queue: target, live: queues?.get(resourceKey(resource.broker, target)) } : undefined;
}

function ResourceNodeView({ data, id }: NodeProps<ResourceFlowNode>) {
  const { node } = data;
  const { resource } = node;
  const { select, selectedKey, problems, downKinds } = useCanvasActions();
  const live = useLive();
  const key = pathKey(resource.path);
  const down = downKinds.has(node.brokerKind);
  const liveKey = resourceKey(resource.broker, resource.name);
  return (
    <div
      className={`lab-node lab-node--${resource.kind} ${selectedKey === key ? "is-selected" : ""} ${down ? "lab-node--down" : ""}`}
      data-testid={`node-${id}`}
      onClick={() => select(resource.path)}
    >
      <Handle type="target" position={Position.Left} id={handles.in} className="lab-handle lab-handle--in" title={inHints[node.brokerKind === "aws" && resource.kind === "queue" ? "sqsQueue" : resource.kind]} />
      <header className="lab-node__header">
        <span className={`lab-node__icon lab-node__icon--${resource.kind}`} aria-hidden="true">{icons[resource.kind]}</span>
        <span className="lab-node__name" title={resource.name}><Breakable text={resource.name} /></span>
        <span className="lab-chip">{resource.detail}</span>
        <ProblemBadge count={problems.get(key) ?? 0} />
      </header>
      <p className="lab-node__kind">
        {kindWords[resource.kind]} on <b>{resource.broker}</b>
      </p>
      {down ? <p className="lab-node__down">Broker down</p> : null}
      {resource.kind === "queue" ? <QueueDepth live={live?.queues.get(liveKey)} name={resource.name} amazon={node.brokerKind === "aws"} deadLetter={redriveOf(resource, live?.queues)} /> : null}
      {resource.kind === "topic" && node.brokerKind === "aws" ? <p className="lab-node__hint">Copies every message to each subscribed queue.</p> : null}
      {resource.kind === "topic" && node.brokerKind !== "aws" ? <TopicLag groups={live?.lag.get(liveKey)} partitions={resource.partitions ?? 1} /> : null}
      {resource.kind === "exchange" ? <p className="lab-node__hint">Routes copies to the queues bound to it.</p> : null}
      {resource.kind === "bus" ? <p className="lab-node__hint">Receives events; its rules route the matching ones.</p> : null}
      {resource.kind === "rule" ? <p className="lab-node__hint">Events matching its pattern go to its target queues.</p> : null}
      <Handle type="source" position={Position.Right} id={handles.out} className="lab-handle lab-handle--out" title={outHints[resource.kind === "topic" && node.brokerKind === "aws" ? "snsTopic" : resource.kind]} />
      {resource.kind === "queue" && resource.deadLetter ? (
        <Handle type="source" position={Position.Bottom} id={handles.deadLetter} className="lab-handle lab-handle--dead" title="Dead letters leave here" />
      ) : null}
    </div>
  );
}

export const ResourceNode = memo(ResourceNodeView);
