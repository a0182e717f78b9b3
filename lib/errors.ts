// The closed set of error codes Brokerlab answers with, each saying whether trying again can help.
// Errors travel as values ({ code, message }); an unknown error reaches the browser as INTERNAL.

export const errorCodes = {
  INVALID_INPUT: { retriable: false },
  UNAUTHORIZED: { retriable: false },
  NOT_FOUND: { retriable: false },
  CONFLICT: { retriable: false },
  BROKER_UNAVAILABLE: { retriable: true },
  INTERNAL: { retriable: true },
} as const satisfies Record<string, { retriable: boolean }>;

export type ErrorCode = keyof typeof errorCodes;

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
}

export class AppError extends Error {
  readonly retriable: boolean;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AppError";
    this.retriable = errorCodes[code].retriable;
  }
}

export function isRetriable(code: ErrorCode): boolean {
  return errorCodes[code].retriable;
}

export const internalErrorMessage = "Something went wrong on the server; it has been logged.";

/** The payload the browser may see: an AppError as it is, anything else as a generic INTERNAL. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  return { code: "INTERNAL", message: internalErrorMessage };
}
