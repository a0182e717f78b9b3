"use client";
// Inspector forms for a service and for its producers and consumers.
import { sourceChoices, sourceChoiceValue, targetChoices, targetChoiceValue } from "../../../lib/lab/choices";
import { valueAt } from "../../../lib/lab/edits";
import { isRecord } from "../../../lib/lab/model";
import type { DocPath } from "../../../lib/lab/yaml-edit";
import { formsOf } from "./broker-forms";
import { CheckField, Group, JsonField, NumberField, SelectField, TextField } from "./fields";
import { Form } from "./form";
import type { FormProps } from "./form";

const record = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});
const str = (value: unknown, fallback = "") => (typeof value === "string" ? value : fallback);
const bool = (value: unknown, fallback: boolean) => (typeof value === "boolean" ? value : fallback);

const serviceFields: DocPath[] = [["name"], ["description"], ["replicas"], ["producers"], ["consumers"]];

export function ServiceForm({ path, raw, problems, editor, readOnly }: FormProps) {
  const item = record(valueAt(raw, path));
  const index = path[1] as number;
  const producers = Array.isArray(item.producers) ? item.producers.map(record) : [];
  const consumers = Array.isArray(item.consumers) ? item.consumers.map(record) : [];
  return (
    <Form kind="service" title={str(item.name, "(unnamed)")} lead="A real OS process (one per replica) with its own OpenTelemetry service.name."
      path={path} fields={serviceFields} problems={problems} editor={editor} readOnly={readOnly} onDelete={() => editor.remove(path)}>
      <TextField label="Name" path={[...path, "name"]} value={item.name} keepEmpty onCommit={(name) => editor.rename(path, name)} testId="field-name" />
      <TextField label="Description" path={[...path, "description"]} value={item.description} placeholder="What this service does" />
      <NumberField label="Replicas" path={[...path, "replicas"]} value={item.replicas} placeholder="1" hint="Processes of this service; consumers in them compete for messages." testId="field-replicas" />
      <Group title="Producers and consumers">
        <ul className="lab-list">
          {producers.map((p, i) => (
            <li key={`p${i}`}>
              <button type="button" className="lab-link-button" onClick={() => editor.select([...path, "producers", i])}>↗ {str(p.name, "(unnamed)")}</button>
            </li>
          ))}
          {consumers.map((c, i) => (
            <li key={`c${i}`}>
              <button type="button" className="lab-link-button" onClick={() => editor.select([...path, "consumers", i])}>↘ {str(c.name, "(unnamed)")}</button>
            </li>
          ))}
        </ul>
        <div className="lab-form__actions">
          <button type="button" className="button button--small" disabled={readOnly} onClick={() => editor.addProducer(index)}>+ Producer</button>
          <button type="button" className="button button--small" disabled={readOnly} onClick={() => editor.addConsumer(index)}>+ Consumer</button>
        </div>
      </Group>
    </Form>
  );
}

const producerFields: DocPath[] = [
  ["name"], ["broker"], ["to"], ["to", "routingKey"], ["to", "key"], ["to", "partition"], ["to", "groupId"], ["to", "deduplicationId"], ["to", "attributes"], ["to", "source"], ["to", "detailType"], ["rate"], ["rate", "perSecond"], ["rate", "burst"], ["count"], ["startAfter"],
  ["payload"], ["headers"], ["sizeBytes"], ["persistent"], ["confirm"], ["mandatory"], ["confirmWindow"], ["acks"], ["idempotent"],
];

function rateMode(rate: Record<string, unknown>): "perSecond" | "burst" | "manual" {
  if ("burst" in rate) return "burst";
  if ("manual" in rate) return "manual";
  return "perSecond";
}

