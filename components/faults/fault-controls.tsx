"use client";
// The fault panel of a running scenario: per service (kill, pause, restart, slow), per
// service↔broker link (latency, bandwidth, drop, cut, reset, broker-side close), per broker (stop,
// start), per queue (fill) and per poison rule; the faults in effect with an End button, and the
// run's latest timeline. Commands go over run:fault; what is active comes back in the frames.
import { useCallback, useState } from "react";
import { declaredNames, hasCapability, hooksOf } from "../../lib/brokers";
import { getSocket } from "../../lib/client/socket";
import type { RunFrame } from "../../lib/run/model";
import { brokersOf, poisonRoute } from "../../lib/scenario/faults";
import type { Scenario } from "../../lib/scenario/schema";
import { ActiveFaults } from "./active-faults";
import { LinkFaults } from "./link-faults";
import { ServiceFaults } from "./service-faults";
import { useFaultCommand } from "./use-fault-command";
import type { FaultSocket } from "./use-fault-command";
import "./fault-controls.css";

export interface FaultControlsProps {
  runId: string;
  scenario: Scenario;
  frame: RunFrame | undefined;
  /** For tests; the app's socket (getSocket()) otherwise. */
  socket?: FaultSocket;
}

const timelineKinds = new Set(["fault", "fault-ended", "broker", "error"]);

/** The queues the fillQueue fault can fill: those of kinds with bounded queues, with the bound their descriptor finds. */
function fillableQueues(scenario: Scenario): { broker: string; queue: { name: string; maxLength?: number } }[] {
  return Object.entries(scenario.resources).flatMap(([broker, resources]) => {
    if (!hasCapability(resources.kind, "boundedQueues")) return [];
    const bounded = (name: string) => hooksOf(resources.kind).boundedQueue?.(resources, name)?.maxLength;
    return declaredNames(resources.kind, resources, "queue").names.map((name) => ({ broker, queue: { name, maxLength: bounded(name) } }));
  });
}

