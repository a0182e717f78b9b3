// Scenario paths and patches. A path names a field the way a learner reads it:
// `services[inventory-service].consumers[update-stock].ack`: brackets select an array element by
// its `name` (or by index; `[+]` appends). Patches edit YAML text in place and keep its comments.
import { parseDocument } from "yaml";
import { z } from "zod";

export type PathSegment = { key: string } | { index: number } | { name: string } | { append: true };

export function parsePatchPath(path: string): PathSegment[] | { error: string } {
  const segments: PathSegment[] = [];
  let rest = path;
  let first = true;
  while (rest.length > 0) {
    const bracket = /^\[([^\]]+)\]/.exec(rest);
    if (bracket) {
      const inner = bracket[1]!;
      segments.push(inner === "+" ? { append: true } : /^\d+$/.test(inner) ? { index: Number(inner) } : { name: inner });
      rest = rest.slice(bracket[0].length);
    } else {
      const key = (first ? /^([A-Za-z0-9_-]+)/ : /^\.([A-Za-z0-9_-]+)/).exec(rest);
      if (!key) return { error: `cannot read "${rest}" in "${path}"; write keys as a.b and array elements as [name] or [0]` };
      segments.push({ key: key[1]! });
      rest = rest.slice(key[0].length);
    }
    first = false;
  }
  if (segments.length === 0) return { error: "is empty" };
  return segments;
}

export const patchPathSchema = z.string().min(1).superRefine((path, ctx) => {
  const parsed = parsePatchPath(path);
  if ("error" in parsed) ctx.addIssue({ code: "custom", message: parsed.error });
});

export const patchSchema = z.union([
  z.strictObject({ set: patchPathSchema, value: z.unknown() }),
  z.strictObject({ remove: patchPathSchema }),
]);
export type Patch = z.infer<typeof patchSchema>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Resolves a path against plain data into concrete keys and indexes; `[+]` becomes the array's length. */
function resolve(data: unknown, segments: PathSegment[], path: string): (string | number)[] | { error: string } {
  const out: (string | number)[] = [];
  let node: unknown = data;
  for (const [i, segment] of segments.entries()) {
    const at = () => `in "${path}" at segment ${i + 1}`;
    if ("key" in segment) {
      if (node !== undefined && !isRecord(node)) return { error: `${at()}: "${segment.key}" is a field of an object, but this is not one` };
      out.push(segment.key);
      node = isRecord(node) ? node[segment.key] : undefined;
      continue;
    }
    if (!Array.isArray(node)) return { error: `${at()}: not a list` };
    if ("append" in segment) {
      out.push(node.length);
      node = undefined;
    } else if ("index" in segment) {
      if (segment.index >= node.length) return { error: `${at()}: the list has ${node.length} elements` };
      out.push(segment.index);
      node = node[segment.index];
    } else {
      const index = node.findIndex((item) => isRecord(item) && item.name === segment.name);
      if (index < 0) return { error: `${at()}: no element named "${segment.name}"` };
      out.push(index);
      node = node[index];
    }
  }
  return out;
}

/** The value at a path of plain data (a parsed scenario), or undefined. */
export function readPath(data: unknown, path: string): unknown {
  const segments = parsePatchPath(path);
  if ("error" in segments) return undefined;
  const keys = resolve(data, segments, path);
  if ("error" in keys) return undefined;
  return keys.reduce<unknown>((node, key) => (node === undefined || node === null ? undefined : (node as Record<string | number, unknown>)[key]), data);
}

export type PatchResult = { ok: true; text: string } | { ok: false; error: string };

/** Applies patches to YAML (or JSON) text, one after the other; comments and layout elsewhere stay. */
export function applyPatches(text: string, patches: readonly Patch[]): PatchResult {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return { ok: false, error: `the scenario is not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}` };
  for (const patch of patches) {
    const path = "set" in patch ? patch.set : patch.remove;
    const segments = parsePatchPath(path);
    if ("error" in segments) return { ok: false, error: segments.error };
    const keys = resolve(doc.toJS(), segments, path);
    if ("error" in keys) return { ok: false, error: keys.error };
    if ("set" in patch) doc.setIn(keys, doc.createNode(patch.value, { flow: isRecord(patch.value) && Object.keys(patch.value).length <= 3 }));
    else doc.deleteIn(keys);
  }
  return { ok: true, text: doc.toString({ lineWidth: 0 }) };
}
