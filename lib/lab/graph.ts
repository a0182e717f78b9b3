// The canvas graph derived from a scenario document: services (with their producers and consumers
// as rows), exchanges, queues and topics as nodes; publishes, bindings, subscriptions, forwards and
// dead-lettering as edges. graphToDocument rebuilds the document, which proves nothing is lost.
import { kindNodeLists, viewsFor } from "./broker-views";
import { findResource, isRecord, readModel } from "./model";
import type { BrokerKind, LabBinding, LabModel, LabResource, LabService, LabTarget } from "./model";
import type { DocPath } from "./yaml-edit";

export type LabNode =
  | { id: string; type: "service"; path: DocPath; service: LabService; brokerKinds: BrokerKind[] }
  | { id: string; type: LabResource["kind"]; path: DocPath; resource: LabResource; brokerKind: BrokerKind };

/** route: an EventBridge bus to its rule, and the rule to the queues it targets. */
export type EdgeKind = "publish" | "binding" | "subscription" | "route" | "consume" | "forward" | "dead-letter";

export interface LabEdge {
  id: string;
  kind: EdgeKind;
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
  label?: string;
  /** The document item an edge stands for: clicking selects it, deleting removes it (or its link). */
  path: DocPath;
  /** What deleting the edge removes: the whole item (binding) or one field of it. */
  removes: DocPath;
  /** Keys into the run frame: "service/producer" or "service/consumer", or the queue a binding feeds. */
  liveKey?: string;
  raw?: Record<string, unknown>;
}

export interface LabGraph {
  nodes: LabNode[];
  edges: LabEdge[];
  /** Bindings whose exchange or queue is not declared: no edge, but kept (the validator names them). */
  detached: LabBinding[];
  /** The document with services and resource lists emptied, so graphToDocument can rebuild it. */
  meta: Record<string, unknown>;
}

const resourceIdPrefix = { exchange: "ex", queue: "q", topic: "t", bus: "bus", rule: "rule" } as const;
export const resourceNodeId = (kind: LabResource["kind"], broker: string, name: string) => `${resourceIdPrefix[kind]}:${broker}/${name}`;
export const serviceNodeId = (name: string) => `svc:${name}`;
export const handles = {
  producer: (index: number) => `p:${index}`,
  consumer: (index: number) => `c:${index}`,
  forward: (index: number) => `f:${index}`,
  /** A request/reply, task, HTTP API or projection row: `po:` sends, `pi:` receives. */
  pattern: (direction: "out" | "in", index: number) => `${direction === "out" ? "po" : "pi"}:${index}`,
  newProducer: "new-producer",
  newConsumer: "new-consumer",
  in: "in",
  out: "out",
  deadLetter: "dlx",
} as const;

function targetNode(model: LabModel, broker: string, to: LabTarget | undefined): string | undefined {
  if (!to) return undefined;
  const found = findResource(model, to.kind, broker, to.name);
  return found ? resourceNodeId(found.kind, found.broker, found.name) : undefined;
}

const kindOf = (model: LabModel, broker: string): BrokerKind => model.brokers.find((b) => b.name === broker)?.kind ?? "unknown";

