"use client";
// Redis's part of the inspector: the server's URL in the scenario's settings and a stream
// consumer's group.
import type { DocPath } from "../../../lib/lab/yaml-edit";
import type { BrokerForms } from "./broker-forms";
import { TextField } from "./fields";

function RedisSourceFields({ path, from }: { path: DocPath; from: Record<string, unknown> }) {
  if (!Object.hasOwn(from, "stream")) return null;
  return <TextField label="Consumer group" path={[...path, "from", "group"]} value={from.group} hint="One group shares the stream's entries; each group gets every entry." />;
}

export const redisForms: BrokerForms = {
  items: {},
  address: { key: "url", label: "Redis URL", placeholder: "redis://127.0.0.1:6379 (REDIS_URL)" },
  SourceFields: RedisSourceFields,
};
