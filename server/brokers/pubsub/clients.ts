// The Pub/Sub client of one emulator (or endpoint) and project, with the library's own
// OpenTelemetry tracing on (its publish and subscribe spans carry the trace in the
// googclient_traceparent attribute), shared by the admin, the sender and the subscriber.
import { PubSub, v1 } from "@google-cloud/pubsub";
import { BrokerError } from "../types";

export interface PubsubTarget {
  emulatorHost: string;
  project: string;
}

export function createPubsubClient(target: PubsubTarget): PubSub {
  // No Google metadata server to ask for a project or credentials: without this the auth library
  // looks for one and prints a warning in every process.
  process.env.METADATA_SERVER_DETECTION ??= "none";
  // An apiEndpoint that is not *.googleapis.com puts the client in emulator mode: plain gRPC, no credentials.
  return new PubSub({ projectId: target.project, apiEndpoint: target.emulatorHost, enableOpenTelemetryTracing: true });
}

/** The low-level subscriber API (Pull, Acknowledge, ModifyAckDeadline) on the client's own settings. */
export async function createPullClient(pubsub: PubSub): Promise<v1.SubscriberClient> {
  return new v1.SubscriberClient((await pubsub.getClientConfig()) as ConstructorParameters<typeof v1.SubscriberClient>[0]);
}

export const topicPath = (target: PubsubTarget, topic: string) => `projects/${target.project}/topics/${topic}`;
export const subscriptionPath = (target: PubsubTarget, subscription: string) => `projects/${target.project}/subscriptions/${subscription}`;

/** gRPC status codes of the library's errors (google-gax's Status). */
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const INVALID_ARGUMENT = 3;
const FAILED_PRECONDITION = 9;

export const isNotFound = (error: unknown) => (error as { code?: number }).code === NOT_FOUND;
export const isAlreadyExists = (error: unknown) => (error as { code?: number }).code === ALREADY_EXISTS;

/** A library error as a BrokerError: a bad request is not retried; an unreachable or busy emulator is. */
export function toPubsubError(error: unknown, action: string): BrokerError {
  if (error instanceof BrokerError) return error;
  const e = error as { code?: number; details?: string; message?: string };
  // The library's retry errors append every earlier attempt's error ("Previous errors: …"): the first says it.
  const text = (e.details || e.message || String(error)).split(" : Previous errors")[0]!.slice(0, 300);
  const message = `${action}: ${text}`;
  if (e.code === NOT_FOUND) return new BrokerError("NOT_FOUND", message, false, { cause: error });
  const bad = e.code === INVALID_ARGUMENT || e.code === FAILED_PRECONDITION || e.code === ALREADY_EXISTS;
  return new BrokerError(bad ? "INVALID_INPUT" : "BROKER_UNAVAILABLE", message, !bad, { cause: error });
}
