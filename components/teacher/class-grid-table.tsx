// The class grid: a row per learner, a column per lesson, a mark per step. Each state has its own
// colour and its own symbol and words, so the grid reads the same without colour.
import { rowCounts, type CellState, type ClassGrid, type GridCell, type GridLesson } from "../../lib/classroom/grid";

export const stateLabels: Record<CellState, { symbol: string; words: string }> = {
  done: { symbol: "✓", words: "done" },
  helped: { symbol: "H", words: "done with help" },
  stuck: { symbol: "!", words: "stuck" },
  working: { symbol: "…", words: "working" },
  todo: { symbol: "·", words: "not started" },
};

function cellText(cell: GridCell, stuckAfter: number): string {
  if (cell.state === "stuck") return `stuck: started ${cell.minutes} min ago (over ${stuckAfter} min) and not done`;
  if (cell.state === "working") return `working: started ${cell.minutes} min ago`;
  return stateLabels[cell.state].words;
}

function StepMark({ cell, lesson, index, stuckAfter }: { cell: GridCell; lesson: GridLesson; index: number; stuckAfter: number }) {
  const step = lesson.steps[index]!;
  const text = `Step ${index + 1}, ${step.title}: ${cellText(cell, stuckAfter)}`;
  return (
    <li className={`grid-mark grid-mark--${cell.state}`} title={text} data-state={cell.state}>
      <span aria-hidden="true">{stateLabels[cell.state].symbol}</span>
      <span className="visually-hidden">{text}</span>
    </li>
  );
}

const ago = (at: number | undefined, now: number) => {
  if (at === undefined) return "no activity yet";
  const minutes = Math.floor((now - at) / 60_000);
  return minutes < 1 ? "active just now" : minutes < 60 ? `active ${minutes} min ago` : `active ${Math.floor(minutes / 60)} h ago`;
};

export function Legend() {
  return (
    <ul className="grid-legend" aria-label="What the marks mean">
      {(Object.keys(stateLabels) as CellState[]).map((state) => (
        <li key={state}>
          <span className={`grid-mark grid-mark--${state}`} aria-hidden="true">{stateLabels[state].symbol}</span> {stateLabels[state].words}
        </li>
      ))}
    </ul>
  );
}

export function ClassGridTable({ grid }: { grid: ClassGrid }) {
  return (
    <div className="class-grid__scroll">
      <table className="class-grid" data-testid="class-grid">
        <caption className="visually-hidden">Each learner's steps in each lesson they opened</caption>
        <thead>
          <tr>
            <th scope="col">Learner</th>
            {grid.lessons.map((lesson) => (
              <th scope="col" key={lesson.id} title={lesson.title}>
                {lesson.number !== undefined ? `${lesson.number}. ` : ""}{lesson.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {grid.learners.map((row) => {
            const counts = rowCounts(row);
            return (
              <tr key={row.learnerId} data-testid="class-grid-row" data-learner={row.learnerId}>
                <th scope="row">
                  <span className="class-grid__name">{row.name}</span>
                  <span className="class-grid__summary">
                    {counts.done + counts.helped} done{counts.helped ? ` (${counts.helped} with help)` : ""}
                    {counts.stuck ? <strong className="class-grid__stuck"> · {counts.stuck} stuck</strong> : null} · {ago(row.lastActiveAt, grid.generatedAt)}
                  </span>
                </th>
                {grid.lessons.map((lesson) => {
                  const cells = row.lessons[lesson.id];
                  return (
                    <td key={lesson.id}>
                      {cells ? (
                        <ol className="grid-marks" aria-label={`${row.name} in ${lesson.title}`}>
                          {cells.map((cell, i) => <StepMark key={lesson.steps[i]!.id} cell={cell} lesson={lesson} index={i} stuckAfter={grid.stuckAfterMinutes} />)}
                        </ol>
                      ) : (
                        <span className="class-grid__unopened" title="not opened"><span aria-hidden="true">–</span><span className="visually-hidden">not opened</span></span>
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
