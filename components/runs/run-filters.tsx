// The run history's filters as a plain GET form: the filters live in the address, so a filtered
// list can be bookmarked, shared and reloaded.
import type { RunFilter } from "../../lib/runs/history";

export type RunFilterFields = Partial<Record<"scenario" | "broker" | "lesson" | "outcome" | "origin", string>>;

const brokers = ["rabbitmq", "kafka", "aws", "redis", "pubsub"] satisfies NonNullable<RunFilter["broker"]>[];
const outcomes: { value: NonNullable<RunFilter["outcome"]>; label: string }[] = [
  { value: "lost", label: "lost messages" },
  { value: "duplicates", label: "duplicates" },
  { value: "errors", label: "errors" },
  { value: "clean", label: "clean" },
];

export function RunFilters({ fields }: { fields: RunFilterFields }) {
  return (
    <form className="runs-form" action="/runs" method="get" aria-label="Filter runs" data-testid="runs-filter">
      <label className="runs-form__field">
        Scenario or title
        <input name="scenario" type="search" defaultValue={fields.scenario ?? ""} placeholder="orders" />
      </label>
      <label className="runs-form__field">
        Broker
        <select name="broker" defaultValue={fields.broker ?? ""}>
          <option value="">any</option>
          {brokers.map((b) => <option key={b} value={b}>{b}</option>)}
        </select>
      </label>
      <label className="runs-form__field">
        Lesson
        <input name="lesson" type="search" defaultValue={fields.lesson ?? ""} placeholder="01-first-queue" />
      </label>
      <label className="runs-form__field">
        Outcome
        <select name="outcome" defaultValue={fields.outcome ?? ""}>
          <option value="">any</option>
          {outcomes.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      </label>
      <button type="submit" className="button">Filter</button>
      <a className="button button--small" href="/runs">Clear</a>
    </form>
  );
}

/** The filled-in filters as the API's query (empty fields left out). */
export function filterQuery(fields: RunFilterFields): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) if (value) query.set(key, value);
  return query;
}
