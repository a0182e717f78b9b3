"use client";
// An edge that shows the real flow: dots run along it faster and the line grows thicker as the
// rate rises (quantised, so the animation does not restart every frame); idle edges stay still.
import { BaseEdge, EdgeLabelRenderer, getBezierPath } from "@xyflow/react";
import type { Edge, EdgeProps } from "@xyflow/react";
import { memo } from "react";
import type { LabEdge } from "../../../lib/lab/graph";
import { edgeMotion, formatRate } from "../../../lib/lab/live";
import { useLive } from "./canvas-context";

export type FlowEdgeType = Edge<{ edge: LabEdge }, "flow">;

export const edgeKindLabels: Record<LabEdge["kind"], string> = {
  publish: "publishes to",
  binding: "binding",
  subscription: "subscription",
  route: "routes to",
  consume: "consumes from",
  forward: "forwards to",
  "dead-letter": "dead letters",
};

function FlowEdgeView(props: EdgeProps<FlowEdgeType>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd } = props;
  const edge = data?.edge;
  const live = useLive();
  const rate = live?.edgeRates.get(id) ?? 0;
  const motion = edgeMotion(rate);
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const kind = edge?.kind ?? "publish";
  const key = edge?.label && edge.label.length > 22 ? `${edge.label.slice(0, 20)}…` : edge?.label;
  const label = [key, live ? formatRate(rate) : undefined].filter(Boolean).join(" · ");
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        className={`lab-edge lab-edge--${kind} ${selected ? "is-selected" : ""} ${motion ? "is-flowing" : ""}`}
        style={{ strokeWidth: motion ? motion.width : undefined }}
        interactionWidth={18}
      />
      {motion
        ? Array.from({ length: motion.dots }, (_, i) => (
            <circle key={`${i}-${motion.durationSec}`} r={Math.min(5, 2.5 + motion.width / 3)} className={`lab-edge__dot lab-edge__dot--${kind}`}>
              <animateMotion dur={`${motion.durationSec}s`} repeatCount="indefinite" path={path} begin={`${(-i * motion.durationSec) / motion.dots}s`} />
            </circle>
          ))
        : null}
      {label ? (
        <EdgeLabelRenderer>
          <div
            className={`lab-edge-label lab-edge-label--${kind} ${motion ? "is-flowing" : ""}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-testid={`edge-label-${id}`}
            title={edge?.label}
          >
            {label}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

export const FlowEdge = memo(FlowEdgeView);
