// Where a scenario document names a resource, so that renaming it renames every reference and
// deleting it removes the links to it (a producer or consumer stays, unconnected). Pure: text in, text out.
import type { ResourceKind } from "./broker-view";
import { nodeKindOfList, viewsFor } from "./broker-views";
import { asString, isRecord, records } from "./raw";
import type { Raw } from "./raw";
import { deleteIn, editText, parseForEdit, setIn } from "./yaml-edit";
import type { Doc, DocPath } from "./yaml-edit";

/** The document as plain values (an empty record when it is not a mapping). */
export const rawOf = (doc: Doc): Raw => {
  const js = doc.toJS() as unknown;
  return isRecord(js) ? js : {};
};

/** The items of one list under `resources.<broker>` (`queues`, `bindings`, …). */
export const resourceList = (raw: Raw, broker: string, key: string): Raw[] => {
  const resources = isRecord(raw.resources) ? raw.resources : {};
  const entry = resources[broker];
  return isRecord(entry) ? records(entry[key]) : [];
};

const brokerKindIn = (raw: Raw, broker: string): string => {
  const entry = isRecord(raw.brokers) ? raw.brokers[broker] : undefined;
  return isRecord(entry) ? asString(entry.kind) : "";
};

/** Calls `visit` with the path of every reference to a resource, so renames and deletes follow it. */
function references(raw: Raw, kind: ResourceKind, broker: string, name: string, visit: (path: DocPath, field: string) => void): void {
  const views = viewsFor(brokerKindIn(raw, broker));
  records(raw.services).forEach((service, si) => {
    records(service.producers).forEach((p, pi) => {
      const to = isRecord(p.to) ? p.to : {};
      if (p.broker !== broker) return;
      for (const field of new Set(views.flatMap((view) => view.targetFields(to, kind, name)))) visit(["services", si, "producers", pi, "to"], field);
    });
    records(service.consumers).forEach((c, ci) => {
      const from = isRecord(c.from) ? c.from : {};
      const base = ["services", si, "consumers", ci];
      if (c.broker === broker && (kind === "queue" || kind === "topic") && from[kind] === name) visit([...base, "from"], kind);
      if (c.broker === broker) for (const field of new Set(views.flatMap((view) => view.sourceFields?.(from, kind, name) ?? []))) visit([...base, "from"], field);
      const forward = isRecord(c.forward) ? c.forward : undefined;
      const to = forward && isRecord(forward.to) ? forward.to : {};
      if (forward && forward.broker === broker && to[kind] === name) visit([...base, "forward", "to"], kind);
    });
  });
  for (const view of views) view.entryRefs?.((key) => resourceList(raw, broker, key), ["resources", broker], kind, name, visit);
}

/** The plain value at `path` of a document read as JSON. */
export function valueAt(raw: unknown, path: DocPath): unknown {
  let cursor: unknown = raw;
  for (const key of path) cursor = isRecord(cursor) || Array.isArray(cursor) ? (cursor as Record<string | number, unknown>)[key] : undefined;
  return cursor;
}

const nameAt = (raw: Raw, path: DocPath): string | undefined => {
  const item = valueAt(raw, path);
  return isRecord(item) && typeof item.name === "string" ? item.name : undefined;
};

/** Renames the item at `path` (a service or a resource) and every reference to it. */
export function rename(text: string, path: DocPath, next: string): string {
  return editText(text, (doc) => {
    const raw = rawOf(doc);
    const previous = nameAt(raw, path);
    setIn(doc, [...path, "name"], next);
    if (previous === undefined || previous === next) return;
    if (path[0] === "services" && path.length === 2) {
      records(raw.faults).forEach((fault, i) => {
        for (const [key, value] of Object.entries(fault)) if (key !== "at" && value === previous) setIn(doc, ["faults", i, key], next);
      });
      return;
    }
    const kind = resourceKindAt(path);
    if (kind) references(raw, kind, String(path[1]), previous, (at, field) => setIn(doc, [...at, field], next));
  });
}

export function resourceKindAt(path: DocPath): ResourceKind | undefined {
  if (path[0] !== "resources" || path.length !== 4) return undefined;
  const kinds: Record<string, ResourceKind> = { queues: "queue", exchanges: "exchange", topics: "topic", buses: "bus", rules: "rule" };
  return kinds[String(path[2])] ?? nodeKindOfList(String(path[2]));
}

/** Deletes the item (or field) at `path`. Links to a deleted resource are removed with it (a producer
 * or consumer stays, unconnected), and so are the faults of a deleted service. */
export function deleteAt(text: string, path: DocPath): string {
  const doc = parseForEdit(text);
  if (!doc) return text;
  const raw = rawOf(doc);
  const removals: DocPath[] = [path];
  const kind = resourceKindAt(path);
  const name = nameAt(raw, path);
  if (kind && name !== undefined) {
    references(raw, kind, String(path[1]), name, (at) => {
      // A forward to a deleted resource has nowhere to go: remove the whole forward.
      removals.push(at[4] === "forward" ? at.slice(0, 5) : at);
    });
  }
  if (path[0] === "services" && path.length === 2 && name !== undefined) {
    records(raw.faults).forEach((fault, i) => {
      if (Object.entries(fault).some(([key, value]) => key !== "at" && value === name)) removals.push(["faults", i]);
    });
  }
  return editText(text, (d) => {
    // Later list items first, so earlier indices stay valid.
    for (const at of [...removals].sort(compareDesc)) deleteIn(d, at);
  });
}

function compareDesc(a: DocPath, b: DocPath): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (typeof a[i] === "number" && typeof b[i] === "number") return (b[i] as number) - (a[i] as number);
    return String(b[i]).localeCompare(String(a[i]));
  }
  return b.length - a.length;
}
