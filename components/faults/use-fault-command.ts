"use client";
// Sends run:fault over the socket and keeps what the user needs to see: which command is under way
// and what the server answered (affected count, or the error's message).
import { useCallback, useState } from "react";
import type { AckResponse } from "../../lib/events";
import type { RunFaultPayload } from "../../lib/run/events";
import type { FaultSpecInput } from "../../lib/scenario/faults";

export type FaultRequestInput = FaultSpecInput | { action: "end"; faultId: string };

/** The part of the socket this needs (the real one is getSocket() from lib/client/socket.ts). */
export interface FaultSocket {
  emit(event: "run:fault", payload: RunFaultPayload, ack: (response: AckResponse<{ affected: number; faultId?: string }>) => void): unknown;
}

export interface FaultOutcomeView {
  tone: "ok" | "bad";
  text: string;
}

export function useFaultCommand(runId: string, socket: () => FaultSocket) {
  const [pending, setPending] = useState<string | undefined>();
  const [outcome, setOutcome] = useState<FaultOutcomeView | undefined>();

  const send = useCallback((request: FaultRequestInput, label: string) => {
    setPending(label);
    setOutcome(undefined);
    socket().emit("run:fault", { runId, ...request } as RunFaultPayload, (response) => {
      setPending(undefined);
      if ("error" in response) setOutcome({ tone: "bad", text: `${label}: ${response.error.message}` });
      else setOutcome({ tone: "ok", text: `${label}: ${response.data.affected} affected${response.data.faultId ? ` (active as ${response.data.faultId})` : ""}` });
    });
  }, [runId, socket]);

  return { send, pending, outcome };
}
