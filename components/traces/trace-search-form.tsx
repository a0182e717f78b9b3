// The explorer's search form: a plain GET form to /traces, so every search is a URL a learner can
// share or come back to (/traces?run=…&destination=…); the fields mirror the server's zod schema.
import { lookbacks } from "../../lib/trace/trace-search";

export type SearchFields = Partial<Record<"run" | "service" | "operation" | "destination" | "messageId" | "minDurationMs" | "errorOnly" | "lookback" | "limit", string>>;

const textFields = [
  { name: "run", label: "Run id", placeholder: "every run" },
  { name: "service", label: "Service", placeholder: "every service" },
  { name: "operation", label: "Operation (span name)", placeholder: "e.g. send orders" },
  { name: "destination", label: "Destination", placeholder: "queue, exchange:key or topic" },
  { name: "messageId", label: "Message id", placeholder: "messaging.message.id" },
  { name: "minDurationMs", label: "Min. duration (ms)", placeholder: "0" },
] as const;

export function TraceSearchForm({ fields }: { fields: SearchFields }) {
  return (
    <form className="traces-form" method="get" action="/traces" role="search" aria-label="Search traces" data-testid="trace-search">
      {textFields.map((field) => (
        <label key={field.name} className="traces-form__field">
          <span>{field.label}</span>
          <input name={field.name} defaultValue={fields[field.name] ?? ""} placeholder={field.placeholder} inputMode={field.name === "minDurationMs" ? "decimal" : undefined} data-testid={`search-${field.name}`} />
        </label>
      ))}
      <label className="traces-form__field">
        <span>Within the last</span>
        <select name="lookback" defaultValue={fields.lookback ?? "1h"}>
          {lookbacks.map((l) => <option key={l} value={l}>{l}</option>)}
        </select>
      </label>
      <label className="traces-form__check">
        <input type="checkbox" name="errorOnly" value="true" defaultChecked={fields.errorOnly === "true"} data-testid="search-errorOnly" />
        <span>Errors only</span>
      </label>
      <button type="submit" className="button button--primary" data-testid="search-submit">Search</button>
    </form>
  );
}
