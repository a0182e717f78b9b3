// What the home page tells a learner about each service: the command that brings it back, a hint
// when the endpoint comes from the environment rather than the local stack, and links to its tools.
import type { Config } from "../config";
import { serviceNames, type ServiceFix, type ServiceId, type ServiceLink } from "../../lib/stack";
import { driverOfService } from "../brokers/registry";
import { isLocalUrl } from "./local-endpoints";

export type AdviceConfig = Pick<
  Config,
  "RABBITMQ_URL" | "RABBITMQ_MANAGEMENT_URL" | "KAFKA_BROKERS" | "JAEGER_QUERY_URL" | "JAEGER_UI_URL" | "OTEL_EXPORTER_OTLP_ENDPOINT" | "AWS_ENDPOINT_URL" | "REDIS_URL"
>;

/** How the Jaeger UI answered: the real single-page app, the placeholder of a build without it, or nothing. */
export type JaegerUiCheck = { kind: "ui" } | { kind: "placeholder" } | { kind: "unreachable"; detail: string };

export const jaegerUiMissingNote = "The Jaeger UI is not installed in this build; Brokerlab draws traces itself.";

const errnoWords: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ETIMEDOUT: "timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
};

/** Puts plain words before the system error codes a probe reports: "connection refused (ECONNREFUSED)". */
export function explainReason(detail: string): string {
  return detail.replace(/\b(E[A-Z_]+)\b(?!\))/g, (code: string) => (errnoWords[code] ? `${errnoWords[code]} (${code})` : code));
}

/** Drops user and password, so a URL can be shown or logged. Leaves non-URLs (host:port) alone. */
export function withoutCredentials(value: string): string {
  try {
    const url = new URL(value);
    if (!url.username && !url.password) return value;
    url.username = "";
    url.password = "";
    return url.toString().replace(/\/$/, value.endsWith("/") ? "/" : "");
  } catch {
    return value;
  }
}

/** The endpoints that point away from the local stack, as "NAME=value" (without credentials). */
export function customEndpoints(id: ServiceId, config: AdviceConfig): string[] {
  const away = id === "jaeger" ? jaegerCustomEndpoints(config) : (driverOfService(id)?.customEndpoints(config) ?? []);
  return away.map(({ name, value }) => `${name}=${withoutCredentials(value)}`);
}

function jaegerCustomEndpoints(config: AdviceConfig): { name: string; value: string }[] {
  return [
    ...(isLocalUrl(config.JAEGER_QUERY_URL, "16686") ? [] : [{ name: "JAEGER_QUERY_URL", value: config.JAEGER_QUERY_URL }]),
    ...(isLocalUrl(config.OTEL_EXPORTER_OTLP_ENDPOINT, "4318") ? [] : [{ name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: config.OTEL_EXPORTER_OTLP_ENDPOINT }]),
  ];
}

export function fixFor(id: ServiceId, config: AdviceConfig): ServiceFix {
  const command = `npm run stack:up -- ${id}`;
  const custom = customEndpoints(id, config);
  if (custom.length === 0) return { command };
  const names = custom.map((entry) => entry.slice(0, entry.indexOf("=")));
  return {
    command,
    hint:
      `Brokerlab is configured for an endpoint outside the local stack (${custom.join(", ")}): ` +
      `check that it is reachable, or unset ${names.join(" and ")} to use the local stack started by this command.`,
  };
}

export function linksFor(id: ServiceId, config: AdviceConfig, state: { up: boolean; jaegerUi?: JaegerUiCheck }): ServiceLink[] {
  if (id === "jaeger") {
    const link = { label: "Jaeger UI", url: withoutCredentials(config.JAEGER_UI_URL) };
    if (!state.up) return [{ ...link, available: false, note: "Opens once Jaeger is up." }];
    switch (state.jaegerUi?.kind) {
      case "ui":
        return [{ ...link, available: true }];
      case "placeholder":
        return [{ ...link, available: false, note: jaegerUiMissingNote }];
      case "unreachable":
        return [{ ...link, available: false, note: `The Jaeger UI does not answer (${state.jaegerUi.detail}); Brokerlab draws traces itself.` }];
      default:
        return [{ ...link, available: false, note: "Checking whether the Jaeger UI is installed…" }];
    }
  }
  // A broker's own tools (RabbitMQ's management UI), as its driver names them.
  return (driverOfService(id)?.toolLinks?.(config) ?? []).map((tool) => {
    const link = { label: tool.label, url: withoutCredentials(tool.url) };
    return state.up ? { ...link, available: true } : { ...link, available: false, note: `Opens once ${serviceNames[id]} is up.` };
  });
}
