// HTTP for the pattern parts, on node:http with the trace context carried by hand: the official
// HTTP instrumentation is not installed, so a CLIENT span injects W3C `traceparent` into the
// request headers and a SERVER span extracts it (the same propagator the broker instrumentations use).
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from "@opentelemetry/api";
import type { Context, Span } from "@opentelemetry/api";
import { createServer, request } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportedTraceId } from "../trace-limit";

const tracer = trace.getTracer("brokerlab-http");

/** Starts `handler` on 127.0.0.1 at a free port; resolves with the server and its base URL. */
export async function listenLocal(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer(handler);
  server.keepAliveTimeout = 2_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return { server, baseUrl: `http://127.0.0.1:${port}` };
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** The raw request body, at most `limit` bytes (undefined when larger). */
export function readBody(req: IncomingMessage, limit = 1_048_576): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A SERVER span for a request, continuing the caller's trace from its headers. */
export function startServerSpan(req: IncomingMessage, route: string, attributes: Record<string, string | number | boolean> = {}): { span: Span; ctx: Context } {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const method = req.method ?? "GET";
  const span = tracer.startSpan(`${method} ${route}`, {
    kind: SpanKind.SERVER,
    attributes: {
      "http.request.method": method,
      "http.route": route,
      "url.path": (req.url ?? "/").split("?")[0]!,
      "url.scheme": "http",
      "server.address": "127.0.0.1",
      ...(req.socket.localPort ? { "server.port": req.socket.localPort } : {}),
      ...attributes,
    },
  }, parent);
  return { span, ctx: trace.setSpan(parent, span) };
}

/** Ends a SERVER span with the status it answered (5xx is an error on the server's side). */
export function endServerSpan(span: Span, status: number, message?: string): void {
  span.setAttribute("http.response.status_code", status);
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, ...(message ? { message } : {}) });
  span.end();
}

export type PostResult = { status: number; body: string; traceId?: string } | { status: 0; error: string; traceId?: string };

/**
 * POSTs JSON in a CLIENT span (a child of the active context) and resolves with the answer;
 * never rejects. `extraHeaders` are sent as they are (a signature is computed over `body`).
 */
export function postJson(url: string, body: string, options: { timeoutMs: number; headers?: Record<string, string>; attributes?: Record<string, string | number | boolean> }): Promise<PostResult> {
  const target = new URL(url);
  const span = tracer.startSpan("POST", {
    kind: SpanKind.CLIENT,
    attributes: {
      "http.request.method": "POST",
      "url.full": target.toString(),
      "server.address": target.hostname,
      "server.port": Number(target.port || 80),
      ...options.attributes,
    },
  });
  const traceId = exportedTraceId(span);
  const headers: Record<string, string> = { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...options.headers };
  propagation.inject(trace.setSpan(context.active(), span), headers);
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const done = (result: PostResult) => {
      if (settled) return;
      settled = true;
      if ("error" in result) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: result.error });
        span.setAttribute("error.type", result.error.split(":")[0]!);
      } else {
        span.setAttribute("http.response.status_code", result.status);
        if (result.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${result.status}` });
      }
      span.end();
      resolve(result);
    };
    const req = request(target, { method: "POST", headers, timeout: options.timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), traceId }));
      res.on("error", (error) => done({ status: 0, error: error.message, traceId }));
    });
    req.on("timeout", () => {
      req.destroy(new Error(`timeout: no answer within ${options.timeoutMs} ms`));
    });
    req.on("error", (error) => done({ status: 0, error: error.message, traceId }));
    req.end(body);
  });
}

/** Callback URLs may only point at this machine: the API never becomes a way to reach other hosts. */
export function isLoopbackUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  } catch {
    return false;
  }
}