export function buildGraph(input: unknown): LabGraph {
  const model = readModel(input);
  const nodes: LabNode[] = [];
  const edges: LabEdge[] = [];
  const detached: LabBinding[] = [];
  const seen = new Set<string>();
  const unique = (id: string, index: number) => (seen.has(id) ? `${id}#${index}` : id);

  model.resources.forEach((resource, i) => {
    const id = unique(resourceNodeId(resource.kind, resource.broker, resource.name), i);
    seen.add(id);
    nodes.push({ id, type: resource.kind, path: resource.path, resource, brokerKind: kindOf(model, resource.broker) });
  });
  model.services.forEach((service, si) => {
    const id = unique(serviceNodeId(service.name), si);
    seen.add(id);
    const brokers = new Set([
      ...service.producers.map((p) => p.broker),
      ...service.consumers.flatMap((c) => [c.broker, ...(c.forward ? [c.forward.broker] : [])]),
      ...service.patterns.map((r) => r.broker).filter(Boolean),
    ]);
    nodes.push({ id, type: "service", path: service.path, service, brokerKinds: [...brokers].map((b) => kindOf(model, b)) });

    service.producers.forEach((producer, pi) => {
      const target = targetNode(model, producer.broker, producer.to);
      if (!target) return;
      edges.push({
        id: `publish:${si}:${pi}`, kind: "publish", source: id, sourceHandle: handles.producer(pi), target, targetHandle: handles.in,
        ...(producer.to?.key ? { label: producer.to.key } : {}),
        path: producer.path, removes: [...producer.path, "to"], liveKey: `${service.name}/${producer.name}`,
      });
    });
    service.patterns.forEach((row, ri) => {
      if (row.direction === "out") {
        const target = targetNode(model, row.broker, row.to);
        if (target) {
          edges.push({
            id: `pattern:${si}:${ri}`, kind: "publish", source: id, sourceHandle: handles.pattern("out", ri), target, targetHandle: handles.in,
            label: row.word, path: row.path, removes: [...row.path, "to"],
          });
        }
      } else if (row.direction === "in" && row.from) {
        const source = findResource(model, row.from.kind, row.broker, row.from.name);
        if (source) {
          edges.push({
            id: `pattern:${si}:${ri}`, kind: "consume", source: resourceNodeId(source.kind, source.broker, source.name), sourceHandle: handles.out, target: id, targetHandle: handles.pattern("in", ri),
            label: row.word, path: row.path, removes: [...row.path, "from"],
          });
        }
      }
    });
    service.consumers.forEach((consumer, ci) => {
      const from = consumer.from;
      const source = from ? findResource(model, from.kind, consumer.broker, from.name) : undefined;
      if (source) {
        edges.push({
          id: `consume:${si}:${ci}`, kind: "consume", source: resourceNodeId(source.kind, source.broker, source.name), sourceHandle: handles.out, target: id, targetHandle: handles.consumer(ci),
          ...(from?.kind === "topic" && from.group ? { label: `group ${from.group}` } : {}),
          path: consumer.path, removes: [...consumer.path, "from"], liveKey: `${service.name}/${consumer.name}`,
        });
      }
      const forwardTarget = consumer.forward ? targetNode(model, consumer.forward.broker, consumer.forward.to) : undefined;
      if (forwardTarget) {
        edges.push({
          id: `forward:${si}:${ci}`, kind: "forward", source: id, sourceHandle: handles.forward(ci), target: forwardTarget, targetHandle: handles.in,
          ...(consumer.forward?.to?.key ? { label: consumer.forward.to.key } : {}),
          path: consumer.path, removes: [...consumer.path, "forward"], liveKey: `${service.name}/${consumer.name}`,
        });
      }
    });
  });
  model.bindings.forEach((binding: LabBinding, i) => {
    const exchange = findResource(model, "exchange", binding.broker, binding.exchange);
    const queue = findResource(model, "queue", binding.broker, binding.queue);
    if (!exchange || !queue) return void detached.push(binding);
    edges.push({
      id: `binding:${binding.broker}:${i}`, kind: "binding", source: resourceNodeId("exchange", binding.broker, binding.exchange), sourceHandle: handles.out,
      target: resourceNodeId("queue", binding.broker, binding.queue), targetHandle: handles.in,
      ...(binding.routingKey ? { label: binding.routingKey } : {}),
      path: binding.path, removes: binding.path, liveKey: binding.queue, raw: binding.raw,
    });
  });
  model.subscriptions.forEach((sub, i) => {
    const topic = findResource(model, "topic", sub.broker, sub.topic);
    const queue = findResource(model, "queue", sub.broker, sub.queue);
    if (!topic || !queue) return;
    edges.push({
      id: `subscription:${sub.broker}:${i}`, kind: "subscription", source: resourceNodeId("topic", sub.broker, sub.topic), sourceHandle: handles.out,
      target: resourceNodeId("queue", sub.broker, sub.queue), targetHandle: handles.in,
      ...(sub.raw.raw === true ? { label: "raw" } : {}),
      path: sub.path, removes: sub.path, liveKey: sub.queue, raw: sub.raw,
    });
  });
  routeEdges(model, edges);
  for (const queue of model.resources.filter((r) => (r.kind === "queue" && r.deadLetter) || (r.kind === "topic" && isRecord(r.raw.deadLetter)))) {
    // The resource's broker kind reads its dead-letter route: RabbitMQ's exchange, SQS's redrive, a Redis stream's dead-letter stream.
    const dl = isRecord(queue.raw.deadLetter) ? queue.raw.deadLetter : {};
    const route = viewsFor(kindOf(model, queue.broker)).map((view) => view.deadLetterEdge?.(dl)).find(Boolean);
    const target = route ? findResource(model, route.kind, queue.broker, route.name) : undefined;
    if (!route || !target) continue;
    edges.push({
      id: `dead-letter:${queue.broker}:${queue.name}`, kind: "dead-letter", source: resourceNodeId(queue.kind, queue.broker, queue.name), sourceHandle: handles.deadLetter,
      target: resourceNodeId(target.kind, target.broker, target.name), targetHandle: handles.in,
      label: route.label, path: queue.path, removes: [...queue.path, "deadLetter"], liveKey: queue.name,
    });
  }
  return { nodes, edges, detached, meta: metaOf(input) };
}

