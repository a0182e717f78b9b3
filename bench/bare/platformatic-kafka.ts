// The bare @platformatic/kafka variant of workload 2: the same pair as bare/kafkajs.ts, written
// with @platformatic/kafka's own API. producer: acks=all (ProduceAcks.ALL), batches of up to 500
// with at most `window` messages unacknowledged; consumer: a group member reading a message
// stream from the committed offset (the earliest without one, like kafkajs' fromBeginning) with
// the library's default autocommit, which commits once per fetch after its messages are
// delivered: the 'data' handler below runs for each of them first, as kafkajs' default commits
// after each batch.
import {
  Consumer,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  ProduceAcks,
  Producer,
  stringDeserializer,
  stringSerializer,
  type MessageToProduce,
} from "@platformatic/kafka";
import { consumeUntilStopped, createMeter, messageHeaders, preciseNow, produceInBatches, readSpec, runRole, sentAtHeader } from "./common";

const spec = readSpec();
const headers = messageHeaders();
const client = { clientId: `bench-bare-${spec.role}`, bootstrapBrokers: spec.url.split(",") };

async function producer(): Promise<void> {
  // Values are Buffers (the default, no serialiser); the send-time header is a string.
  const kafka = new Producer<Buffer, Buffer, string, string>({
    ...client,
    acks: ProduceAcks.ALL,
    autocreateTopics: false,
    serializers: { headerKey: stringSerializer, headerValue: stringSerializer },
  });
  // The client connects on first use: connect and load the topic's metadata before the clock starts.
  await kafka.metadata({ topics: [spec.destination] });
  const value = Buffer.alloc(spec.size, "x");
  await produceInBatches(
    spec,
    (): MessageToProduce<Buffer, Buffer, string, string> => ({ topic: spec.destination, value, headers: headers(preciseNow().toFixed(3)) }),
    (messages) => kafka.send({ messages }),
  );
  await kafka.close();
}

async function consumer(): Promise<void> {
  const kafka = new Consumer<Buffer, Buffer, string, string>({
    ...client,
    groupId: spec.group,
    maxWaitTime: 500,
    deserializers: { headerKey: stringDeserializer, headerValue: stringDeserializer },
  });
  const meter = createMeter();
  // Resolves once the consumer has joined the group and has its assignment.
  const stream = await kafka.consume({
    topics: [spec.destination],
    mode: MessagesStreamModes.COMMITTED,
    fallbackMode: MessagesStreamFallbackModes.EARLIEST,
    autocommit: true,
  });
  stream.on("data", (message) => meter.record(Number(message.headers.get(sentAtHeader))));
  stream.on("error", (error) => {
    process.stderr.write(`consumer stream: ${error.stack ?? error.message}\n`);
    process.exit(1);
  });
  consumeUntilStopped(meter, () => stream.close().then(() => kafka.close()));
}

runRole(spec, { producer, consumer });
