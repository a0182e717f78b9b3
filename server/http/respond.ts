// How the HTTP API answers: JSON bodies, error payloads with the status their code implies,
// and request bodies read with a size limit.
import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError, errorPayload, internalErrorMessage } from "../../lib/errors";
import type { ErrorCode } from "../../lib/errors";
import { sendJson } from "./healthz";

export const statusForCode: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LIMIT_REACHED: 429,
  RATE_LIMITED: 429,
  BROKER_UNAVAILABLE: 503,
  TRACING_UNAVAILABLE: 503,
  INTERNAL: 500,
};

export function sendError(response: ServerResponse, code: ErrorCode, message: string, statusCode = statusForCode[code]): void {
  sendJson(response, statusCode, { error: errorPayload(code, message) });
}

/** An AppError as it is; anything else is logged and answered as a generic INTERNAL. */
export function sendFailure(response: ServerResponse, error: unknown, log: (message: string, error?: unknown) => void, what: string): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  if (error instanceof AppError) {
    const status = error instanceof BodyTooLargeError ? 413 : statusForCode[error.code];
    sendJson(response, status, { error: errorPayload(error.code, error.message, error.problems) });
    return;
  }
  log(`${what} failed`, error);
  sendError(response, "INTERNAL", internalErrorMessage);
}

export class BodyTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super("INVALID_INPUT", `The request body is larger than ${Math.round(limitBytes / 1024)} KiB.`);
  }
}

/** The request body as UTF-8 text; rejects with BodyTooLargeError past `limitBytes` without reading the rest. */
export function readBody(request: IncomingMessage, limitBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limitBytes) {
      reject(new BodyTooLargeError(limitBytes));
      request.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        reject(new BodyTooLargeError(limitBytes));
        request.removeAllListeners("data");
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}
