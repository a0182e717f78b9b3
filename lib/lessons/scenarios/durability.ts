// Lesson scenario on durability: orders pile up in a queue on the lesson broker (a RabbitMQ node of
// its own, which only lessons restart), and the broker is stopped and started while they wait.
// order-service publishes faster than fulfilment-service works, so a backlog is waiting in the
// queue when the broker stops: what survives the restart is what the queue and messages were
// declared to keep. The lesson broker starts on the first run that needs it (about 20 s).

/** The lesson broker's endpoints (BROKERLAB_LESSON_RABBITMQ_URL and _MANAGEMENT_URL's defaults). */
export const lessonBrokerUrl = "amqp://guest:guest@127.0.0.1:5673";
export const lessonBrokerManagementUrl = "http://guest:guest@127.0.0.1:15673";

/** Transient queue, transient messages, no confirms; the lesson's first step starts without the restart, the later steps make each setting durable in turn. */
export const ordersAcrossRestart = `# orders-across-restart: a backlog of orders waiting in a queue when the broker restarts.
version: 1
name: orders-across-restart
description: 400 orders at 100/s into a queue that fulfilment-service drains at about 40/s, and a broker restart while the backlog waits.

brokers:
  # The lesson broker: a RabbitMQ node of its own, so stopping it touches no other run.
  rabbit: { kind: rabbitmq, url: "${lessonBrokerUrl}", managementUrl: "${lessonBrokerManagementUrl}" }

resources:
  rabbit:
    queues:
      - { name: orders, durable: false }   # transient: the queue itself is gone after a restart

services:
  - name: order-service
    producers:
      - name: orders
        broker: rabbit
        to: { queue: orders }
        rate: { perSecond: 100 }
        count: 400
        startAfter: 1s
        persistent: false     # delivery mode 1: kept in memory only
        confirm: false        # no answer from the broker is awaited

  - name: fulfilment-service
    consumers:
      - name: ship
        broker: rabbit
        from: { queue: orders }
        ack: manual
        prefetch: 10
        work: { ms: 25 }

faults:
  # A clean stop (like a reboot or an upgrade), then a start; the run declares its queues again.
  - { at: 5s, stopBroker: rabbit, for: 3s }
`;
