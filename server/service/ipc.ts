// The service side of the IPC channel: typed sends that never throw (the engine may be gone),
// and the engine's commands. When the engine goes away, see orphan-guard.ts.
import type { EngineToService, ServiceToEngine } from "../../lib/run/ipc";
import { diagnostic } from "./orphan-guard";

export interface ServiceIpc {
  /** Resolves once the message is handed to the channel (or at once when there is no engine). */
  send(message: ServiceToEngine): Promise<void>;
  onCommand(listener: (command: EngineToService) => void): void;
}

export function createServiceIpc(): ServiceIpc {
  return {
    send(message) {
      if (!process.send || !process.connected) return Promise.resolve();
      return new Promise((resolve) => {
        try {
          process.send!(message, undefined, {}, () => resolve());
        } catch {
          resolve();
        }
      });
    },
    onCommand(listener) {
      process.on("message", (message: EngineToService) => {
        try {
          listener(message);
        } catch (error) {
          diagnostic(`command ${JSON.stringify(message).slice(0, 200)} failed: ${String(error)}`);
        }
      });
    },
  };
}
