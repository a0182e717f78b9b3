// Lesson 32: Redis's two ways of messaging side by side. A subscriber down for two seconds loses
// what was published on a Pub/Sub channel meanwhile, and loses nothing when it reads a stream in a
// consumer group; then a consumer killed while it holds entries, whose pending entries another
// consumer claims (XAUTOCLAIM) once they have been idle for the stream's claimIdle.
import type { CheckOf } from "../checks";
import type { Lesson } from "../schema";
import { announcements, stuckEntries } from "../scenarios/redis";

const notifierFrom = "services[notifier].consumers[events].from";
const shopTo = "services[shop].producers[announcements].to";
// A lesson run renames its streams (orders-k3f9), so checks select them by position.
const killNotifier = { at: "4s", kill: "notifier", for: "2s" };
const finished: CheckOf<"runStatus"> = { kind: "runStatus", label: "The run has finished", is: ["finished"] };
const notifierDown: CheckOf<"replicaState"> = { kind: "replicaState", sticky: true, label: "The notifier was killed during the run", service: "notifier", state: "killed" };

export const redisPubsubStreams: Lesson = {
  id: "redis-pubsub-streams",
  number: 32,
  kind: "lesson",
  title: "Redis: Pub/Sub against Streams",
  summary: "Take a subscriber down for two seconds: a Redis Pub/Sub channel loses what was published meanwhile, a stream read by a consumer group loses nothing. Then a consumer dies holding entries, and another one claims them.",
  brokers: ["redis"],
  minutes: 20,
  intro:
    "Redis offers two quite different ways to pass messages, and the course names Redis Pub/Sub as a publish-subscribe tool. **Pub/Sub** (`PUBLISH`, `SUBSCRIBE`) keeps nothing: Redis hands a message to whoever is subscribed to the channel at that moment and forgets it. **Streams** (`XADD`, `XREADGROUP`, `XACK`) keep every entry in an append-only log; a **consumer group** remembers how far it has read, and which delivered entries are not acknowledged yet (its **pending entries list**).\n\nThe runs use the local stack's Redis. Each takes 20 to 30 seconds.",
  steps: [
    {
      id: "channel-subscriber-down",
      title: "A channel subscriber down for two seconds",
      body: `shop announces 400 orders on the channel \`order-events\`, 20 per second. The notifier subscribes to the channel and handles each announcement.

Add a fault under \`faults:\` that kills the notifier four seconds in and starts it again two seconds later: \`{ at: 4s, kill: notifier, for: 2s }\`. While it is down, nobody is subscribed to \`order-events\`.

**Predict**, then press **Start**. Redis answers each \`PUBLISH\` with the number of subscribers that got the message; when that number is 0, the message log's confirm line says that nobody was listening and the message is lost. The ledger counts those messages lost at the end of the run.`,
      scenario: { yaml: announcements },
      solution: { patch: [{ set: "faults", value: [killNotifier] }] },
      predict: {
        prompt: "The notifier is down for 2 seconds while shop announces 20 orders per second. How many of the 400 announcements never reach it?",
        metric: "ledger.lost",
        options: [
          { text: "None: Redis keeps them until the notifier subscribes again", min: 0, max: 0 },
          { text: "Some: the ones published while it was down", min: 1 },
        ],
        explanation: "A channel has no memory. PUBLISH delivers to the connections subscribed at that moment and returns how many there were; with none, the message is simply dropped. When the notifier subscribes again it only gets what is published from then on. Expect more than the 40 of the two seconds: the notifier's process takes a moment to start and subscribe again (several seconds on a busy machine), and that moment costs messages too.",
      },
      check: {
        id: "channel-loses",
        kind: "all",
        label: "Announcements published while the notifier was down were lost",
        checks: [
          notifierDown,
          finished,
          { kind: "ledger", label: "Some announcements never reached the notifier", field: "lost", op: ">", value: 0 },
        ],
      },
      hints: ["Under `faults:` add `- { at: 4s, kill: notifier, for: 2s }` (a scenario without faults needs the `faults:` line too), or use Show me.", "The ledger's lost is final once the run has finished."],
      quiz: [
        {
          id: "redis-publish-nobody",
          prompt: "A service PUBLISHes a message on a Redis channel that nobody is subscribed to. What happens to it?",
          options: [
            { text: "Redis drops it; PUBLISH returns 0, the number of subscribers that got it", correct: true },
            { text: "Redis keeps it until the first subscriber arrives" },
            { text: "PUBLISH fails with an error, so the publisher can retry" },
            { text: "Redis writes it to a stream named after the channel" },
          ],
          explanation: "Pub/Sub is fire-and-forget: nothing is stored, and the publish succeeds either way. The return value is the only sign, and a publisher that ignores it never learns that its message went nowhere.",
        },
      ],
    },
    {
      id: "stream-consumer-group",
      title: "The same outage with a stream and a consumer group",
      body: `Now send the announcements to the stream \`order-log\` instead, and let the notifier read it in a consumer group of its own:

- shop's producer: \`to: { stream: order-log }\` (an \`XADD\` per announcement)
- the notifier's consumer: \`from: { stream: order-log, group: notifier }\` (\`XREADGROUP\`, then \`XACK\` after the work)

The kill stays as it is. While the notifier is down, the entries wait in the stream, and the group's lag (entries not delivered yet) grows. When the notifier starts again it first reads its own pending entries (delivered before the kill, never acknowledged), then the new ones. **Predict**, then run it.`,
      scenario: { yaml: announcements, patch: [{ set: "faults", value: [killNotifier] }] },
      solution: { patch: [{ set: shopTo, value: { stream: "order-log" } }, { set: notifierFrom, value: { stream: "order-log", group: "notifier" } }] },
      predict: {
        prompt: "Same outage, but the announcements go to a stream the notifier reads in a consumer group. How many are lost?",
        metric: "ledger.lost",
        options: [
          { text: "None: the entries wait in the stream until the notifier reads them", min: 0, max: 0 },
          { text: "Some: a consumer that is down misses messages", min: 1 },
        ],
        explanation: "A stream is a log kept by Redis, and the group keeps its place in it. A consumer that comes back reads on from where its group was; what it had been handed and not acknowledged is still in the group's pending entries list.",
      },
      check: {
        id: "stream-keeps",
        kind: "all",
        label: "With a stream and a consumer group the outage cost nothing",
        checks: [
          { kind: "scenario", label: "The notifier reads order-log in a consumer group", path: `${notifierFrom}.group`, matches: "." },
          { kind: "scenario", label: "…and shop adds the announcements to order-log", path: `${shopTo}.stream`, matches: "^order-log" },
          notifierDown,
          finished,
          { kind: "ledger", label: "The notifier handled all 400 announcements", field: "consumed", op: ">=", value: 400 },
          { kind: "ledger", id: "stream-none-lost", label: "No announcement was lost", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: ["Change shop's `to:` to `{ stream: order-log }` and the notifier's `from:` to `{ stream: order-log, group: notifier }`, or use Show me.", "Both must change: a consumer of the stream gets nothing published on the channel."],
      quiz: [
        {
          id: "redis-streams-groups",
          prompt: "Two consumer groups, billing and shipping, read the same stream; billing has three consumers. Who gets an entry added to the stream?",
          options: [
            { text: "One consumer of billing and one consumer of shipping", correct: true },
            { text: "All four consumers" },
            { text: "Only the first consumer to ask, whatever its group" },
          ],
          explanation: "Each group gets every entry (fan-out between groups), and within a group each entry goes to one consumer (the work is shared). That is what a Pub/Sub channel cannot do: every subscriber gets every message.",
        },
      ],
    },
    {
      id: "claim-stuck-entries",
      title: "A consumer dies holding entries: claim them",
      body: `Two replicas of fulfilment read the stream \`orders\` in the group \`fulfilment\`, each working on up to 4 entries at a time. Three seconds in, replica 1 is killed and not started again. The entries it had read and not acknowledged stay in the group's pending entries list under its name: no new \`XREADGROUP\` hands them out again, because they were already delivered.

Redis's answer is claiming: \`XAUTOCLAIM orders fulfilment <consumer> <min-idle-time> 0-0\` moves pending entries that have been idle at least that long to the consumer that asks, and raises their delivery count. Brokerlab's stream consumers run it regularly with the stream's \`claimIdle\`. Here \`claimIdle\` is 10 minutes, longer than the run: the stuck entries are never claimed and the run ends with them lost.

Set \`claimIdle\` on the stream \`orders\` to \`2s\`, **predict**, and run it (20 seconds). The check reads the claims from the real system: fulfilment's redelivered count (entries it got through \`XAUTOCLAIM\`) and, in Jaeger, process spans whose \`messaging.redis.delivery_count\` (read with \`XPENDING\`) is 2.`,
      scenario: { yaml: stuckEntries },
      solution: { patch: [{ set: "resources.redis.streams[orders].claimIdle", value: "2s" }] },
      run: { durationSeconds: 20 },
      predict: {
        prompt: "With claimIdle at 2 s, how many entries does the surviving replica get through a claim?",
        metric: "consumers.fulfilment/orders.redelivered",
        options: [
          { text: "None: the entries belong to replica 1 until it comes back", min: 0, max: 0 },
          { text: "Some: the ones replica 1 held when it died", min: 1 },
        ],
        explanation: "A pending entry belongs to a consumer only until someone claims it. Once it has been idle for 2 s, the live replica's XAUTOCLAIM takes it over, works on it and acknowledges it. Its delivery count is now 2: it is a redelivery, and the work may be done twice if replica 1 had finished it without acknowledging.",
      },
      check: {
        id: "stuck-claimed",
        kind: "all",
        label: "The live replica claimed the dead one's entries and nothing was lost",
        checks: [
          { kind: "scenario", label: "orders' claimIdle is at most 5 s", path: "resources.redis.streams[0].claimIdle", op: "<=", value: 5000 },
          { kind: "replicaState", sticky: true, label: "A fulfilment replica was killed", service: "fulfilment", state: "killed" },
          finished,
          { kind: "runMetric", id: "claimed", label: "fulfilment got entries again through XAUTOCLAIM", path: "consumers.fulfilment/orders.redelivered", op: ">", value: 0 },
          { kind: "traceHasSpan", id: "delivered-twice", label: "Jaeger holds process spans of entries delivered a second time", service: "fulfilment", spanKind: "consumer", attributes: { "messaging.redis.delivery_count": 2 } },
          { kind: "ledger", id: "claim-none-lost", label: "No order was lost", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: ["Under the stream `orders`, change `claimIdle: 10m` to `claimIdle: 2s`, or use Show me.", "The claims come a few seconds after the kill; the checks are final once the run has finished."],
      quiz: [
        {
          id: "redis-claim-idle-short",
          prompt: "Why not set claimIdle to 100 ms, so that stuck entries come back at once?",
          options: [
            { text: "An entry a live but slow consumer is still working on would be claimed too, and done twice", correct: true },
            { text: "Redis refuses a min-idle-time below one second" },
            { text: "XAUTOCLAIM deletes the entries it claims" },
          ],
          explanation: "Redis cannot tell a dead consumer from a slow one: idle time is all it knows. The idle time must be longer than the work normally takes, as with SQS's visibility timeout and Pub/Sub's ack deadline; the consumer must still be idempotent for the duplicates that remain.",
        },
        {
          id: "redis-delivery-count",
          prompt: "An entry crashes every consumer that works on it. What keeps it from being claimed forever?",
          options: [
            { text: "Its delivery count: after a limit the consumer moves it to a dead-letter stream and acknowledges it", correct: true },
            { text: "Redis deletes an entry after three claims" },
            { text: "MAXLEN trims it from the stream" },
          ],
          explanation: "Each claim raises the entry's delivery count, which XPENDING shows. Redis takes no action on it; the consumer does. Brokerlab's stream consumer adds an entry delivered more than the stream's deadLetter.maxDeliveries times to the dead-letter stream and acknowledges it, without working on it again.",
        },
      ],
    },
  ],
  recap: [
    "Redis Pub/Sub keeps nothing: a subscriber that is down misses what is published meanwhile, and PUBLISH returning 0 is the only sign.",
    "A stream keeps its entries, and a consumer group keeps its place: a consumer that comes back loses nothing.",
    "Delivered entries stay in the group's pending entries list until XACK; a consumer that dies leaves them there.",
    "XAUTOCLAIM hands entries idle longer than a chosen time to a live consumer, as a redelivery with a higher delivery count: choose the idle time above the normal work time and keep consumers idempotent.",
  ],
};
