"use client";
// The lab's canvas on the replay page, read-only: the recorded run's scenario drawn as in the lab,
// with the frames up to the scrubbed moment bringing it alive (rates on the edges, queue depths,
// lag, replicas killed or paused), so a replay looks like the live run did.
import { ReactFlowProvider } from "@xyflow/react";
import { useMemo } from "react";
import { parse } from "yaml";
import { buildGraph } from "../../lib/lab/graph";
import type { Point } from "../../lib/lab/layout";
import type { RunFrame } from "../../lib/run/model";
import { FramesLiveProvider } from "../lab/canvas/canvas-context";
import { LabCanvas } from "../lab/canvas/lab-canvas";

const none = () => undefined;
const noProblems = new Map<string, number>();
const noneDown: ReadonlySet<string> = new Set();
// Constants, not literals: a new object each render would lay the graph out again at every frame.
const laidOutAutomatically: Record<string, Point> = {};

/** The scenario's graph, or nothing when the stored text no longer parses (it was valid when run). */
function graphOf(scenarioText: string) {
  try {
    return buildGraph(parse(scenarioText) as unknown);
  } catch {
    return undefined;
  }
}

export function ReplayCanvas({ scenarioText, frames }: { scenarioText: string; frames: readonly RunFrame[] }) {
  const graph = useMemo(() => graphOf(scenarioText), [scenarioText]);
  if (!graph || graph.nodes.length === 0) return <p className="muted" data-testid="replay-canvas-empty">The recorded scenario has nothing to draw.</p>;
  return (
    // The lab's class brings the canvas's colours; the runs sheet undoes its full-page layout.
    <section className="lab-page replay-canvas" aria-label="The scenario at this moment" data-testid="replay-canvas">
      <ReactFlowProvider>
        <FramesLiveProvider graph={graph} frames={frames}>
          <LabCanvas graph={graph} positions={laidOutAutomatically} selection={undefined} problems={noProblems} downKinds={noneDown} editable={false} readOnly fitKey={0}
            onSelect={none} onConnect={none} onMoved={none} onAddProducer={none} onAddConsumer={none} />
        </FramesLiveProvider>
      </ReactFlowProvider>
    </section>
  );
}
