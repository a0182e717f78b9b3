"use client";
// Redis's part of the inspector: streams (MAXLEN, the idle time after which a pending entry is
// claimed again, a dead-letter stream after N deliveries), Pub/Sub channels, the server's URL in
// the scenario's settings, and a stream consumer's group or a channel subscriber's pattern.
import { valueAt } from "../../../lib/lab/edits";
import { isRecord } from "../../../lib/lab/model";
import type { DocPath } from "../../../lib/lab/yaml-edit";
import type { BrokerForms } from "./broker-forms";
import { CheckField, Group, NumberField, SelectField, TextField } from "./fields";
import { Form } from "./form";
import type { FormProps } from "./form";

const record = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});
const str = (value: unknown, fallback = "") => (typeof value === "string" ? value : fallback);

const streamFields: DocPath[] = [["name"], ["maxLen"], ["claimIdle"], ["deadLetter"], ["deadLetter", "stream"], ["deadLetter", "maxDeliveries"], ["existing"]];

export function RedisStreamForm(form: FormProps) {
  const { path, raw, model, problems, editor, readOnly } = form;
  const item = record(valueAt(raw, path));
  const deadLetter = isRecord(item.deadLetter) ? item.deadLetter : undefined;
  const broker = String(path[1]);
  const others = model.resources.filter((r) => r.kind === "topic" && r.broker === broker && r.name !== item.name).map((r) => ({ value: r.name, label: r.name }));
  return (
    <Form kind="stream" title={str(item.name, "(unnamed)")} lead="A Redis stream: an append-only log. Each consumer group gets every entry once, shared among its consumers, and keeps it pending until XACK."
      path={path} fields={streamFields} problems={problems} editor={editor} readOnly={readOnly} onDelete={() => editor.remove(path)}>
      <TextField label="Name" path={[...path, "name"]} value={item.name} keepEmpty onCommit={(next) => editor.rename(path, next)} testId="field-name" />
      <NumberField label="MAXLEN (about)" path={[...path, "maxLen"]} value={item.maxLen} placeholder="no limit" testId="field-max-len"
        hint="XADD … MAXLEN ~ n: Redis trims the oldest entries beyond about this many, read or not." />
      <TextField label="Claim after idle" path={[...path, "claimIdle"]} value={item.claimIdle} placeholder="5s" testId="field-claim-idle"
        hint="A pending entry idle this long is claimed (XAUTOCLAIM) by another consumer of its group: the redelivery path." />
      <Group title="Dead-letter stream" hint="After this many deliveries of one entry, the consumer moves it there and acknowledges it.">
        <SelectField label="Stream" path={[...path, "deadLetter", "stream"]} value={str(deadLetter?.stream)} testId="field-dead-letter-stream"
          options={[{ value: "", label: "(none)" }, ...others]}
          onChoose={(value) => editor.set([...path, "deadLetter"], value ? { maxDeliveries: 3, ...(deadLetter ?? {}), stream: value } : undefined)} />
        {deadLetter ? <NumberField label="Dead-letter after N deliveries" path={[...path, "deadLetter", "maxDeliveries"]} value={deadLetter.maxDeliveries} placeholder="3" testId="field-max-deliveries" /> : null}
      </Group>
      <CheckField label="Existing (owned by another program)" path={[...path, "existing"]} checked={item.existing === true} />
    </Form>
  );
}

export function RedisChannelForm({ path, raw, problems, editor, readOnly }: FormProps) {
  const item = record(valueAt(raw, path));
  return (
    <Form kind="channel" title={str(item.name, "(unnamed)")} lead="A Redis Pub/Sub channel: PUBLISH reaches every subscriber listening now; nothing is kept, so a subscriber that is down misses what is published meanwhile."
      path={path} fields={[["name"]]} problems={problems} editor={editor} readOnly={readOnly} onDelete={() => editor.remove(path)}>
      <TextField label="Name" path={[...path, "name"]} value={item.name} keepEmpty onCommit={(next) => editor.rename(path, next)} testId="field-name" />
    </Form>
  );
}

function RedisSourceFields({ path, from }: { path: DocPath; from: Record<string, unknown> }) {
  if (Object.hasOwn(from, "stream")) {
    return <TextField label="Consumer group" path={[...path, "from", "group"]} value={from.group} hint="One group shares the stream's entries; each group gets every entry." testId="field-group" />;
  }
  if (Object.hasOwn(from, "channelPattern")) {
    return <TextField label="Channel pattern" path={[...path, "from", "channelPattern"]} value={from.channelPattern} keepEmpty hint="PSUBSCRIBE glob: * any characters, ? one, [abc] one of them (orders.*)." testId="field-channel-pattern" />;
  }
  return null;
}

export const redisForms: BrokerForms = {
  items: { topic: RedisStreamForm, exchange: RedisChannelForm },
  address: { key: "url", label: "Redis URL", placeholder: "redis://127.0.0.1:6379 (REDIS_URL)" },
  SourceFields: RedisSourceFields,
};
