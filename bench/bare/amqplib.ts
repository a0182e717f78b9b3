// The bare amqplib reference for workload 1: what a careful engineer writes without Brokerlab.
// producer: confirm channel, at most `window` unconfirmed, waits for 'drain', persistent messages
// to the default exchange; consumer: prefetch, manual ack of every message.
import amqp from "amqplib";
import { consumeUntilStopped, createMeter, createPacer, createWaker, emit, messageHeaders, preciseNow, readSpec, runRole, sentAtHeader } from "./common";

const spec = readSpec();
const headers = messageHeaders();

async function producer(): Promise<void> {
  const connection = await amqp.connect(spec.url);
  const channel = await connection.createConfirmChannel();
  const body = Buffer.alloc(spec.size, "x");
  let inFlight = 0;
  let confirmed = 0;
  let published = 0;
  const { changed, signal } = createWaker();
  let blocked = false;
  channel.on("drain", () => { blocked = false; signal(); });
  const pace = createPacer(spec.rate);
  emit("started", { at: Date.now() });
  const end = Date.now() + spec.durationMs;
  while (Date.now() < end) {
    if (blocked || inFlight >= spec.window) {
      await changed();
      continue;
    }
    inFlight += 1;
    published += 1;
    const written = channel.publish("", spec.destination, body, { persistent: true, headers: headers(preciseNow()) }, (error) => {
      inFlight -= 1;
      if (!error) confirmed += 1;
      signal();
    });
    if (!written) blocked = true;
    await pace();
  }
  await channel.waitForConfirms().catch(() => {});
  emit("result", { published, confirmed });
  await connection.close();
}

async function consumer(): Promise<void> {
  const connection = await amqp.connect(spec.url);
  const channel = await connection.createChannel();
  await channel.assertQueue(spec.destination, { durable: true });
  if (spec.prefetch > 0) await channel.prefetch(spec.prefetch);
  const meter = createMeter();
  await channel.consume(spec.destination, (message) => {
    if (!message) return;
    const sentAt = message.properties.headers?.[sentAtHeader] as number | undefined;
    meter.record(sentAt);
    channel.ack(message);
  });
  consumeUntilStopped(meter, () => channel.deleteQueue(spec.destination).catch(() => {}).then(() => connection.close()));
}

runRole(spec, { producer, consumer });
