// The bare kafkajs reference for workload 2: what a careful engineer writes without Brokerlab.
// producer: acks=all, batches of up to 500 with at most `window` messages unacknowledged;
// consumer: a group member with eachMessage and kafkajs' default commits (after each batch).
import { Kafka, logLevel, Partitioners } from "kafkajs";
import type { Message } from "kafkajs";
import { consumeUntilStopped, createMeter, messageHeaders, preciseNow, produceInBatches, readSpec, runRole, sentAtHeader } from "./common";

const spec = readSpec();
const headers = messageHeaders();
const kafka = new Kafka({ brokers: spec.url.split(","), clientId: `bench-bare-${spec.role}`, logLevel: logLevel.ERROR });

async function producer(): Promise<void> {
  const client = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await client.connect();
  const value = Buffer.alloc(spec.size, "x");
  await produceInBatches(
    spec,
    (): Message => ({ value, headers: headers(preciseNow().toFixed(3)) }),
    (messages) => client.send({ topic: spec.destination, acks: -1, messages }),
  );
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
  consumeUntilStopped(meter, () => client.disconnect());
}

runRole(spec, { producer, consumer });
