// Edits a scenario's YAML text in place through the `yaml` document model, so comments, key order
// and the author's formatting survive every edit made on the canvas or in the inspector.
import { isCollection, isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq } from "yaml";
import type { Document, Node as YamlNode } from "yaml";
import { keyOrderAt } from "./key-order";

export type DocPath = readonly (string | number)[];
export type Doc = Document.Parsed;

const toStringOptions = { lineWidth: 0 } as const;

/** Parses text for editing; undefined when the text is not valid YAML (edits then wait for a fix). */
export function parseForEdit(text: string): Doc | undefined {
  const doc = parseDocument(text, { uniqueKeys: true });
  return doc.errors.length > 0 ? undefined : doc;
}

/** Applies `change` to the document of `text` and returns the new text; the text itself when it does not parse. */
export function editText(text: string, change: (doc: Doc) => void): string {
  const doc = parseForEdit(text);
  if (!doc) return text;
  if (doc.contents === null) doc.contents = doc.createNode({}) as never;
  change(doc);
  return doc.toString(toStringOptions);
}

/** Small all-scalar objects read best on one line: `{ queue: order_queue }`. */
function prefersFlow(value: unknown): boolean {
  if (!value || typeof value !== "object") return false;
  const entries = Array.isArray(value) ? value : Object.values(value);
  if (Array.isArray(value)) return entries.length <= 6 && entries.every((v) => v === null || typeof v !== "object");
  return entries.length > 0 && entries.length <= 4 && entries.every((v) => v === null || typeof v !== "object");
}

/** Creates a YAML node for a value: small scalar objects in flow style, the rest in block style. */
export function createNode(doc: Doc, value: unknown): YamlNode {
  if (value === null || typeof value !== "object") return doc.createNode(value) as YamlNode;
  if (prefersFlow(value)) return doc.createNode(value, { flow: true }) as YamlNode;
  if (Array.isArray(value)) {
    const seq = new YAMLSeq(doc.schema);
    for (const item of value) seq.items.push(createNode(doc, item));
    return seq;
  }
  const map = new YAMLMap(doc.schema);
  for (const [key, item] of Object.entries(value)) if (item !== undefined) map.set(doc.createNode(key), createNode(doc, item));
  return map;
}

/** The collection at `path`, created (as a map or a list, in block style) when it is missing. */
export function ensureCollection(doc: Doc, path: DocPath, kind: "map" | "seq"): YAMLMap | YAMLSeq {
  let current: unknown = doc.contents;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const wantsSeq = i === path.length - 1 ? kind === "seq" : typeof path[i + 1] === "number";
    const parent = current as YAMLMap | YAMLSeq;
    let next = parent.get(key, true) as unknown;
    if (!isCollection(next)) {
      next = wantsSeq ? new YAMLSeq(doc.schema) : new YAMLMap(doc.schema);
      setOrdered(doc, parent, path.slice(0, i), key, next as YamlNode);
    }
    current = next;
  }
  const found = current as YAMLMap | YAMLSeq;
  // `services: []` written as flow would otherwise grow into one long line.
  if (found.items.length === 0) found.flow = false;
  return found;
}

/** Appends an item to the list at `path` (creating it); returns the new item's index. */
export function appendIn(doc: Doc, path: DocPath, value: unknown): number {
  const seq = ensureCollection(doc, path, "seq");
  if (!isSeq(seq)) throw new Error(`${path.join(".")} is not a list`);
  const node = createNode(doc, value);
  // Services read best with a blank line between them, as in the examples.
  if (path.length === 1 && path[0] === "services" && seq.items.length > 0 && "spaceBefore" in node) node.spaceBefore = true;
  seq.items.push(node);
  return seq.items.length - 1;
}

/** Sets the value at `path`; `undefined` removes the key. Missing parents are created. */
export function setIn(doc: Doc, path: DocPath, value: unknown): void {
  if (value === undefined) return deleteIn(doc, path);
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1]!;
  const parent = parentPath.length === 0 ? (doc.contents as YAMLMap) : ensureCollection(doc, parentPath, typeof key === "number" ? "seq" : "map");
  const existing = parent.get(key, true) as unknown;
  // Keep a scalar's node (and its comment) when only its value changes.
  if (isScalar(existing) && (value === null || typeof value !== "object")) {
    existing.value = value;
    if (typeof value === "string") existing.type = undefined;
    return;
  }
  setOrdered(doc, parent, parentPath, key, createNode(doc, value));
}

/** Sets `key` in `parent`; a new key of a map goes where the scenario format puts it. */
function setOrdered(doc: Doc, parent: YAMLMap | YAMLSeq, parentPath: DocPath, key: string | number, node: YamlNode): void {
  const order = keyOrderAt(parentPath);
  if (!isMap(parent) || typeof key !== "string" || parent.has(key) || !order?.includes(key)) {
    parent.set(key, node);
    return;
  }
  const rank = order.indexOf(key);
  const before = parent.items.findIndex((pair) => {
    const other = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    return order.includes(other) && order.indexOf(other) > rank;
  });
  const pair = doc.createPair(key, node);
  if (before === -1) parent.items.push(pair);
  else parent.items.splice(before, 0, pair);
}

export function deleteIn(doc: Doc, path: DocPath): void {
  if (doc.hasIn(path)) doc.deleteIn(path);
}

export function getIn(doc: Doc, path: DocPath): unknown {
  const node = doc.getIn(path, true) as unknown;
  if (isCollection(node) || isScalar(node)) return (node as { toJSON(): unknown }).toJSON();
  return node;
}

/** Whether the map at `path` exists and has no entries left (so a caller can remove it). */
export function isEmptyMap(doc: Doc, path: DocPath): boolean {
  const node = doc.getIn(path, true) as unknown;
  return isMap(node) && node.items.length === 0;
}
