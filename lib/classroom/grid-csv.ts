// The class grid as CSV for a spreadsheet: one row per learner and step of the lessons they opened.
// RFC 4180 quoting, CRLF line ends; a cell a spreadsheet would read as a formula is defused.
import type { CellState, ClassGrid } from "./grid";

export const gridCsvColumns = ["learner_id", "name", "lesson_id", "lesson", "step_id", "step", "state", "started_at", "completed_at", "minutes_since_start"] as const;

const stateWords: Record<CellState, string> = { done: "done", helped: "done with help", stuck: "stuck", working: "working", todo: "not started" };

/**
 * One field: a text starting with =, +, -, @, tab or carriage return is what Excel, LibreOffice and
 * Google Sheets run as a formula (`=HYPERLINK(...)` in a display name), so it gets a leading
 * apostrophe; then a field with a comma, quote or line break is quoted with quotes doubled.
 */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (fields: readonly (string | number | undefined)[]) => fields.map(csvField).join(",");

const iso = (at: number | undefined) => (at === undefined ? undefined : new Date(at).toISOString());

export function gridCsv(grid: ClassGrid): string {
  const lines = [csvLine(gridCsvColumns)];
  for (const row of grid.learners) {
    for (const lesson of grid.lessons) {
      const cells = row.lessons[lesson.id];
      if (!cells) continue;
      lesson.steps.forEach((step, i) => {
        const cell = cells[i] ?? { state: "todo" as const };
        lines.push(csvLine([row.learnerId, row.name, lesson.id, lesson.title, step.id, step.title, stateWords[cell.state], iso(cell.startedAt), iso(cell.completedAt), cell.minutes]));
      });
    }
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** A file name for the download: the class's progress on that day (UTC). */
export const gridCsvFileName = (at: number) => `brokerlab-class-progress-${new Date(at).toISOString().slice(0, 10)}.csv`;
