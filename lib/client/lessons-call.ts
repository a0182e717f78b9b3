// Sends one command of the socket contract and resolves with its answer, or an error payload when
// the server refused it or did not answer in time.
import type { ErrorPayload } from "../errors";
import type { AckResponse, ClientToServerEvents } from "../events";
import { getSocket } from "./socket";

type Command = keyof ClientToServerEvents;
type PayloadOf<E extends Command> = Parameters<ClientToServerEvents[E]>[0];
type DataOf<E extends Command> = Parameters<ClientToServerEvents[E]>[1] extends (response: AckResponse<infer T>) => void ? T : never;

export type CallResult<T> = { data: T } | { error: ErrorPayload };

const timeoutError: ErrorPayload = { code: "INTERNAL", message: "The server did not answer in time; check the connection.", retriable: true };

export function call<E extends Command>(event: E, payload: PayloadOf<E>, timeoutMs = 90_000): Promise<CallResult<DataOf<E>>> {
  return new Promise((resolve) => {
    const socket = getSocket().timeout(timeoutMs);
    const emit = socket.emit.bind(socket) as unknown as (event: string, payload: unknown, ack: (timeout: Error | null, response?: AckResponse<DataOf<E>>) => void) => void;
    emit(event, payload, (timeout, response) => resolve(timeout || !response ? { error: timeoutError } : response));
  });
}
