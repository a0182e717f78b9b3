// Lesson scenarios on Redis: the same order announcements over a Pub/Sub channel and over a stream
// read by a consumer group, with the subscriber down for two seconds; and a stream whose consumer
// dies while it holds entries, which stay in the group's pending entries list until another
// consumer claims them (XAUTOCLAIM) once they have been idle for the stream's claimIdle.

/** shop publishes 400 announcements at 20/s (20 s) on a channel; the notifier subscribes. No fault yet. */
export const announcements = `# order-announcements: fire-and-forget announcements on a Redis Pub/Sub channel.
version: 1
name: order-announcements
description: shop announces 400 orders at 20 per second; the notifier hears them on a Redis channel or reads them from a stream.

brokers:
  redis: { kind: redis }

resources:
  redis:
    channels:
      - name: order-events
    streams:
      - name: order-log        # the same announcements, kept: used once the notifier reads a stream
        maxLen: 10000

services:
  - name: shop
    producers:
      - name: announcements
        broker: redis
        to: { channel: order-events }
        rate: { perSecond: 20 }
        count: 400
        startAfter: 2s         # the notifier has subscribed by then
        payload:
          orderId: "{{uuid}}"

  - name: notifier
    consumers:
      - name: events
        broker: redis
        from: { channel: order-events }
        work: { ms: 5 }
`;

/** Two fulfilment replicas share a stream; replica 1 is killed for good while it holds entries. */
export const stuckEntries = `# stuck-entries: a consumer of a Redis stream dies holding entries.
version: 1
name: stuck-entries
description: Two replicas of fulfilment share the stream orders in the group fulfilment; one is killed while it works, and what it held stays pending.

brokers:
  redis: { kind: redis }

resources:
  redis:
    streams:
      - name: orders
        maxLen: 10000
        claimIdle: 10m         # how long an entry must sit unacknowledged before another consumer may claim it

services:
  - name: shop
    producers:
      - name: orders
        broker: redis
        to: { stream: orders }
        rate: { perSecond: 20 }
        count: 100
        startAfter: 1s
        payload:
          orderId: "{{uuid}}"

  - name: fulfilment
    replicas: 2
    consumers:
      - name: orders
        broker: redis
        from: { stream: orders, group: fulfilment }
        concurrency: 4
        work: { ms: 300 }      # each replica holds up to 4 entries at a time

faults:
  # Replica 1 dies for good (no start follows): the entries it had read and not acknowledged are stuck.
  - { at: 3s, kill: fulfilment, replica: 1 }
`;
