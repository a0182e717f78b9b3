// The closed set of error codes Brokerlab answers with, each saying whether trying again can help.
// Errors travel as values ({ code, message, retriable }); an unknown error reaches the browser as INTERNAL.
import { maskUrlSecrets } from "./secrets";

export const errorCodes = {
  INVALID_INPUT: { retriable: false },
  UNAUTHORIZED: { retriable: false },
  /** A request from another site (its Origin) or for another name (its Host): see docs/reliability.md#security. */
  FORBIDDEN: { retriable: false },
  NOT_FOUND: { retriable: false },
  CONFLICT: { retriable: false },
  /** A cap on concurrent runs or service processes (server configuration); retry once a run ends. */
  LIMIT_REACHED: { retriable: true },
  /** Too many commands or requests in a short time from one learner or connection; retry after `retryAfterSeconds`. */
  RATE_LIMITED: { retriable: true },
  BROKER_UNAVAILABLE: { retriable: true },
  /** Jaeger (the tracing backend) does not answer; messaging may still work. */
  TRACING_UNAVAILABLE: { retriable: true },
  INTERNAL: { retriable: true },
} as const satisfies Record<string, { retriable: boolean }>;

export type ErrorCode = keyof typeof errorCodes;

/** One bad field of an input, named by its path ("services.0.consumers.1.prefetch"). */
export interface InputProblem {
  path: string;
  message: string;
}

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  retriable: boolean;
  problems?: InputProblem[];
  /** RATE_LIMITED: the seconds to wait before the next command or request is accepted. */
  retryAfterSeconds?: number;
}

export class AppError extends Error {
  readonly retriable: boolean;
  readonly problems?: InputProblem[];

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; problems?: InputProblem[] },
  ) {
    super(message, options);
    this.name = "AppError";
    this.retriable = errorCodes[code].retriable;
    if (options?.problems) this.problems = options.problems;
  }
}

export function isRetriable(code: ErrorCode): boolean {
  return errorCodes[code].retriable;
}

export const internalErrorMessage = "Something went wrong on the server; it has been logged.";

/** The one constructor of what a client sees of an error: URL passwords in it are masked. */
export function errorPayload(code: ErrorCode, message: string, problems?: InputProblem[]): ErrorPayload {
  const shown = maskUrlSecrets(message);
  const masked = problems?.map((problem) => ({ ...problem, message: maskUrlSecrets(problem.message) }));
  return masked ? { code, message: shown, retriable: isRetriable(code), problems: masked } : { code, message: shown, retriable: isRetriable(code) };
}

/** The payload the browser may see: an AppError as it is, anything else as a generic INTERNAL. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof AppError) return errorPayload(error.code, error.message, error.problems);
  return errorPayload("INTERNAL", internalErrorMessage);
}
