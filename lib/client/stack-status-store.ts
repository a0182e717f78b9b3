// The browser's store for the stack's health and the socket's own state: fed by `stack:status`
// broadcasts and `stack:refresh` answers; read by components through useStackStatus().
import type { ErrorPayload } from "../errors";
import type { AckResponse } from "../events";
import type { StackStatus } from "../stack";
import type { BrokerlabSocket } from "./socket";

export type ConnectionState = "connecting" | "live" | "reconnecting" | "unauthorized";

export interface StackView {
  connection: ConnectionState;
  status?: StackStatus;
  refreshing: boolean;
  refreshError?: ErrorPayload;
}

export interface StackStatusStore {
  subscribe(listener: () => void): () => void;
  getSnapshot(): StackView;
  getServerSnapshot(): StackView;
  refresh(): void;
}

const initialView: StackView = { connection: "connecting", refreshing: false };
const refreshTimeoutMs = 8000;

export function createStackStatusStore(getSocket: () => BrokerlabSocket): StackStatusStore {
  let view = initialView;
  let socket: BrokerlabSocket | undefined;
  const listeners = new Set<() => void>();

  function update(change: Partial<StackView>): void {
    view = { ...view, ...change };
    for (const listener of listeners) listener();
  }

  // The socket is opened on the first subscription, which only happens in the browser.
  function connect(): BrokerlabSocket {
    if (socket) return socket;
    socket = getSocket();
    socket.on("connect", () => update({ connection: "live" }));
    socket.on("stack:status", (status) => update({ status }));
    socket.on("disconnect", (reason) => {
      update({ connection: "reconnecting" });
      // The server said goodbye on purpose (e.g. a restart): socket.io will not retry by itself.
      if (reason === "io server disconnect") socket?.connect();
    });
    socket.on("connect_error", (error) => {
      const code = (error as Error & { data?: { code?: string } }).data?.code;
      update({ connection: code === "UNAUTHORIZED" ? "unauthorized" : view.connection === "live" ? "reconnecting" : view.connection });
    });
    if (socket.connected) update({ connection: "live" });
    return socket;
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      connect();
      return () => listeners.delete(listener);
    },
    getSnapshot: () => view,
    getServerSnapshot: () => initialView,
    refresh() {
      if (view.refreshing) return;
      update({ refreshing: true, refreshError: undefined });
      connect()
        .timeout(refreshTimeoutMs)
        .emit("stack:refresh", {}, (timeout: Error | null, response?: AckResponse<StackStatus>) => {
          if (timeout || !response) return update({ refreshing: false, refreshError: { code: "INTERNAL", message: "The server did not answer in time.", retriable: true } });
          if ("error" in response) return update({ refreshing: false, refreshError: response.error });
          update({ refreshing: false, status: response.data });
        });
    },
  };
}
