// A table of two runs' figures with B − A; a difference in the bad direction (more lost, slower) is
// marked worse, the other way better, so the change reads without doing the sums.
import type { Difference } from "../../lib/runs/replay";

export function DiffTable(props: { caption: string; rows: Difference[]; format(value: number): string; worseWhenHigher: string[]; testId: string }) {
  const shown = (value: number | undefined) => (value === undefined ? "–" : props.format(value));
  return (
    <table className="compare-table" data-testid={props.testId}>
      <caption className="run-heading">{props.caption}</caption>
      <thead><tr><th scope="col" /><th scope="col">A</th><th scope="col">B</th><th scope="col">B − A</th></tr></thead>
      <tbody>
        {props.rows.map((row) => {
          const worse = row.delta !== undefined && row.delta !== 0 && props.worseWhenHigher.includes(row.key) === row.delta > 0;
          const tone = row.delta === undefined || row.delta === 0 || !props.worseWhenHigher.includes(row.key) ? "" : worse ? "is-worse" : "is-better";
          return (
            <tr key={row.key} data-row={row.key}>
              <th scope="row">{row.key}</th>
              <td>{shown(row.a)}</td>
              <td>{shown(row.b)}</td>
              <td className={tone} data-testid="diff-delta">{row.delta === undefined ? "–" : `${row.delta > 0 ? "+" : row.delta < 0 ? "−" : ""}${props.format(Math.abs(row.delta))}`}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
