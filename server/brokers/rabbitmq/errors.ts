// amqplib and socket errors as BrokerErrors: a closed set of codes, a retriable flag, and a
// message that says what to do.
import { BrokerError } from "../types";
import { censorUrl, vhostOf } from "./management";

const networkCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT", "EPIPE", "EAI_AGAIN"]);

/** AMQP reply codes (numbers) or Node socket codes (strings) carried by amqplib errors. */
export function amqpCode(error: unknown): number | string | undefined {
  if (error && typeof error === "object" && "code" in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === "number" || typeof code === "string") return code;
  }
  return undefined;
}

export function unavailable(url: string, cause: unknown): BrokerError {
  const refused = refusal(url, cause);
  if (refused) return refused;
  return new BrokerError(
    "BROKER_UNAVAILABLE",
    `RabbitMQ at ${censorUrl(url)} is not reachable (${describe(cause)}); start it with \`npm run stack:up -- rabbitmq\` or set RABBITMQ_URL`,
    true,
    { cause },
  );
}

function describe(error: unknown): string {
  const code = amqpCode(error);
  if (typeof code === "string") return code;
  return error instanceof Error ? error.message : String(error);
}

/** The broker said no to the user (wrong credentials, or no permissions in the vhost): retrying will not help. */
function refusal(url: string, error: unknown): BrokerError | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (/ACCESS[-_]REFUSED|403/.test(message) && /handshake/i.test(message)) {
    return new BrokerError("BROKER_UNAVAILABLE", `RabbitMQ at ${censorUrl(url)} refused the credentials; check the user and password in RABBITMQ_URL`, false, { cause: error });
  }
  // The broker closes the connection in answer to connection.open (530 NOT_ALLOWED) when the user
  // has no permissions in the vhost; amqplib keeps only the frame's name.
  if (/Expected ConnectionOpenOk; got <ConnectionClose/.test(message)) {
    return new BrokerError("BROKER_UNAVAILABLE", `RabbitMQ at ${censorUrl(url)} refused this user access to vhost "${vhostOf(url)}"; the user needs permissions in that vhost`, false, { cause: error });
  }
  return undefined;
}

/** Maps any error from amqplib to a BrokerError; `what` names the operation ("declare queue \"q\""). */
export function toBrokerError(error: unknown, url: string, what: string): BrokerError {
  if (error instanceof BrokerError) return error;
  const code = amqpCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === "string" && networkCodes.has(code)) return unavailable(url, error);
  const refused = refusal(url, error);
  if (refused) return refused;
  switch (code) {
    case 404:
      return new BrokerError("NOT_FOUND", `${what}: ${message.replace(/^.*NOT_FOUND - /, "").replace(/"$/, "")}`, false, { cause: error });
    case 406:
      return new BrokerError("CONFLICT", `${what}: ${message.replace(/^.*PRECONDITION_FAILED - /, "").replace(/"$/, "")}`, false, { cause: error });
    case 403:
      return new BrokerError("INVALID_INPUT", `${what}: access refused (${message})`, false, { cause: error });
    case 320:
    case 541:
      return new BrokerError("BROKER_UNAVAILABLE", `${what}: the broker closed the connection (${message})`, true, { cause: error });
    default:
      if (/Connection closed|Channel closed|channel ended|closed/i.test(message)) {
        return new BrokerError("BROKER_UNAVAILABLE", `${what}: ${message}`, true, { cause: error });
      }
      return new BrokerError("INTERNAL", `${what}: ${message}`, false, { cause: error });
  }
}
