// Lesson scenarios for patterns built from queues and forwards: expiring messages, callbacks,
// background jobs with results, and request/reply with a correlation id and a deadline.

/** Quotes that are only worth something for 2 s: a slow consumer lets some expire into a DLQ. */
export const expiringQuotes = `# expiring-quotes: a message TTL as a timeout, and where expired messages go.
version: 1
name: expiring-quotes
description: Price quotes expire after 2 s in the queue; a slow pricing consumer lets some of them time out.

brokers:
  rabbit: { kind: rabbitmq }

resources:
  rabbit:
    exchanges:
      - { name: quotes.dlx, type: direct, durable: true }
    queues:
      - name: quotes
        type: classic
        durable: true
        messageTtl: 2s                # a quote nobody took within 2 s is stale
        deadLetter: { exchange: quotes.dlx, routingKey: quotes.expired }
      - { name: quotes.expired, type: classic, durable: true }
    bindings:
      - { exchange: quotes.dlx, queue: quotes.expired, routingKey: quotes.expired }

services:
  - name: quote-service
    producers:
      - name: quotes
        broker: rabbit
        to: { queue: quotes }
        rate: { perSecond: 20 }
        count: 100
        payload: { quoteId: "{{seq}}", price: "{{randomFloat 10 99}}" }

  - name: pricing-service
    consumers:
      - name: accept-quote
        broker: rabbit
        from: { queue: quotes }
        ack: manual
        prefetch: 1
        work: { ms: 150 }             # about 7 quotes a second against 20 arriving
`;

/** An asynchronous API: accept a request now, do the work later, call the requester back when done. */
export const reportCallbacks = `# report-callbacks: accept now, work later, call back when done.
version: 1
name: report-callbacks
description: The API gateway accepts report requests at once; workers build them and a dispatcher calls each requester back.

brokers:
  rabbit: { kind: rabbitmq }

resources:
  rabbit:
    exchanges:
      - { name: callbacks.dlx, type: direct, durable: true }
    queues:
      - { name: reports.requested, type: classic, durable: true }
      - name: callbacks.due
        type: classic
        durable: true
        deadLetter: { exchange: callbacks.dlx, routingKey: callbacks.failed }
      - { name: callbacks.failed, type: classic, durable: true }
    bindings:
      - { exchange: callbacks.dlx, queue: callbacks.failed, routingKey: callbacks.failed }

services:
  - name: api-gateway
    producers:
      - name: accept-report
        broker: rabbit
        to: { queue: reports.requested }
        rate: { perSecond: 10 }
        count: 60
        payload:
          reportId: "{{seq}}"
          callbackUrl: "https://client.example/hooks/report-ready"

  - name: report-worker
    replicas: 2
    consumers:
      - name: build-report
        broker: rabbit
        from: { queue: reports.requested }
        ack: manual
        prefetch: 1
        work: { ms: 120, jitterMs: 60 }
        forward:                       # the work is done: schedule the callback
          broker: rabbit
          to: { queue: callbacks.due }
          payload:
            reportId: "{{reportId}}"
            callbackUrl: "{{callbackUrl}}"
            status: ready

  - name: webhook-dispatcher
    consumers:
      - name: call-back
        broker: rabbit
        from: { queue: callbacks.due }
        ack: manual
        prefetch: 5
        work: { ms: 15 }               # the HTTP POST to callbackUrl
`;

/** Background jobs on a worker pool, with results sent back to the service that asked. */
export const jobsWithResults = `# jobs-with-results: a task queue, a pool of workers, and a results queue.
version: 1
name: jobs-with-results
description: task-api submits 120 thumbnail jobs; a pool of workers runs them and reports each result.

brokers:
  rabbit: { kind: rabbitmq }

resources:
  rabbit:
    queues:
      - { name: jobs.thumbnails, type: classic, durable: true }
      - { name: jobs.results, type: classic, durable: true }

services:
  - name: task-api
    producers:
      - name: submit
        broker: rabbit
        to: { queue: jobs.thumbnails }
        rate: { perSecond: 40 }
        count: 120
        payload: { jobId: "{{uuid}}", image: "img-{{seq}}.png", size: "{{pick 64 128 256}}" }
    consumers:
      - name: collect-results
        broker: rabbit
        from: { queue: jobs.results }
        ack: manual
        prefetch: 20

  - name: thumbnail-worker
    replicas: 3
    consumers:
      - name: render
        broker: rabbit
        from: { queue: jobs.thumbnails }
        ack: manual
        prefetch: 1                    # a busy worker takes no more jobs
        work: { ms: 80, jitterMs: 40 }
        forward:
          broker: rabbit
          to: { queue: jobs.results }
          payload: { jobId: "{{jobId}}", image: "{{image}}", status: done }
`;

/** Request/reply over two queues: the reply names its request by a correlation id. */
export const priceRequests = `# price-requests: request/reply over messaging.
version: 1
name: price-requests
description: cart-service asks pricing-service for prices; each reply carries the request's correlation id back.

brokers:
  rabbit: { kind: rabbitmq }

resources:
  rabbit:
    exchanges:
      - { name: rpc.dlx, type: direct, durable: true }
    queues:
      - name: rpc.price-requests
        type: classic
        durable: true
        messageTtl: 1s                 # the caller's deadline: an unanswered request expires
        deadLetter: { exchange: rpc.dlx, routingKey: rpc.timed-out }
      - { name: rpc.price-replies, type: classic, durable: true }
      - { name: rpc.timed-out, type: classic, durable: true }
    bindings:
      - { exchange: rpc.dlx, queue: rpc.timed-out, routingKey: rpc.timed-out }

services:
  - name: cart-service
    producers:
      - name: ask-price
        broker: rabbit
        to: { queue: rpc.price-requests }
        rate: { perSecond: 10 }
        count: 80
        headers:
          reply-to: rpc.price-replies
          correlation-id: "{{requestId}}"
        payload: { requestId: "{{uuid}}", sku: "{{pick BOOK-1 MUG-7 PEN-3}}" }
    consumers:
      - name: await-reply
        broker: rabbit
        from: { queue: rpc.price-replies }
        ack: manual
        prefetch: 20

  - name: pricing-service
    consumers:
      - name: quote
        broker: rabbit
        from: { queue: rpc.price-requests }
        ack: manual
        prefetch: 1
        work: { ms: 20, jitterMs: 10 }
        forward:
          broker: rabbit
          to: { queue: rpc.price-replies }
          headers: { correlation-id: "{{requestId}}" }
          payload: { requestId: "{{requestId}}", sku: "{{sku}}", price: 19.9 }
`;
