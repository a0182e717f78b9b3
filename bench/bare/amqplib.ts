// The bare amqplib reference for workload 1: what a careful engineer writes without Brokerlab.
// producer: confirm channel, at most `window` unconfirmed, waits for 'drain', persistent messages
// to the default exchange; consumer: prefetch, manual ack of every message.
import amqp from "amqplib";
import { createMeter, createPacer, emit, preciseNow, readSpec, sentAtHeader } from "./common";

const spec = readSpec();

async function producer(): Promise<void> {
  const connection = await amqp.connect(spec.url);
  const channel = await connection.createConfirmChannel();
  const body = Buffer.alloc(spec.size, "x");
  let inFlight = 0;
  let confirmed = 0;
  let published = 0;
  let wake: (() => void) | undefined;
  const changed = () => new Promise<void>((resolve) => (wake = resolve));
  const signal = () => { const w = wake; wake = undefined; w?.(); };
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
    const written = channel.publish("", spec.destination, body, { persistent: true, headers: { [sentAtHeader]: preciseNow() } }, (error) => {
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
  emit("ready");
  process.once("SIGTERM", () => {
    emit("result", meter.result());
    void channel.deleteQueue(spec.destination).catch(() => {}).then(() => connection.close()).finally(() => process.exit(0));
  });
}

void (spec.role === "producer" ? producer() : consumer()).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
