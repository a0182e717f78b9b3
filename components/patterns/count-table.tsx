// A table of counters per part (a replier, a worker, a receiver…): a row each, a column per counter.
import { count } from "./format";

export interface CountColumn<T> {
  label: string;
  value: (row: T) => number;
  title?: string;
}

interface Props<T> {
  caption: string;
  /** The first column's heading: what a row is. */
  head: string;
  rows: [string, T][];
  columns: CountColumn<T>[];
  /** Senders say when they have sent all they will: "· done" after the row's name. */
  done?: (row: T) => boolean;
}

export function CountTable<T>({ caption, head, rows, columns, done }: Props<T>) {
  if (rows.length === 0) return null;
  return (
    <div className="pattern-scroll">
      <table className="pattern-table">
        <caption>{caption}</caption>
        <thead>
          <tr><th scope="col">{head}</th>{columns.map((c) => <th key={c.label} scope="col" title={c.title}>{c.label}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map(([key, row]) => (
            <tr key={key}><th scope="row">{key}{done?.(row) ? <span className="muted"> · done</span> : null}</th>{columns.map((c) => <td key={c.label}>{count(c.value(row))}</td>)}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
