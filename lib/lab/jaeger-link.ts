// The Jaeger search for one run: every span carries the run id as the brokerlab.run.id tag
// (the same search the engine puts in a run's report).
import { isRecord } from "./model";

export function jaegerSearchUrl(jaegerUiUrl: string, service: string, runId: string): string {
  const params = new URLSearchParams({ service, tags: JSON.stringify({ "brokerlab.run.id": runId }), limit: "100", lookback: "1h" });
  return `${jaegerUiUrl.replace(/\/$/, "")}/search?${params.toString()}`;
}

/** The service a run search starts from: the first that produces (Jaeger searches need one). */
export function searchService(raw: unknown): string | undefined {
  const services = isRecord(raw) && Array.isArray(raw.services) ? raw.services.filter(isRecord) : [];
  const producing = services.find((s) => Array.isArray(s.producers) && s.producers.length > 0) ?? services[0];
  return typeof producing?.name === "string" ? producing.name : undefined;
}