export function ProducerForm({ path, raw, model, problems, editor, readOnly }: FormProps) {
  const item = record(valueAt(raw, path));
  const service = record(valueAt(raw, path.slice(0, 2)));
  const to = record(item.to);
  const rate = record(item.rate);
  const mode = rateMode(rate);
  const forms = formsOf(model.brokers.find((b) => b.name === item.broker)?.kind);
  const choices = targetChoices(model);
  const endpoint = { kind: "producer" as const, service: path[1] as number, producer: path[3] as number };
  return (
    <Form kind="producer" title={`${str(service.name)} / ${str(item.name, "(unnamed)")}`} lead="Publishes messages rendered from the payload template."
      path={path} fields={producerFields} problems={problems} editor={editor} readOnly={readOnly} onDelete={() => editor.remove(path)}>
      <TextField label="Name" path={[...path, "name"]} value={item.name} keepEmpty testId="field-name" />
      <SelectField label="Sends to" path={[...path, "to"]} testId="field-to" value={targetChoiceValue(item.broker, item.to)}
        hint={choices.length === 0 ? "Add a queue, exchange or topic first." : "Or drag from the producer's ● on the canvas."}
        options={[{ value: "", label: "(not connected)" }, ...choices.map((c) => ({ value: c.value, label: c.label }))]}
        onChoose={(value) => {
          const choice = choices.find((c) => c.value === value);
          if (choice) editor.connect(endpoint, choice.endpoint);
          else editor.set([...path, "to"], undefined);
        }} />
      {forms?.TargetFields ? <forms.TargetFields path={path} to={to} /> : null}
      <Group title="Rate">
        <SelectField label="Mode" path={[...path, "rate"]} value={mode} testId="field-rate-mode"
          options={[{ value: "perSecond", label: "Steady, per second" }, { value: "burst", label: "Burst, as fast as possible" }, { value: "manual", label: "By hand (Send panel)" }]}
          onChoose={(value) => editor.set([...path, "rate"], value === "manual" ? { manual: true } : value === "burst" ? { burst: 100 } : { perSecond: 10 })} />
        {mode === "perSecond" ? <NumberField label="Messages per second" path={[...path, "rate", "perSecond"]} value={rate.perSecond} testId="field-rate" /> : null}
        {mode === "burst" ? <NumberField label="Burst size" path={[...path, "rate", "burst"]} value={rate.burst} testId="field-burst" /> : null}
        <NumberField label="Count" path={[...path, "count"]} value={item.count} placeholder="no limit" hint="Stop after this many messages." testId="field-count" />
        <TextField label="Start after" path={[...path, "startAfter"]} value={item.startAfter} placeholder="0s" />
      </Group>
      <JsonField label="Payload template" path={[...path, "payload"]} value={item.payload} testId="field-payload"
        hint="JSON. Placeholders: {{seq}}, {{uuid}}, {{now}}, {{randomInt 1 50}}, {{randomFloat 5 250}}, {{pick a b c}}." />
      <JsonField label="Headers" path={[...path, "headers"]} value={item.headers} rows={3} hint='JSON object, e.g. { "tenant": "acme" }' />
      <Group title="Delivery">
        <SelectField label="Broker" path={[...path, "broker"]} value={str(item.broker)}
          options={[...(model.brokers.some((b) => b.name === item.broker) ? [] : [{ value: str(item.broker), label: str(item.broker, "(none)") }]), ...model.brokers.map((b) => ({ value: b.name, label: `${b.name} (${b.kind})` }))]} />
        {forms?.DeliveryFields ? <forms.DeliveryFields path={path} item={item} editor={editor} /> : null}
        <NumberField label="Pad body to bytes" path={[...path, "sizeBytes"]} value={item.sizeBytes} placeholder="no padding" />
      </Group>
    </Form>
  );
}

const consumerFields: DocPath[] = [
  ["name"], ["broker"], ["from"], ["from", "group"], ["from", "fromBeginning"], ["from", "waitSeconds"], ["ack"], ["prefetch"], ["concurrency"], ["work"], ["work", "ms"], ["work", "jitterMs"], ["work", "distribution"],
  ["failures"], ["failures", "errorRate"], ["failures", "crashAfter"], ["onError"], ["onError", "retries"], ["onError", "backoffMs"], ["onError", "then"], ["idempotent"], ["forward"], ["forward", "to"], ["forward", "payload"],
];

