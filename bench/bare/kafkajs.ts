// The bare kafkajs reference for workload 2: what a careful engineer writes without Brokerlab.
// producer: acks=all, batches of up to 500 with at most `window` messages unacknowledged;
// consumer: a group member with eachMessage and kafkajs' default commits (after each batch).
import { Kafka, logLevel, Partitioners } from "kafkajs";
import type { Message } from "kafkajs";
import { createMeter, createPacer, emit, preciseNow, readSpec, sentAtHeader } from "./common";

const spec = readSpec();
const kafka = new Kafka({ brokers: spec.url.split(","), clientId: `bench-bare-${spec.role}`, logLevel: logLevel.ERROR });
const maxBatch = 500;

async function producer(): Promise<void> {
  const client = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await client.connect();
  const value = Buffer.alloc(spec.size, "x");
  let inFlight = 0;
  let confirmed = 0;
  let published = 0;
  let wake: (() => void) | undefined;
  const changed = () => new Promise<void>((resolve) => (wake = resolve));
  const signal = () => { const w = wake; wake = undefined; w?.(); };
  const pace = createPacer(spec.rate);
  let pending: Message[] = [];
  const flush = () => {
    const messages = pending;
    pending = [];
    void client.send({ topic: spec.destination, acks: -1, messages }).then(
      () => { confirmed += messages.length; },
      () => {},
    ).finally(() => { inFlight -= messages.length; signal(); });
  };
  emit("started", { at: Date.now() });
  const end = Date.now() + spec.durationMs;
  while (Date.now() < end) {
    if (inFlight >= spec.window) {
      if (pending.length) flush();
      await changed();
      continue;
    }
    inFlight += 1;
    published += 1;
    pending.push({ value, headers: { [sentAtHeader]: preciseNow().toFixed(3) } });
    if (pending.length >= maxBatch) flush();
    if (spec.rate) {
      flush();
      await pace();
    }
  }
  if (pending.length) flush();
  while (inFlight > 0) await changed();
  emit("result", { published, confirmed });
  await client.disconnect();
}

async function consumer(): Promise<void> {
  const client = kafka.consumer({ groupId: spec.group, allowAutoTopicCreation: false, maxWaitTimeInMs: 500 });
  const meter = createMeter();
  const joined = new Promise<void>((resolve) => client.on(client.events.GROUP_JOIN, () => resolve()));
  await client.connect();
  await client.subscribe({ topics: [spec.destination], fromBeginning: true });
  await client.run({
    eachMessage: async ({ message }) => {
      meter.record(Number(message.headers?.[sentAtHeader]?.toString()));
    },
  });
  await joined;
  emit("ready");
  process.once("SIGTERM", () => {
    emit("result", meter.result());
    void client.disconnect().finally(() => process.exit(0));
  });
}

void (spec.role === "producer" ? producer() : consumer()).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
