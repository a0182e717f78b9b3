// Every HTTP request passes here: the Host/Origin check, /healthz, then who asks (the classroom check: a
// learner's session or the teacher's token; outside classroom mode the token check), then the API
// (/api/*, /metrics), then Next.js renders the page.
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { errorPayload } from "../../lib/errors";
import type { StackStatus } from "../../lib/stack";
import type { Classroom } from "../classroom/classroom";
import { gateRequest } from "../classroom/http-gate";
import { isApiPath } from "./api";
import type { ApiHandler } from "./api";
import { isSecureRequest } from "./auth";
import type { TokenAuth } from "./auth";
import { healthzBody, sendJson } from "./healthz";
import { sendError } from "./respond";
import type { OriginGuard } from "./origin-guard";

export type NextRequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export interface RequestHandlerOptions {
  auth: TokenAuth;
  /** Classroom mode's check of who asks; absent, every request is judged by the token alone. */
  classroom?: Classroom;
  /** Refuses other sites' pages and foreign Host names, in every mode (token or not). */
  guard: OriginGuard;
  handleNext: NextRequestHandler;
  /** The JSON API and /metrics; answers true when it took the request. */
  handleApi?: ApiHandler;
  stackStatus: () => StackStatus | undefined;
  log?: (message: string, error?: unknown) => void;
}

const unauthorizedPage = `<!doctype html><meta charset="utf-8"><title>Brokerlab: token required</title>
<body style="font-family:system-ui;max-width:36rem;margin:4rem auto;line-height:1.5">
<h1>This Brokerlab needs a token</h1>
<p>Open it as <code>/?token=&lt;BROKERLAB_TOKEN&gt;</code>, or send <code>Authorization: Bearer &lt;token&gt;</code>.</p>`;

export function createRequestHandler(options: RequestHandlerOptions): RequestListener {
  const { auth, handleNext, stackStatus } = options;
  const log = options.log ?? ((message, error) => console.error(`[http] ${message}`, error ?? ""));
  const startedAt = Date.now();

  return (request, response) => {
    const url = new URL(request.url ?? "/", "http://brokerlab.invalid");
    const refusal = options.guard.refusal(request.headers.host, request.headers.origin);
    if (refusal) {
      sendJson(response, 403, { error: errorPayload("FORBIDDEN", refusal) });
      return;
    }
    if (url.pathname === "/healthz") {
      if (request.method !== "GET" && request.method !== "HEAD") {
        sendJson(response, 405, { error: errorPayload("INVALID_INPUT", "Use GET /healthz.") });
        return;
      }
      sendJson(response, 200, healthzBody(stackStatus(), (Date.now() - startedAt) / 1000));
      return;
    }

    const api = isApiPath(url.pathname);
    const verdict = options.classroom ? gateRequest(options.classroom, request, url, api) : undefined;
    if (verdict?.kind === "refuse") {
      if (verdict.code === "UNAUTHORIZED") response.setHeader("www-authenticate", "Bearer");
      if (verdict.retryAfterSeconds !== undefined) {
        response.setHeader("retry-after", String(verdict.retryAfterSeconds));
        sendJson(response, 429, { error: { ...errorPayload(verdict.code, verdict.message), retryAfterSeconds: verdict.retryAfterSeconds } });
        return;
      }
      sendError(response, verdict.code, verdict.message);
      return;
    }
    if (verdict?.kind === "redirect") {
      response.writeHead(303, { location: verdict.location, "cache-control": "no-store" });
      response.end();
      return;
    }
    // A learner and a visitor of the join page pass on their session (or none), not on the token.
    const byToken = verdict === undefined || verdict.identity?.role === "teacher";
    if (auth.required && byToken) {
      const { token, fromQuery } = auth.fromRequest(request.headers, url);
      if (!auth.accepts(token)) {
        if (api) {
          response.setHeader("www-authenticate", "Bearer");
          sendJson(response, 401, { error: errorPayload("UNAUTHORIZED", "This Brokerlab needs a token: send Authorization: Bearer <BROKERLAB_TOKEN>.") });
          return;
        }
        response.writeHead(401, { "content-type": "text/html; charset=utf-8", "www-authenticate": "Bearer" });
        response.end(unauthorizedPage);
        return;
      }
      // An API client (a script, Prometheus) gets its answer rather than a redirect that sets a cookie.
      if (fromQuery && token && !api) {
        // Remember the token in a cookie and take it out of the address bar and the history.
        url.searchParams.delete("token");
        response.writeHead(303, { "set-cookie": auth.cookieFor(token, isSecureRequest(request)), location: `${url.pathname}${url.search}` });
        response.end();
        return;
      }
    }

    if (api && options.handleApi?.(request, response, url)) return;

    handleNext(request, response).catch((error: unknown) => {
      log(`Next.js failed on ${request.method} ${url.pathname}`, error);
      if (!response.headersSent) sendJson(response, 500, { error: errorPayload("INTERNAL", "The page could not be rendered.") });
      else response.end();
    });
  };
}
