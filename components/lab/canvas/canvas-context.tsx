"use client";
// What every node and edge on the canvas reads besides its own data: the live view of the run
// (changes ~10 times a second, so only the nodes re-render, not the flow) and the canvas's actions.
import { createContext, useContext, useMemo } from "react";
import type { ReactNode } from "react";
import type { LabGraph } from "../../../lib/lab/graph";
import { computeLive } from "../../../lib/lab/live";
import type { LiveView } from "../../../lib/lab/live";
import type { DocPath } from "../../../lib/lab/yaml-edit";
import type { RunFrame } from "../../../lib/run/model";
import { useRun } from "../../../lib/client/use-run";

const LiveContext = createContext<LiveView | undefined>(undefined);

/** The live run's frames (the lab). */
export function LiveProvider({ graph, children }: { graph: LabGraph; children: ReactNode }) {
  const frames = useRun((view) => view.frames);
  return <FramesLiveProvider graph={graph} frames={frames}>{children}</FramesLiveProvider>;
}

/** Any frames: a recorded run's up to the replay's moment draw the canvas as the live run did. */
export function FramesLiveProvider({ graph, frames, children }: { graph: LabGraph; frames: readonly RunFrame[]; children: ReactNode }) {
  const live = useMemo(() => computeLive(graph, frames), [graph, frames]);
  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}

export const useLive = () => useContext(LiveContext);

export interface CanvasActions {
  select(path: DocPath): void;
  addProducer(serviceIndex: number): void;
  addConsumer(serviceIndex: number): void;
  /** The document path selected now, as a key (formatPath). */
  selectedKey: string | undefined;
  /** Problem counts per item path key. */
  problems: Map<string, number>;
  /** Broker kinds whose broker is down (from the stack status). */
  downKinds: ReadonlySet<string>;
  /** A replay: no adding producers or consumers, no fault menus. */
  readOnly?: boolean;
}

export const CanvasActionsContext = createContext<CanvasActions | undefined>(undefined);

export function useCanvasActions(): CanvasActions {
  const actions = useContext(CanvasActionsContext);
  if (!actions) throw new Error("canvas nodes render inside the lab canvas");
  return actions;
}