export function ConsumerForm({ path, raw, model, problems, editor, readOnly }: FormProps) {
  const item = record(valueAt(raw, path));
  const service = record(valueAt(raw, path.slice(0, 2)));
  const from = record(item.from);
  const work = record(item.work);
  const failures = record(item.failures);
  const onError = isRecord(item.onError) ? item.onError : typeof item.onError === "string" ? { then: item.onError } : {};
  const forward = isRecord(item.forward) ? item.forward : undefined;
  const forms = formsOf(model.brokers.find((b) => b.name === item.broker)?.kind);
  const sources = sourceChoices(model);
  const targets = targetChoices(model);
  const endpoint = { kind: "consumer" as const, service: path[1] as number, consumer: path[3] as number };
  const backoff = Array.isArray(onError.backoffMs) ? onError.backoffMs.join(", ") : onError.backoffMs;
  return (
    <Form kind="consumer" title={`${str(service.name)} / ${str(item.name, "(unnamed)")}`} lead="Takes messages, pretends to work on them, then acks (or fails and retries)."
      path={path} fields={consumerFields} problems={problems} editor={editor} readOnly={readOnly} onDelete={() => editor.remove(path)}>
      <TextField label="Name" path={[...path, "name"]} value={item.name} keepEmpty testId="field-name" />
      <SelectField label="Reads from" path={[...path, "from"]} testId="field-from" value={sourceChoiceValue(item.broker, item.from)}
        hint={sources.length === 0 ? "Add a queue or topic first." : "Or drag from a queue's ● to this consumer."}
        options={[{ value: "", label: "(not connected)" }, ...sources.map((c) => ({ value: c.value, label: c.label }))]}
        onChoose={(value) => {
          const choice = sources.find((c) => c.value === value);
          if (choice) editor.connect(choice.endpoint, endpoint);
          else editor.set([...path, "from"], undefined);
        }} />
      {forms?.SourceFields ? <forms.SourceFields path={path} from={from} /> : null}
      <Group title="Acknowledgements">
        <SelectField label="Ack mode" path={[...path, "ack"]} value={str(item.ack, "manual")} testId="field-ack"
          options={[{ value: "manual", label: "manual: ack after processing" }, { value: "auto", label: "auto: acked on delivery" }]} />
        <NumberField label="Prefetch" path={[...path, "prefetch"]} value={item.prefetch} placeholder="10" hint="Unacknowledged messages allowed in flight." testId="field-prefetch" />
        <NumberField label="Concurrency" path={[...path, "concurrency"]} value={item.concurrency} placeholder="1" />
        <CheckField label="Idempotent (skip ids seen before)" path={[...path, "idempotent"]} checked={bool(item.idempotent, false)} />
      </Group>
      <Group title="Work per message">
        <NumberField label="Milliseconds" path={[...path, "work", "ms"]} value={work.ms} placeholder="0" testId="field-work-ms" />
        <NumberField label="Jitter (ms)" path={[...path, "work", "jitterMs"]} value={work.jitterMs} placeholder="0" />
        <SelectField label="Distribution" path={[...path, "work", "distribution"]} value={str(work.distribution, "uniform")}
          options={["uniform", "normal", "exponential"].map((v) => ({ value: v, label: v }))} />
      </Group>
      <Group title="Failures and retries">
        <NumberField label="Error rate (0 to 1)" path={[...path, "failures", "errorRate"]} value={failures.errorRate} placeholder="0" testId="field-error-rate" />
        <NumberField label="Crash after N messages" path={[...path, "failures", "crashAfter"]} value={failures.crashAfter} placeholder="never" />
        <NumberField label="Retries" path={[...path, "onError", "retries"]} value={onError.retries} placeholder="0" />
        <TextField label="Backoff (ms, comma separated)" path={[...path, "onError", "backoffMs"]} value={backoff} placeholder="100, 1000"
          onCommit={(text) => editor.set([...path, "onError", "backoffMs"], text.trim() === "" ? undefined : text.split(",").map((t) => (t.trim() !== "" && Number.isFinite(Number(t)) ? Number(t) : t.trim())))} />
        <SelectField label="Then" path={[...path, "onError", "then"]} value={str(onError.then, "requeue")}
          options={[{ value: "requeue", label: "requeue" }, { value: "dead-letter", label: "dead-letter" }, { value: "drop", label: "drop" }]}
          onChoose={(v) => editor.set([...path, "onError"], { ...onError, then: v })} />
      </Group>
      <Group title="Forward (consume, then produce)">
        <SelectField label="Forwards to" path={[...path, "forward", "to"]} value={forward ? targetChoiceValue(forward.broker, forward.to) : ""}
          options={[{ value: "", label: "(nothing)" }, ...targets.map((c) => ({ value: c.value, label: c.label }))]}
          onChoose={(value) => {
            const choice = targets.find((c) => c.value === value);
            if (choice) editor.connect({ kind: "forward", service: endpoint.service, consumer: endpoint.consumer }, choice.endpoint);
            else editor.set([...path, "forward"], undefined);
          }} />
        {forward ? <JsonField label="Forwarded payload" path={[...path, "forward", "payload"]} value={forward.payload} rows={4} hint="Empty: the consumed payload. {{field}} copies a field of it." /> : null}
      </Group>
    </Form>
  );
}
