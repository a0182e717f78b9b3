"use client";
// The React Flow canvas of the lab: nodes and edges derived from the scenario, placed by the
// column layout (or where the user dragged them), connections turned into scenario edits, and
// keyboard navigation: Tab between nodes, arrows to the nearest node, Shift+arrows to move one.
import { Background, Controls, MarkerType, ReactFlow, applyNodeChanges, useReactFlow } from "@xyflow/react";
import type { Connection, Edge, IsValidConnection, NodeChange, NodeTypes, EdgeTypes } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { KeyboardEvent, ReactNode } from "react";
import { canConnect } from "../../../lib/lab/edits";
import type { Endpoint } from "../../../lib/lab/edits";
import type { LabEdge, LabGraph, LabNode } from "../../../lib/lab/graph";
import { narrowScreen, useMediaQuery } from "../../../lib/client/use-media-query";
import { layoutGraph } from "../../../lib/lab/layout";
import type { Point } from "../../../lib/lab/layout";
import { pathKey } from "../../../lib/lab/problems";
import type { DocPath } from "../../../lib/lab/yaml-edit";
import { CanvasActionsContext } from "./canvas-context";
import type { CanvasActions } from "./canvas-context";
import type { FlowEdgeType } from "./flow-edge";
import { FlowEdge } from "./flow-edge";
import { ResourceNode } from "./resource-node";
import type { ResourceFlowNode } from "./resource-node";
import { ServiceNode } from "./service-node";
import type { ServiceFlowNode } from "./service-node";

type FlowNode = ServiceFlowNode | ResourceFlowNode;

const nodeTypes: NodeTypes = { service: ServiceNode, exchange: ResourceNode, queue: ResourceNode, topic: ResourceNode, bus: ResourceNode, rule: ResourceNode };
const edgeTypes: EdgeTypes = { flow: FlowEdge };
/** Arrowheads in each edge kind's colour (the same as --lab-* in lab.css). */
const markerColors: Record<LabEdge["kind"], string> = { publish: "#4f6bed", binding: "#7c5cf0", subscription: "#7c5cf0", route: "#b45309", consume: "#15803d", forward: "#0e7490", "dead-letter": "#c0262d" };

export interface Selection {
  path: DocPath;
  /** Set when an edge was picked: Delete then removes the link, not the item. */
  edge?: string;
}

export interface LabCanvasProps {
  graph: LabGraph;
  positions: Record<string, Point>;
  selection: Selection | undefined;
  problems: Map<string, number>;
  downKinds: ReadonlySet<string>;
  editable: boolean;
  /** Changes when another document is loaded, to fit it into view. */
  fitKey: number;
  onSelect(selection: Selection | undefined): void;
  onConnect(source: Endpoint, target: Endpoint): void;
  onMoved(id: string, point: Point): void;
  onAddProducer(serviceIndex: number): void;
  onAddConsumer(serviceIndex: number): void;
  /** A replay's canvas: nodes show the recorded moment and offer no edits or faults. */
  readOnly?: boolean;
  children?: ReactNode;
}

/** Which scenario part a connection handle stands for. */
export function endpointOf(node: LabNode | undefined, handle: string | null | undefined): Endpoint | undefined {
  if (!node) return undefined;
  if (node.type !== "service") {
    const { kind, broker, name } = node.resource;
    return handle === "dlx" ? { kind, broker, name, dead: true } : { kind, broker, name, brokerKind: node.brokerKind };
  }
  const service = node.path[1] as number;
  const [prefix, index] = (handle ?? "").split(":");
  if (handle === "new-producer") return { kind: "new-producer", service };
  if (handle === "new-consumer") return { kind: "new-consumer", service };
  if (prefix === "p") return { kind: "producer", service, producer: Number(index) };
  if (prefix === "c") return { kind: "consumer", service, consumer: Number(index) };
  if (prefix === "f") return { kind: "forward", service, consumer: Number(index) };
  return undefined;
}

const nodeLabel = (node: LabNode) => (node.type === "service" ? `Service ${node.service.name}` : `${node.type} ${node.resource.name}`);

