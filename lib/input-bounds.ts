// Bounds on the shape of untrusted input, checked before a schema walks it: a value nested
// thousands of levels deep overflows the stack of any recursive parser (zod included).

export interface InputLimits {
  /** Levels of nested objects and arrays. */
  depth: number;
  /** Objects, arrays and values in all. */
  nodes: number;
}

export const inputLimits: InputLimits = { depth: 64, nodes: 200_000 };

/** Why the value is too deep or too big, in words; undefined when it is within the limits. Never recursive. */
export function inputShapeProblem(value: unknown, limits: InputLimits = inputLimits): string | undefined {
  const pending: [unknown, number][] = [[value, 0]];
  let nodes = 0;
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (++nodes > limits.nodes) return `has more than ${limits.nodes} values in all; send a smaller document`;
    if (item === null || typeof item !== "object") continue;
    if (depth >= limits.depth) return `is nested more than ${limits.depth} levels deep; flatten it`;
    for (const child of Array.isArray(item) ? item : Object.values(item)) pending.push([child, depth + 1]);
  }
  return undefined;
}
