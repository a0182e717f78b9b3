// AWS SDK and socket errors as BrokerErrors: a closed set of codes, a retriable flag, and a message
// that names the operation and says what to do.
import { BrokerError } from "../types";

const networkCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT", "EPIPE", "EAI_AGAIN"]);
const notFoundNames = new Set(["QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "NotFound", "NotFoundException", "ResourceNotFoundException"]);
const authNames = new Set(["InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "AccessDenied", "AccessDeniedException", "ExpiredToken", "CredentialsProviderError"]);

/** The error's AWS name ("QueueDoesNotExist") or its socket code ("ECONNREFUSED"). */
function errorCode(error: unknown): string {
  if (!error || typeof error !== "object") return "";
  const { name, code, cause } = error as { name?: unknown; code?: unknown; cause?: unknown };
  if (typeof code === "string" && networkCodes.has(code)) return code;
  // Node's fetch and the SDK's HTTP handler wrap the socket error.
  const inner = cause && typeof cause === "object" ? (cause as { code?: unknown }).code : undefined;
  if (typeof inner === "string" && networkCodes.has(inner)) return inner;
  return typeof name === "string" ? name : "";
}

export const isNotFound = (error: unknown): boolean => notFoundNames.has(errorCode(error));

/** Maps any error of an SQS, SNS or EventBridge call to a BrokerError; `what` names the call ("create queue \"orders\""). */
export function toBrokerError(error: unknown, endpoint: string, what: string): BrokerError {
  if (error instanceof BrokerError) return error;
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (networkCodes.has(code)) {
    return new BrokerError("BROKER_UNAVAILABLE", `Cannot ${what}: the AWS endpoint ${endpoint} is not reachable (${code}); start moto with \`npm run stack:up -- moto\` or set AWS_ENDPOINT_URL`, true, { cause: error });
  }
  if (authNames.has(code)) {
    return new BrokerError("BROKER_UNAVAILABLE", `Cannot ${what}: ${endpoint} refused the credentials (${code}); set AWS credentials the usual way (AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)`, false, { cause: error });
  }
  if (notFoundNames.has(code)) return new BrokerError("NOT_FOUND", `Cannot ${what}: it does not exist (${message})`, false, { cause: error });
  if (/^(InvalidParameter|InvalidAttribute|InvalidEventPattern|ValidationException|QueueAlreadyExists|InvalidParameterValue)/.test(code)) {
    return new BrokerError("INVALID_INPUT", `Cannot ${what}: ${code}: ${message}`, false, { cause: error });
  }
  const throttled = /Throttl|ServiceUnavailable|InternalError|InternalFailure|RequestTimeout/.test(code);
  return new BrokerError(throttled ? "BROKER_UNAVAILABLE" : "INTERNAL", `Cannot ${what}: ${code || "error"}: ${message}`, throttled, { cause: error });
}

/** Runs one SDK call, its errors mapped; `what` names it for the message. */
export async function awsCall<T>(endpoint: string, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toBrokerError(error, endpoint, what);
  }
}