export function LabCanvas(props: LabCanvasProps) {
  const { graph, positions, selection, problems, downKinds, editable, fitKey, onSelect, onConnect, onMoved, onAddProducer, onAddConsumer, readOnly } = props;
  const { fitView } = useReactFlow();
  const [nodes, setNodes] = useState<FlowNode[]>([]);
  // Lay out with the heights the browser measured (a running queue is taller than an idle one).
  const heightKey = nodes.map((n) => `${n.id}=${Math.round(n.measured?.height ?? 0)}`).join("|");
  const heights = useMemo(() => new Map(heightKey.split("|").map((e) => e.split("=")).filter(([, h]) => Number(h) > 0).map(([id, h]) => [id!, Number(h)])), [heightKey]);
  // On a phone the graph flows down, so nodes stay readable instead of shrinking to fit the width.
  const flow = useMediaQuery(narrowScreen) ? "down" : "right";
  const layout = useMemo(() => layoutGraph(graph, positions, heights, flow), [graph, positions, heights, flow]);
  const byId = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n])), [graph]);
  const selectedKey = selection && !selection.edge ? pathKey(selection.path) : undefined;

  useEffect(() => {
    setNodes((previous) => {
      const measured = new Map(previous.map((n) => [n.id, n.measured]));
      // Tab order follows the layout: left to right, top to bottom.
      const ordered = [...graph.nodes].sort((a, b) => (layout[a.id]!.x - layout[b.id]!.x) || (layout[a.id]!.y - layout[b.id]!.y));
      return ordered.map((node) => ({
        id: node.id,
        type: node.type,
        position: layout[node.id]!,
        data: { node },
        ariaLabel: nodeLabel(node),
        ...(measured.get(node.id) ? { measured: measured.get(node.id) } : {}),
      })) as FlowNode[];
    });
  }, [graph, layout]);

  // Fit the graph into view when another document loads or its shape changes (a node added,
  // removed or moved to another column), not when it only grows taller during a run.
  const shape = useMemo(() => `${flow}:${Object.entries(layout).map(([id, p]) => `${id}@${Math.round(flow === "right" ? p.x : p.y)}`).sort().join("|")}`, [layout, flow]);
  useEffect(() => {
    // Wait for the browser to measure new nodes before fitting them in.
    const timer = setTimeout(() => void fitView({ padding: 0.12, maxZoom: 1.2, duration: 250 }), 120);
    return () => clearTimeout(timer);
  }, [fitKey, shape, fitView]);

  const edges = useMemo<FlowEdgeType[]>(
    () =>
      graph.edges.map((edge: LabEdge) => ({
        id: edge.id,
        type: "flow",
        source: edge.source,
        sourceHandle: edge.sourceHandle,
        target: edge.target,
        targetHandle: edge.targetHandle,
        data: { edge },
        selected: selection?.edge === edge.id,
        markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18, markerUnits: "userSpaceOnUse", color: markerColors[edge.kind], strokeWidth: 1.5 },
        ariaLabel: `${edge.kind} from ${edge.source} to ${edge.target}`,
      })),
    [graph, selection],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const kept = changes.filter((c) => c.type === "dimensions" || c.type === "position");
      if (kept.length > 0) setNodes((current) => applyNodeChanges(kept, current));
      for (const change of kept) if (change.type === "position" && change.dragging === false && change.position) onMoved(change.id, change.position);
    },
    [onMoved],
  );

  const toEndpoints = useCallback(
    (c: Connection | Edge) => [endpointOf(byId.get(c.source), c.sourceHandle), endpointOf(byId.get(c.target), c.targetHandle)] as const,
    [byId],
  );
  const isValidConnection: IsValidConnection = useCallback(
    (c) => {
      const [source, target] = toEndpoints(c);
      return Boolean(source && target && canConnect(source, target));
    },
    [toEndpoints],
  );
  const handleConnect = useCallback(
    (c: Connection) => {
      const [source, target] = toEndpoints(c);
      if (source && target) onConnect(source, target);
    },
    [toEndpoints, onConnect],
  );

  const actions = useMemo<CanvasActions>(
    () => ({ select: (path) => onSelect({ path }), addProducer: onAddProducer, addConsumer: onAddConsumer, selectedKey, problems, downKinds, readOnly }),
    [onSelect, onAddProducer, onAddConsumer, selectedKey, problems, downKinds, readOnly],
  );

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLDivElement>) => {
      const element = event.target as HTMLElement;
      const nodeElement = element.closest<HTMLElement>(".react-flow__node");
      if (!nodeElement || !event.key.startsWith("Arrow")) return;
      const id = nodeElement.dataset.id!;
      const from = layout[id];
      if (!from) return;
      event.preventDefault();
      const dx = event.key === "ArrowLeft" ? -1 : event.key === "ArrowRight" ? 1 : 0;
      const dy = event.key === "ArrowUp" ? -1 : event.key === "ArrowDown" ? 1 : 0;
      if (event.shiftKey) {
        if (editable) onMoved(id, { x: from.x + dx * 24, y: from.y + dy * 24 });
        return;
      }
      // The nearest node in that direction, favouring ones straight ahead.
      let best: { id: string; score: number } | undefined;
      for (const [other, point] of Object.entries(layout)) {
        if (other === id) continue;
        const ox = point.x - from.x;
        const oy = point.y - from.y;
        const ahead = ox * dx + oy * dy;
        if (ahead <= 0) continue;
        const side = Math.abs(ox * dy) + Math.abs(oy * dx);
        const score = ahead + side * 2;
        if (!best || score < best.score) best = { id: other, score };
      }
      if (best) nodeElement.parentElement?.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(best.id)}"]`)?.focus();
    },
    [layout, editable, onMoved],
  );

  const onFocus = useCallback(
    (event: React.FocusEvent<HTMLDivElement>) => {
      const element = event.target as HTMLElement;
      if (!element.classList.contains("react-flow__node")) return;
      const node = byId.get(element.dataset.id ?? "");
      if (node) onSelect({ path: node.path });
    },
    [byId, onSelect],
  );

  return (
    <CanvasActionsContext.Provider value={actions}>
      <div className="lab-canvas" onKeyDown={onKeyDown} onFocus={onFocus} data-testid="lab-canvas">
        <ReactFlow<FlowNode, FlowEdgeType>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onNodesChange={onNodesChange}
          onConnect={handleConnect}
          isValidConnection={isValidConnection}
          onNodeClick={(_, node) => onSelect({ path: node.data.node.path })}
          onEdgeClick={(_, edge) => edge.data && onSelect({ path: edge.data.edge.path, edge: edge.id })}
          onPaneClick={() => onSelect(undefined)}
          nodesConnectable={editable}
          nodesDraggable={!readOnly}
          nodesFocusable
          edgesFocusable={false}
          elementsSelectable={false}
          disableKeyboardA11y
          deleteKeyCode={null}
          selectionKeyCode={null}
          multiSelectionKeyCode={null}
          minZoom={0.3}
          maxZoom={1.6}
          connectionRadius={28}
          attributionPosition="top-right"
        >
          <Background gap={22} size={1.2} color="#cfd6e4" />
          <Controls showInteractive={false} position="bottom-left" />
          {props.children}
        </ReactFlow>
      </div>
    </CanvasActionsContext.Provider>
  );
}