export function FaultControls({ runId, scenario, frame, socket }: FaultControlsProps) {
  const socketOf = useCallback((): FaultSocket => socket ?? getSocket(), [socket]);
  const { send, pending, outcome } = useFaultCommand(runId, socketOf);
  const [queue, setQueue] = useState("");
  const [fillCount, setFillCount] = useState("");
  const running = frame?.status === "running";
  const disabled = !running || pending !== undefined;
  const active = frame?.activeFaults ?? [];
  const now = frame?.at ?? 0;
  const fillable = fillableQueues(scenario);
  const chosenQueue = fillable.find((q) => `${q.broker}/${q.queue.name}` === queue) ?? fillable[0];
  const poisons = scenario.services.flatMap((s) => s.consumers.filter((c) => c.failures.poison).map((c) => ({ service: s.name, consumer: c })));
  const recent = (frame?.timeline ?? []).filter((e) => timelineKinds.has(e.kind)).slice(-6).reverse();

  return (
    <section className="fault-controls" aria-labelledby={`fault-controls-${runId}`} data-testid="fault-controls">
      <header className="fault-controls__header">
        <h3 id={`fault-controls-${runId}`} className="fault-controls__title">Faults</h3>
        {!running ? <span className="fault-controls__note">Faults apply while the run is running.</span> : null}
        {pending ? <span className="fault-controls__note" role="status">{pending}…</span> : null}
      </header>
      <p className={`fault-controls__outcome fault-controls__outcome--${outcome?.tone ?? "none"}`} aria-live="polite">{outcome?.text ?? ""}</p>

      <h4 className="fault-controls__subtitle">Active</h4>
      <ActiveFaults faults={active} now={now} disabled={disabled} onEnd={(fault) => send({ action: "end", faultId: fault.id }, `end ${fault.action}`)} />

      <h4 className="fault-controls__subtitle">Services</h4>
      <ul className="fault-controls__list">
        {scenario.services.map((service) => (
          <ServiceFaults key={service.name} service={service} replicas={frame?.services[service.name] ?? []} disabled={disabled} send={send} />
        ))}
      </ul>

      <h4 className="fault-controls__subtitle">Links</h4>
      <ul className="fault-controls__list">
        {scenario.services.flatMap((service) => brokersOf(service).flatMap((broker) => {
          const spec = scenario.brokers[broker];
          return spec ? [<LinkFaults key={`${service.name}/${broker}`} service={service.name} broker={broker} kind={spec.kind} disabled={disabled} send={send} />] : [];
        }))}
      </ul>

      <h4 className="fault-controls__subtitle">Brokers and queues</h4>
      <ul className="fault-controls__list">
        {Object.entries(scenario.brokers).map(([broker, spec]) => {
          const stopped = active.some((f) => f.action === "stopBroker" && f.spec.action === "stopBroker" && f.spec.broker === broker);
          return (
            <li key={broker} className="fault-controls__row" data-testid={`broker-faults-${broker}`}>
              <div className="fault-controls__row-head"><strong>{broker}</strong><span className="fault-controls__states">{spec.kind}{stopped ? " · stopped by a fault" : ""}</span></div>
              <div className="fault-controls__actions">
                <button type="button" className="fault-controls__button fault-controls__button--danger" disabled={disabled || stopped} onClick={() => send({ action: "stopBroker", broker }, `stop ${broker}`)} title="Stops the local stack's broker (npm run stack:down)">Stop broker</button>
                <button type="button" className="fault-controls__button" disabled={disabled} onClick={() => send({ action: "startBroker", broker }, `start ${broker}`)}>Start broker</button>
              </div>
            </li>
          );
        })}
        {chosenQueue ? (
          <li className="fault-controls__row" data-testid="queue-faults">
            <div className="fault-controls__actions">
              <select value={`${chosenQueue.broker}/${chosenQueue.queue.name}`} onChange={(event) => setQueue(event.target.value)} disabled={disabled} aria-label="Queue to fill">
                {fillable.map((q) => <option key={`${q.broker}/${q.queue.name}`} value={`${q.broker}/${q.queue.name}`}>{q.queue.name}{q.queue.maxLength ? ` (max ${q.queue.maxLength})` : ""}</option>)}
              </select>
              <label className="fault-controls__field">count<input type="number" min={1} max={100_000} value={fillCount} placeholder={chosenQueue.queue.maxLength ? "to max" : "count"} onChange={(event) => setFillCount(event.target.value)} disabled={disabled} /></label>
              <button type="button" className="fault-controls__button" disabled={disabled || (!fillCount && !chosenQueue.queue.maxLength)}
                onClick={() => send({ action: "fillQueue", queue: chosenQueue.queue.name, broker: chosenQueue.broker, ...(fillCount ? { count: Number(fillCount) } : {}) }, `fill ${chosenQueue.queue.name}`)}>Fill queue</button>
            </div>
          </li>
        ) : null}
        {poisons.map(({ service, consumer }) => {
          const route = poisonRoute(scenario, { action: "poison", service, consumer: consumer.name });
          return (
            <li key={`${service}/${consumer.name}`} className="fault-controls__row" data-testid={`poison-${service}-${consumer.name}`}>
              <div className="fault-controls__actions">
                <button type="button" className="fault-controls__button" disabled={disabled || !route} onClick={() => send({ action: "poison", service, consumer: consumer.name }, `poison for ${service}/${consumer.name}`)}
                  title={route ? `${route.service}/${route.producer} publishes one message with ${consumer.failures.poison!.field} = ${String(consumer.failures.poison!.equals)}` : "No producer of the scenario reaches this consumer"}>
                  Send a poison message to {service}/{consumer.name}
                </button>
              </div>
            </li>
          );
        })}
      </ul>

      {recent.length > 0 ? (
        <>
          <h4 className="fault-controls__subtitle">Timeline</h4>
          <ol className="fault-controls__timeline" aria-label="Latest fault events">
            {recent.map((entry, i) => (
              <li key={`${entry.at}-${i}`} className={`fault-controls__event fault-controls__event--${entry.kind}`}>
                <time dateTime={new Date(entry.at).toISOString()}>{new Date(entry.at).toLocaleTimeString()}</time> {entry.target}: {entry.detail}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}
