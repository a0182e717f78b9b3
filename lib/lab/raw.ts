// Tolerant readers of a half-written scenario document's plain values (the lab never throws on one).

export type Raw = Record<string, unknown>;

export const isRecord = (value: unknown): value is Raw => typeof value === "object" && value !== null && !Array.isArray(value);
export const asRecord = (value: unknown): Raw => (isRecord(value) ? value : {});
export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const asString = (value: unknown, fallback = ""): string => (typeof value === "string" ? value : typeof value === "number" ? String(value) : fallback);
/** A list of records: anything else in it reads as an empty record. */
export const records = (value: unknown): Raw[] => (Array.isArray(value) ? value.map((v) => (isRecord(v) ? v : {})) : []);
/** The string names of a list's items. */
export const namesOf = (items: readonly Raw[]) => items.map((i) => i.name).filter((n): n is string => typeof n === "string");
