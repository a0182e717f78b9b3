"use client";
// A service on the canvas: its name, replicas and their state, and one row per producer (a handle
// on the right to connect it) and consumer (a handle on the left), each with its live counters;
// while a run runs, a ⚡ menu of the service's faults.
import { Handle, Position } from "@xyflow/react";
import type { Node, NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { LabNode } from "../../../lib/lab/graph";
import { handles } from "../../../lib/lab/graph";
import { formatCount, formatRate, replicaWord, serviceWord } from "../../../lib/lab/live";
import type { LabConsumer, LabPatternRow, LabProducer } from "../../../lib/lab/model";
import { pathKey } from "../../../lib/lab/problems";
import { useCanvasActions, useLive } from "./canvas-context";
import { Breakable } from "./breakable";
import { NodeFaultMenu } from "./node-fault-menu";
import { ProblemBadge } from "./problem-badge";

export type ServiceFlowNode = Node<{ node: Extract<LabNode, { type: "service" }> }, "service">;

const wordLabels: Record<string, string> = {
  connected: "connected", starting: "starting", reconnecting: "reconnecting", paused: "paused",
  stopped: "stopped", exited: "exited", killed: "killed", crashed: "crashed",
};

function ReplicaState({ service }: { service: string }) {
  const live = useLive();
  const replicas = live?.frame.services[service];
  if (!replicas || replicas.length === 0) return null;
  const word = serviceWord(replicas) ?? "starting";
  const detail = replicas.map((r) => `replica ${r.replica}: ${replicaWord(r)}${r.restarts ? `, ${r.restarts} restarts` : ""}`).join("\n");
  return (
    <span className={`lab-state lab-state--${word}`} title={detail} data-testid={`service-state-${service}`} data-state={word}>
      <span className="lab-state__dot" aria-hidden="true" />
      {replicas.length > 1 ? `${replicas.filter((r) => replicaWord(r) === word).length}/${replicas.length} ` : ""}
      {wordLabels[word]}
    </span>
  );
}

/** Faults acting on this service or on one of its links to a broker, while they are active. */
function ServiceFaults({ service }: { service: string }) {
  const faults = useLive()?.frame.activeFaults?.filter((f) => f.target === service || f.target.startsWith(`${service}↔`)) ?? [];
  if (faults.length === 0) return null;
  return (
    <ul className="lab-node__faults" data-testid={`service-faults-${service}`}>
      {faults.map((f) => (
        <li key={f.id} title={f.detail}>⚡ {f.action} {f.target === service ? "" : `· ${f.target.slice(service.length + 1)}`}</li>
      ))}
    </ul>
  );
}

function ProducerRow({ service, producer, index }: { service: string; producer: LabProducer; index: number }) {
  const { select, selectedKey, problems } = useCanvasActions();
  const live = useLive()?.frame.producers[`${service}/${producer.name}`];
  const key = pathKey(producer.path);
  const target = producer.to ? `${producer.to.name}${producer.to.key && producer.to.key !== "default exchange" ? ` · ${producer.to.key}` : ""}` : undefined;
  return (
    <div className={`lab-row lab-row--producer ${selectedKey === key ? "is-selected" : ""}`}>
      <button type="button" className="lab-row__main nodrag" onClick={(e) => (e.stopPropagation(), select(producer.path))} onFocus={() => select(producer.path)} data-testid={`producer-${service}-${producer.name}`} aria-label={`Producer ${producer.name} of ${service}`}>
        <span className="lab-row__title">
          <span className="lab-row__icon" aria-hidden="true">↗</span>
          <span className="lab-row__name">{producer.name}</span>
          <span className="lab-row__rate">{live ? formatRate(live.ratePerSec) : producer.rate}</span>
        </span>
        <span className={`lab-row__link ${target ? "" : "lab-row__link--missing"}`}>{target ? `→ ${target}` : "not connected: drag ● to a queue"}</span>
        {live ? (
          <span className="lab-row__counters" data-testid={`producer-counters-${service}-${producer.name}`}>
            <span>published <b data-testid="published">{formatCount(live.published)}</b></span>
            <span>confirmed <b data-testid="confirmed">{formatCount(live.confirmed)}</b></span>
            {live.failed + live.returned > 0 ? <span className="lab-bad">failed <b>{formatCount(live.failed + live.returned)}</b></span> : null}
          </span>
        ) : null}
      </button>
      <ProblemBadge count={problems.get(key) ?? 0} />
      <Handle type="source" position={Position.Right} id={handles.producer(index)} className="lab-handle lab-handle--out" title="Drag to a queue, exchange or topic" />
    </div>
  );
}

function ConsumerRow({ service, consumer, index }: { service: string; consumer: LabConsumer; index: number }) {
  const { select, selectedKey, problems } = useCanvasActions();
  const live = useLive()?.frame.consumers[`${service}/${consumer.name}`];
  const key = pathKey(consumer.path);
  const source = consumer.from ? `${consumer.from.name}${consumer.from.kind === "topic" && consumer.from.group ? ` · group ${consumer.from.group}` : ""}` : undefined;
  const failed = live ? live.failed + live.nacked : 0;
  return (
    <div className={`lab-row lab-row--consumer ${selectedKey === key ? "is-selected" : ""}`}>
      <Handle type="target" position={Position.Left} id={handles.consumer(index)} className="lab-handle lab-handle--in" title="Drop a queue or topic here" />
      <button type="button" className="lab-row__main nodrag" onClick={(e) => (e.stopPropagation(), select(consumer.path))} onFocus={() => select(consumer.path)} data-testid={`consumer-${service}-${consumer.name}`} aria-label={`Consumer ${consumer.name} of ${service}`}>
        <span className="lab-row__title">
          <span className="lab-row__icon" aria-hidden="true">↘</span>
          <span className="lab-row__name">{consumer.name}</span>
          {live ? <span className="lab-row__rate">{formatRate(live.ratePerSec)}</span> : null}
        </span>
        <span className={`lab-row__link ${source ? "" : "lab-row__link--missing"}`}>{source ? `← ${source}` : "not connected: drag from a queue to ●"}</span>
        {consumer.forward?.to ? <span className="lab-row__link">⇢ forwards to {consumer.forward.to.name}</span> : null}
        {live ? (
          <span className="lab-row__counters" data-testid={`consumer-counters-${service}-${consumer.name}`}>
            <span>received <b data-testid="received">{formatCount(live.received)}</b></span>
            <span>acked <b data-testid="acked">{formatCount(live.acked)}</b></span>
            <span className={failed > 0 ? "lab-bad" : ""}>failed <b data-testid="failed">{formatCount(failed)}</b></span>
            {live.deadLettered > 0 ? <span className="lab-bad">dead <b>{formatCount(live.deadLettered)}</b></span> : null}
            {live.redelivered > 0 ? <span>redelivered <b>{formatCount(live.redelivered)}</b></span> : null}
          </span>
        ) : null}
      </button>
      <ProblemBadge count={problems.get(key) ?? 0} />
      {consumer.forward ? <Handle type="source" position={Position.Right} id={handles.forward(index)} className="lab-handle lab-handle--out lab-handle--forward" title="Forward: drag to where processed messages go next" /> : null}
    </div>
  );
}

/** A request/reply, task, HTTP API or projection part: drawn and linked, edited in the YAML. */
function PatternRow({ service, row, index }: { service: string; row: LabPatternRow; index: number }) {
  const { select, selectedKey, problems } = useCanvasActions();
  const key = pathKey(row.path);
  const link = row.to ? `→ ${row.to.name}` : row.from ? `← ${row.from.name}` : "";
  return (
    <div className={`lab-row lab-row--pattern ${selectedKey === key ? "is-selected" : ""}`}>
      {row.direction === "in" ? <Handle type="target" position={Position.Left} id={handles.pattern("in", index)} isConnectable={false} className="lab-handle lab-handle--in lab-handle--fixed" /> : null}
      <button type="button" className="lab-row__main nodrag" onClick={(e) => (e.stopPropagation(), select(row.path))} onFocus={() => select(row.path)} aria-label={`${row.word} ${row.name} of ${service}`} data-testid={`pattern-${service}-${row.name}`}>
        <span className="lab-row__title">
          <span className="lab-chip lab-chip--pattern">{row.word}</span>
          <span className="lab-row__name">{row.name}</span>
        </span>
        {link ? <span className="lab-row__link">{link}</span> : null}
      </button>
      <ProblemBadge count={problems.get(key) ?? 0} />
      {row.direction === "out" ? <Handle type="source" position={Position.Right} id={handles.pattern("out", index)} isConnectable={false} className="lab-handle lab-handle--out lab-handle--fixed" /> : null}
    </div>
  );
}

function ServiceNodeView({ data, id }: NodeProps<ServiceFlowNode>) {
  const { node } = data;
  const { service } = node;
  const { select, selectedKey, problems, downKinds, addProducer, addConsumer, readOnly } = useCanvasActions();
  const index = service.path[1] as number;
  const key = pathKey(service.path);
  const down = node.brokerKinds.some((k) => downKinds.has(k));
  const ownProblems = problems.get(key) ?? 0;
  return (
    <div className={`lab-node lab-node--service ${selectedKey === key ? "is-selected" : ""} ${down ? "lab-node--down" : ""}`} data-testid={`node-${id}`}>
      <Handle type="target" position={Position.Left} id={handles.newConsumer} className="lab-handle lab-handle--in lab-handle--new" title="Drop a queue or topic here to add a consumer" />
      <header className="lab-node__header" onClick={() => select(service.path)}>
        <span className="lab-node__icon lab-node__icon--service" aria-hidden="true">⬢</span>
        <span className="lab-node__name" title={service.name}><Breakable text={service.name} /></span>
        {service.replicas > 1 ? <span className="lab-chip" title={`${service.replicas} replicas (processes)`}>×{service.replicas}</span> : null}
        <ReplicaState service={service.name} />
        <ProblemBadge count={ownProblems} />
        {readOnly ? null : <NodeFaultMenu service={service.name} consumes={service.consumers.length > 0} />}
      </header>
      {down ? <p className="lab-node__down">Broker down</p> : null}
      <ServiceFaults service={service.name} />
      {service.producers.map((p, i) => <ProducerRow key={`p${i}`} service={service.name} producer={p} index={i} />)}
      {service.consumers.map((c, i) => <ConsumerRow key={`c${i}`} service={service.name} consumer={c} index={i} />)}
      {service.patterns.map((r, i) => <PatternRow key={`r${i}`} service={service.name} row={r} index={i} />)}
      {service.producers.length + service.consumers.length + service.patterns.length === 0 ? <p className="lab-node__empty">Add a producer or a consumer, or drag between ● and a queue.</p> : null}
      {readOnly ? null : (
        <footer className="lab-node__footer">
          <button type="button" className="lab-mini-button nodrag" onClick={(e) => (e.stopPropagation(), addProducer(index))}>+ producer</button>
          <button type="button" className="lab-mini-button nodrag" onClick={(e) => (e.stopPropagation(), addConsumer(index))}>+ consumer</button>
        </footer>
      )}
      <Handle type="source" position={Position.Right} id={handles.newProducer} className="lab-handle lab-handle--out lab-handle--new" title="Drag to a queue, exchange or topic to add a producer" />
    </div>
  );
}

export const ServiceNode = memo(ServiceNodeView);
