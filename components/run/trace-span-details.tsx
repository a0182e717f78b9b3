"use client";
// The selected span of a trace timeline: when and how long, its parent and its links (a link to
// another trace can be followed), its attributes (messaging first) and its events.
import { durationText } from "./event-kinds";
import { orderedTags, serviceColor } from "./trace-data";
import type { KeyValue, SpanRow, TraceLayout } from "./trace-data";

const show = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

function Attributes(props: { tags: readonly KeyValue[] }) {
  return (
    <table className="span-details__tags">
      <tbody>
        {orderedTags(props.tags).map((tag) => (
          <tr key={tag.key}>
            <th scope="row">{tag.key}</th>
            <td>{show(tag.value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SpanDetails(props: { row: SpanRow; layout: TraceLayout; onOpenTrace(traceId: string): void; onSelect(spanId: string): void }) {
  const { row, layout } = props;
  const { span } = row;
  const parent = row.parentId ? layout.rows.find((r) => r.span.spanID === row.parentId) : undefined;
  return (
    <section className="span-details" aria-label={`Span ${span.operationName}`} data-testid="span-details">
      <header className="span-details__head">
        <span className="trace__dot" style={{ background: serviceColor(layout.services, row.service) }} aria-hidden="true" />
        <h4>{span.operationName}</h4>
        <span className="span-details__meta">
          {row.kind.toUpperCase()} span in <b>{row.service}</b> · starts at +{durationText(row.offset / 1000)} · lasts {durationText(row.duration / 1000)}
        </span>
      </header>
      <dl className="span-details__refs">
        <div>
          <dt>Parent</dt>
          <dd>
            {parent ? (
              <button type="button" className="link-button" onClick={() => props.onSelect(parent.span.spanID)}>
                {parent.span.operationName} ({parent.service})
              </button>
            ) : (
              "none: this span starts its trace (a root span)"
            )}
          </dd>
        </div>
        {row.links.length > 0 ? (
          <div>
            <dt>Links</dt>
            <dd>
              <ul className="span-details__links">
                {row.links.map((link) => (
                  <li key={`${link.traceId}-${link.spanId}`}>
                    {link.inTrace ? (
                      <button type="button" className="link-button" onClick={() => props.onSelect(link.spanId)}>
                        span {link.spanId} in this trace
                      </button>
                    ) : (
                      <button type="button" className="link-button" onClick={() => props.onOpenTrace(link.traceId)}>
                        span {link.spanId.slice(0, 8)}… in trace {link.traceId.slice(0, 8)}…: open it
                      </button>
                    )}
                    <span className="muted"> ({link.refType === "FOLLOWS_FROM" ? "a span link" : link.refType})</span>
                  </li>
                ))}
              </ul>
              <p className="muted span-details__note">A link says “this span was caused by that one” without making it a child: with span-link propagation each consumer starts its own trace and links back to the producer.</p>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Span id</dt>
          <dd>
            <code>{span.spanID}</code>
          </dd>
        </div>
      </dl>
      <h5>Attributes</h5>
      <Attributes tags={span.tags} />
      {span.logs.length > 0 ? (
        <>
          <h5>Events</h5>
          <ol className="span-details__events">
            {span.logs.map((log, index) => {
              const name = log.fields.find((f) => f.key === "event")?.value;
              return (
                <li key={index}>
                  <span className="span-details__event-time">+{durationText((log.timestamp - span.startTime) / 1000)}</span> <b>{show(name ?? "event")}</b>
                  <Attributes tags={log.fields.filter((f) => f.key !== "event")} />
                </li>
              );
            })}
          </ol>
        </>
      ) : null}
    </section>
  );
}
