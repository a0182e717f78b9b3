// The HTTP API beside the pages: example scenarios, traces from Jaeger for the embedded timeline,
// scenario validation, and Prometheus metrics. Each route parses its input and answers
// { data } or { error: { code, message, retriable } }.
import { readFile, readdir } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { z } from "zod";
import { AppError } from "../../lib/errors";
import { parseScenarioText } from "../../lib/scenario/validate";
import type { JaegerQueryClient } from "../jaeger/query-client";
import { sendJson } from "./healthz";
import type { Metrics } from "./metrics";
import { readBody, sendError, sendFailure } from "./respond";
import { searchTraces } from "./trace-search-api";

export interface ApiOptions {
  /** Absent when tracing is not configured: /api/traces answers TRACING_UNAVAILABLE. */
  jaeger?: JaegerQueryClient;
  examplesDir: string;
  metrics: Metrics;
  log: (message: string, error?: unknown) => void;
  /** More API handlers (e.g. the lessons API), tried before an unknown /api path answers 404. */
  more?: ApiHandler[];
}

/** Handles the request when its path belongs to the API; false lets the caller pass it on. */
export type ApiHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => boolean;

export const traceIdSchema = z.string().regex(/^[0-9a-f]{1,32}$/i, "is not a trace id (up to 32 hexadecimal digits)");
/** Scenarios are small; the socket's run:start takes at most the same. */
export const validateBodyLimitBytes = 1_000_000;

export interface ExampleSummary {
  id: string;
  name: string;
  description: string;
  text: string;
}

/** A path segment decoded; a malformed escape (%E0%A4%A) is a bad input, not a server error. */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new AppError("INVALID_INPUT", `"${segment.slice(0, 80)}" is not a valid URL path segment (a malformed %-escape); send a trace id of up to 32 hexadecimal digits.`);
  }
}

export const isApiPath = (pathname: string) => pathname === "/metrics" || pathname === "/api" || pathname.startsWith("/api/");

async function listExamples(dir: string): Promise<ExampleSummary[]> {
  const files = (await readdir(dir)).filter((file) => /\.ya?ml$/.test(file)).sort();
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(path.join(dir, file), "utf8");
      const id = file.replace(/\.ya?ml$/, "");
      const parsed = parseScenarioText(text);
      return parsed.ok ? { id, name: parsed.scenario.name, description: parsed.scenario.description?.trim() ?? "", text } : { id, name: id, description: "", text };
    }),
  );
}

export function createApiHandler(options: ApiOptions): ApiHandler {
  const { jaeger, examplesDir, metrics, log } = options;

  type Route = { method: "GET" | "POST"; pattern: RegExp; run: (request: IncomingMessage, response: ServerResponse, match: RegExpExecArray) => Promise<void> };
  const routes: Route[] = [
    {
      method: "GET",
      pattern: /^\/api\/examples\/?$/,
      run: async (_request, response) => sendJson(response, 200, { data: await listExamples(examplesDir) }),
    },
    {
      method: "GET",
      pattern: /^\/api\/traces\/?$/,
      run: async (request, response) => sendJson(response, 200, { data: await searchTraces(jaeger, new URL(request.url ?? "/", "http://localhost").searchParams) }),
    },
    {
      method: "GET",
      pattern: /^\/api\/traces\/([^/]+)\/?$/,
      run: async (_request, response, match) => {
        const id = traceIdSchema.safeParse(decodedSegment(match[1]!));
        if (!id.success) throw new AppError("INVALID_INPUT", `"${match[1]}" ${id.error.issues[0]?.message ?? "is not a trace id"}.`);
        if (!jaeger) throw new AppError("TRACING_UNAVAILABLE", "Tracing is not configured on this server (JAEGER_QUERY_URL).");
        const trace = await jaeger.trace(id.data.toLowerCase());
        if (!trace) {
          throw new AppError("NOT_FOUND", `Jaeger has no trace ${id.data} (yet): spans reach it a few seconds after the message, and traces older than Jaeger's retention are gone.`);
        }
        sendJson(response, 200, { data: trace });
      },
    },
    {
      method: "POST",
      pattern: /^\/api\/scenarios\/validate\/?$/,
      run: async (request, response) => {
        const text = await readBody(request, validateBodyLimitBytes);
        if (text.trim() === "") throw new AppError("INVALID_INPUT", "Send the scenario as YAML or JSON text in the request body.");
        const result = parseScenarioText(text);
        sendJson(response, 200, { data: result.ok ? { ok: true, problems: [] } : { ok: false, problems: result.problems } });
      },
    },
    {
      method: "GET",
      pattern: /^\/metrics\/?$/,
      run: async (_request, response) => {
        const body = await metrics.render();
        response.writeHead(200, { "content-type": metrics.contentType, "cache-control": "no-store" });
        response.end(body);
      },
    },
  ];

  return (request, response, url) => {
    if (!isApiPath(url.pathname)) return false;
    if (options.more?.some((handle) => handle(request, response, url))) return true;
    const matching = routes.map((route) => ({ route, match: route.pattern.exec(url.pathname) })).filter((entry) => entry.match);
    if (matching.length === 0) {
      sendError(response, "NOT_FOUND", `There is no ${url.pathname} in Brokerlab's API.`);
      return true;
    }
    const method = request.method === "HEAD" ? "GET" : request.method;
    const chosen = matching.find((entry) => entry.route.method === method);
    if (!chosen) {
      response.setHeader("allow", matching.map((entry) => entry.route.method).join(", "));
      sendError(response, "INVALID_INPUT", `Use ${matching.map((entry) => entry.route.method).join(" or ")} ${url.pathname}.`, 405);
      return true;
    }
    chosen.route.run(request, response, chosen.match!).catch((error: unknown) => sendFailure(response, error, log, `${request.method} ${url.pathname}`));
    return true;
  };
}
