"use client";
// The live log of sampled message events: newest first, filtered by kind and searched by id, key,
// routing key, destination, trace id or detail. At most `maxRows` rows are drawn; rows are
// selectable with the mouse or the keyboard (↑ ↓ Home End to move, Enter to open).
import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import type { KeyboardEvent } from "react";
import type { MessageEvent, MessageEventKind } from "../../lib/run/ipc";
import { actorText, allEventKinds, clockTime, eventKinds, kindInfo } from "./event-kinds";
import "./run.css";

export const maxRows = 500;

/** Stable row keys for event objects, whatever their position in the growing list. */
const rowKeys = new WeakMap<MessageEvent, number>();
let nextRowKey = 0;
const rowKey = (event: MessageEvent) => {
  let key = rowKeys.get(event);
  if (key === undefined) rowKeys.set(event, (key = nextRowKey++));
  return key;
};

/** The newest events that pass the filter, newest first, at most `limit`. */
export function visibleEvents(events: readonly MessageEvent[], kind: MessageEventKind | "all", search: string, limit = maxRows): MessageEvent[] {
  const needle = search.trim().toLowerCase();
  const out: MessageEvent[] = [];
  for (let i = events.length - 1; i >= 0 && out.length < limit; i--) {
    const event = events[i]!;
    if (kind !== "all" && event.kind !== kind) continue;
    if (needle && !haystack(event).includes(needle)) continue;
    out.push(event);
  }
  return out;
}

function haystack(event: MessageEvent): string {
  return [event.id, event.key, event.routingKey, event.destination, event.traceId, event.detail, event.service, event.actor, event.partition === undefined ? undefined : `partition ${event.partition}`]
    .filter(Boolean)
    .join("\u0000")
    .toLowerCase();
}

const Row = memo(function Row(props: { event: MessageEvent; selected: boolean; onSelect(id: string): void; onKeyDown(event: KeyboardEvent<HTMLTableRowElement>): void }) {
  const { event } = props;
  const info = kindInfo(event.kind);
  const key = event.routingKey ?? event.key;
  return (
    <tr
      className={`message-log__row${props.selected ? " is-selected" : ""}`}
      tabIndex={0}
      aria-selected={props.selected}
      data-message-id={event.id}
      onClick={() => props.onSelect(event.id)}
      onKeyDown={props.onKeyDown}
    >
      <td className="message-log__time">{clockTime(event.at)}</td>
      <td>
        <span className={`event-badge event-badge--${info.tone}`} title={info.explain}>
          {info.label}
        </span>
      </td>
      <td className="message-log__id">{event.id}</td>
      <td className="message-log__actor">{actorText(event)}</td>
      <td className="message-log__dest">
        {event.destination ?? ""}
        {event.partition !== undefined ? <span className="muted"> p{event.partition}</span> : null}
      </td>
      <td className="message-log__key">{key ?? ""}</td>
      <td className="message-log__trace">{event.traceId ? <code title={event.traceId}>{event.traceId.slice(0, 8)}</code> : ""}</td>
    </tr>
  );
});

export function MessageLog(props: { events: MessageEvent[]; onSelect(messageId: string): void }) {
  const [kind, setKind] = useState<MessageEventKind | "all">("all");
  const [search, setSearch] = useState("");
  const [paused, setPaused] = useState<MessageEvent[] | undefined>();
  const [selected, setSelected] = useState<string>();
  const body = useRef<HTMLTableSectionElement>(null);
  const source = paused ?? props.events;
  const deferredSearch = useDeferredValue(search);
  const rows = useMemo(() => visibleEvents(source, kind, deferredSearch), [source, kind, deferredSearch]);
  const waiting = paused ? props.events.length - paused.length : 0;

  // Stable callbacks, so the memoised rows do not re-render on every frame.
  const onSelect = useRef(props.onSelect);
  useEffect(() => {
    onSelect.current = props.onSelect;
  });
  const select = useCallback((id: string) => {
    setSelected(id);
    onSelect.current(id);
  }, []);

  const onRowKey = useCallback((event: KeyboardEvent<HTMLTableRowElement>) => {
    const row = event.currentTarget;
    const all = Array.from(body.current?.querySelectorAll<HTMLTableRowElement>("tr") ?? []);
    const at = all.indexOf(row);
    const move = (index: number) => all[Math.max(0, Math.min(all.length - 1, index))]?.focus();
    switch (event.key) {
      case "ArrowDown": event.preventDefault(); move(at + 1); break;
      case "ArrowUp": event.preventDefault(); move(at - 1); break;
      case "Home": event.preventDefault(); move(0); break;
      case "End": event.preventDefault(); move(all.length - 1); break;
      case "Enter":
      case " ":
        event.preventDefault();
        if (row.dataset.messageId) select(row.dataset.messageId);
        break;
      default: break;
    }
  }, [select]);

  return (
    <section className="message-log" aria-label="Message log">
      <div className="message-log__toolbar">
        <h3 className="run-heading">Messages</h3>
        <label className="message-log__field">
          <span className="visually-hidden">Kind</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as MessageEventKind | "all")} aria-label="Filter by kind">
            <option value="all">All kinds</option>
            {allEventKinds.map((k) => (
              <option key={k} value={k}>{eventKinds[k].label}</option>
            ))}
          </select>
        </label>
        <label className="message-log__field message-log__search">
          <span className="visually-hidden">Search</span>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Search id, key, routing key, trace, detail…" aria-label="Search messages" />
        </label>
        <button type="button" className="button button--small" aria-pressed={paused !== undefined} onClick={() => setPaused(paused ? undefined : props.events)}>
          {paused ? `Resume${waiting > 0 ? ` (${waiting} new)` : ""}` : "Pause"}
        </button>
      </div>
      <div className="message-log__scroll">
        <table className="message-log__table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Kind</th>
              <th scope="col">Message id</th>
              <th scope="col">Service · actor</th>
              <th scope="col">Destination</th>
              <th scope="col">Key / routing key</th>
              <th scope="col">Trace</th>
            </tr>
          </thead>
          <tbody ref={body}>
            {rows.map((event) => (
              <Row key={rowKey(event)} event={event} selected={event.id === selected} onSelect={select} onKeyDown={onRowKey} />
            ))}
          </tbody>
        </table>
        {rows.length === 0 ? (
          <p className="message-log__empty muted">
            {source.length === 0 ? "Messages appear here as they flow. At high rates the log shows a sample; the counters above are exact." : "No message matches the filter."}
          </p>
        ) : null}
      </div>
      <p className="message-log__foot muted">
        {rows.length === maxRows ? `The newest ${maxRows} matching events. ` : ""}Click a message, or press Enter on it, to follow it through the system.
      </p>
    </section>
  );
}
