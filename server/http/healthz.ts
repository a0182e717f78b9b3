// GET /healthz: is the control plane serving, and what it last saw of the stack.
// Public even with a token, so load balancers and the test runner can probe it; it carries no secrets.
import type { ServerResponse } from "node:http";
import { serviceIds } from "../../lib/stack";
import type { StackStatus } from "../../lib/stack";

export interface HealthzBody {
  status: "ok";
  uptimeSeconds: number;
  stack: Record<string, "up" | "down" | "checking">;
}

export function healthzBody(stack: StackStatus | undefined, uptimeSeconds: number): HealthzBody {
  return {
    status: "ok",
    uptimeSeconds: Math.round(uptimeSeconds),
    stack: Object.fromEntries(
      serviceIds.map((id) => [id, stack === undefined ? "checking" : stack.services[id].up ? "up" : "down"]),
    ),
  };
}

export function sendJson(response: ServerResponse, statusCode: number, body: unknown): void {
  response.writeHead(statusCode, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  response.end(JSON.stringify(body));
}