/** EventBridge: bus → rule (when the bus is declared) and rule → each queue it targets. */
function routeEdges(model: LabModel, edges: LabEdge[]): void {
  for (const rule of model.resources.filter((r) => r.kind === "rule" && r.rule)) {
    const id = resourceNodeId("rule", rule.broker, rule.name);
    if (findResource(model, "bus", rule.broker, rule.rule!.bus)) {
      edges.push({
        id: `route:${rule.broker}:${rule.name}`, kind: "route", source: resourceNodeId("bus", rule.broker, rule.rule!.bus), sourceHandle: handles.out,
        target: id, targetHandle: handles.in, path: rule.path, removes: rule.path,
      });
    }
    rule.rule!.targets.forEach((queue, i) => {
      if (!findResource(model, "queue", rule.broker, queue)) return;
      edges.push({
        id: `route:${rule.broker}:${rule.name}:${i}`, kind: "route", source: id, sourceHandle: handles.out,
        target: resourceNodeId("queue", rule.broker, queue), targetHandle: handles.in, path: rule.path, removes: [...rule.path, "targets", i], liveKey: queue,
      });
    });
  }
}

/** The document minus what the graph holds (services and the resource lists). */
function metaOf(input: unknown): Record<string, unknown> {
  if (!isRecord(input)) return {};
  const meta: Record<string, unknown> = { ...input };
  if (Array.isArray(input.services)) meta.services = [];
  if (isRecord(input.resources)) {
    meta.resources = Object.fromEntries(
      Object.entries(input.resources).map(([broker, entry]) => {
        if (!isRecord(entry)) return [broker, entry];
        const rest = { ...entry };
        for (const key of ["exchanges", "queues", "bindings", "topics", "buses", "rules", ...kindNodeLists.map((l) => l.key)]) if (Array.isArray(entry[key])) rest[key] = [];
        return [broker, rest];
      }),
    );
  }
  return meta;
}

/** Rebuilds the document from a graph: the inverse of buildGraph (used by the round-trip tests). */
export function graphToDocument(graph: LabGraph): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(graph.meta);
  const resources = isRecord(out.resources) ? out.resources : {};
  const listAt = (path: DocPath): unknown[] => {
    const [, broker, list] = path as [string, string, string, number];
    const entry = (resources[broker] ??= {}) as Record<string, unknown>;
    return ((entry[list] as unknown[] | undefined) ??= []);
  };
  const place = (path: DocPath, value: unknown) => {
    listAt(path)[path[3] as number] = structuredClone(value);
  };
  const services = Array.isArray(out.services) ? out.services : [];
  for (const node of graph.nodes) {
    if (node.type === "service") services[node.path[1] as number] = structuredClone(node.service.raw);
    else place(node.path, node.resource.raw);
  }
  for (const edge of graph.edges) if (edge.kind === "binding" && edge.raw) place(edge.path, edge.raw);
  for (const binding of graph.detached) place(binding.path, binding.raw);
  if ("resources" in out) out.resources = resources;
  if ("services" in out) out.services = services;
  return out;
}
