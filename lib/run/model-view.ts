// Re-exports the run model for the socket contract, plus the flight-recorder view of one message.
import type { MessageEvent } from "./ipc";
export type { RunFrame, RunReport, RunStatus } from "./model";

export interface LoggedMessageView {
  id: string;
  traceId?: string;
  firstAt: number;
  events: MessageEvent[];
}
