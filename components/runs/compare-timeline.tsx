// Both runs' flight-recorder timelines on the comparison's time axis: a lane per run with a mark
// for each fault, kill or restart, broker outage and error, then the same entries as a list in time
// order, A's on the left and B's on the right, so what happened in one run sits beside the other.
import type { AlignedEntry } from "../../lib/runs/aligned-timeline";
import { timelineSpan } from "../../lib/runs/aligned-timeline";

const kindWords: Record<AlignedEntry["kind"], string> = {
  fault: "fault", "fault-ended": "fault ended", replica: "replica", connection: "connection", broker: "broker", error: "error",
};
const seconds = (ms: number) => `${ms > 0 ? "+" : ms < 0 ? "−" : ""}${(Math.abs(ms) / 1000).toFixed(1)} s`;

function Lane({ side, entries, span }: { side: "A" | "B"; entries: AlignedEntry[]; span: { from: number; to: number } }) {
  const at = (ms: number) => `${((ms - span.from) / (span.to - span.from)) * 100}%`;
  return (
    <div className="compare-lane" data-testid={`timeline-lane-${side}`}>
      <span className="compare-lane__name">{side}</span>
      <div className="compare-lane__track">
        {span.from < 0 ? <span className="compare-lane__zero" style={{ left: at(0) }} aria-hidden="true" /> : null}
        {entries.map((entry, index) => (
          <span key={index} className={`compare-lane__mark compare-lane__mark--${entry.kind}`} style={{ left: at(entry.atMs) }}
            title={`${seconds(entry.atMs)} ${kindWords[entry.kind]}: ${entry.target} ${entry.detail}`} />
        ))}
      </div>
    </div>
  );
}

const cell = (entry: AlignedEntry) => (
  <>
    <span className={`compare-timeline__kind compare-timeline__kind--${entry.kind}`}>{kindWords[entry.kind]}</span> <b>{entry.target}</b> {entry.detail}
  </>
);

export function CompareTimeline(props: { entries: AlignedEntry[]; ends: [number, number]; aligned: "start" | "fault" }) {
  const { entries, ends } = props;
  const span = timelineSpan(entries, ends);
  const zero = props.aligned === "start" ? "each run's start" : "each run's first fault";
  return (
    <section className="compare-timeline" aria-labelledby="compare-timeline-title" data-testid="compare-timeline">
      <h3 className="run-heading" id="compare-timeline-title">Flight-recorder timelines</h3>
      {entries.length === 0 ? (
        <p className="muted" data-testid="compare-timeline-empty">Neither run recorded a fault, a replica change, a broker outage or an error.</p>
      ) : (
        <>
          <Lane side="A" entries={entries.filter((e) => e.side === "A")} span={span} />
          <Lane side="B" entries={entries.filter((e) => e.side === "B")} span={span} />
          <p className="muted compare-timeline__axis"><span>{seconds(span.from)}</span><span>0 s is {zero}</span><span>{seconds(span.to)}</span></p>
          <div className="compare-timeline__scroll">
            <table className="compare-table compare-timeline__table">
              <thead><tr><th scope="col">Time</th><th scope="col">A</th><th scope="col">B</th></tr></thead>
              <tbody>
                {entries.map((entry, index) => (
                  <tr key={index} data-testid="timeline-row" data-side={entry.side} data-kind={entry.kind}>
                    <td>{seconds(entry.atMs)}</td>
                    <td>{entry.side === "A" ? cell(entry) : null}</td>
                    <td>{entry.side === "B" ? cell(entry) : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
