// Lesson 2: competing consumers on one queue; prefetch decides between fair and round-robin dispatch.
import type { Lesson } from "../schema";

const worker = "services[worker].consumers[process]";

export const workQueues: Lesson = {
  id: "work-queues",
  number: 2,
  kind: "lesson",
  title: "Work queues and competing consumers",
  summary: "Three workers share one queue of jobs: each job goes to exactly one of them. Prefetch decides whether the work is dealt out fairly or blindly.",
  brokers: ["rabbitmq"],
  minutes: 15,
  intro:
    "Put several consumers on one queue and they compete: RabbitMQ gives each message to one of them. That is how a work queue scales: more workers, more throughput, never more copies. How evenly the work spreads depends on the prefetch count, the number of unacknowledged messages a worker may hold.",
  steps: [
    {
      id: "compete",
      title: "Three workers, one queue",
      body: `task-api submits 300 jobs of very different lengths (10 to 110 ms) to the queue \`jobs\`. The service \`worker\` runs three replicas: three processes, three competing consumers, each with \`prefetch: 1\`.

Press **Start**. The check wants all three workers to have taken jobs, all 300 jobs done, none of them twice in this run, and nothing lost. (Delivery is still at-least-once, as in lesson 1: a worker that died between the work and its ack would have a job done again.)`,
      scenario: { example: "work-queue" },
      check: {
        id: "workers-share",
        kind: "all",
        label: "Three workers shared 300 jobs, each done once",
        checks: [
          { kind: "replicaMetric", label: "Every worker received jobs", consumer: "worker/process", field: "received", op: ">", value: 0, need: "all" },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "300 jobs were acknowledged", path: "consumers.worker/process.acked", op: ">=", value: 300 },
          { kind: "ledger", label: "No job was done twice", field: "duplicated", op: "==", value: 0 },
          { kind: "ledger", label: "No job was lost", field: "lost", op: "==", value: 0 },
        ],
      },
      hints: ["Press Start; the run lasts about 10 seconds.", "The per-replica counts appear in the run's report once it ends."],
      quiz: [
        {
          id: "competing-copies",
          prompt: "Three consumers read the same queue. A message is published. How many of them get it?",
          options: [
            { text: "All three" },
            { text: "Exactly one", correct: true },
            { text: "The one that subscribed first, always" },
            { text: "None until all three acknowledge" },
          ],
          explanation: "Consumers of one queue compete: each message is delivered to one of them. It goes to another only if the first gives it back: a nack or reject with requeue, or its channel or connection closing with the message unacknowledged. A consumer that simply never acknowledges keeps the message, and RabbitMQ waits (until its consumer timeout, 30 minutes by default, closes the channel). To give every consumer a copy, give each its own queue, bound to an exchange: that is publish/subscribe (lesson 6).",
        },
      ],
    },
    {
      id: "round-robin",
      title: "Prefetch 100: round-robin, blind to speed",
      body: `Set \`prefetch: 100\` on the worker's consumer. Now RabbitMQ may push up to 100 jobs into each worker before hearing back. It deals them out in turn as they arrive, whether a worker is busy or not.

Run it. With 300 jobs the three workers get exactly a third each, however long their jobs take: the queue looks empty while each worker sits on a private backlog. With prefetch 1, a worker stuck on a long job was simply skipped: **fair dispatch**.`,
      solution: { patch: [{ set: `${worker}.prefetch`, value: 100 }] },
      check: {
        id: "even-thirds",
        kind: "all",
        label: "Each worker was dealt a third of the jobs",
        checks: [
          { kind: "scenario", label: "The run uses prefetch 100", path: `${worker}.prefetch`, op: ">=", value: 50 },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "replicaMetric", label: "Every worker received at least 95 jobs", consumer: "worker/process", field: "received", op: ">=", value: 95, need: "all" },
          { kind: "replicaMetric", label: "…and at most 105", consumer: "worker/process", field: "received", op: "<=", value: 105, need: "all" },
        ],
      },
      hints: ["Change `prefetch: 1` to `prefetch: 100` under the worker's consumer, or use Show me."],
      quiz: [
        {
          id: "fair-dispatch",
          prompt: "Why does prefetch 1 spread uneven jobs better than prefetch 100?",
          options: [
            { text: "RabbitMQ then measures each worker's speed" },
            { text: "A worker only gets the next job when it has acknowledged the last one, so busy workers are skipped", correct: true },
            { text: "It makes every job equally long" },
            { text: "It turns on a priority queue" },
          ],
          explanation: "The broker does not know how fast a worker is; it only knows how many unacknowledged messages the worker holds. With a limit of 1, a worker is eligible again only when it has finished, so the work flows to whoever is free. Bigger prefetch means better throughput on fast, uniform jobs, and worse balance on slow, uneven ones.",
        },
      ],
    },
    {
      id: "scale-out",
      title: "Scale out",
      body: `Back to \`prefetch: 1\`, and give the worker service five replicas (\`replicas: 5\`). **Predict** how many jobs are received in total across the five workers, then run it.

Scaling a work queue is just adding consumers: no change to the producer, no change to the queue.`,
      solution: { patch: [{ set: `${worker}.prefetch`, value: 1 }, { set: "services[worker].replicas", value: 5 }] },
      predict: {
        prompt: "Five workers share the queue of 300 jobs. How many jobs are received, summed over all five?",
        metric: "consumers.worker/process.received",
        options: [
          { text: "300: each job goes to exactly one worker", min: 300, max: 300 },
          { text: "More than 300: workers get copies", min: 301 },
          { text: "Fewer than 300: some workers wait for others", min: 0, max: 299 },
        ],
        explanation: "Competing consumers never multiply messages: 300 jobs, 300 deliveries, spread over however many workers there are. Only the time it takes and the per-worker share change.",
      },
      check: {
        id: "five-workers",
        kind: "all",
        label: "Five workers shared the jobs",
        checks: [
          { kind: "scenario", label: "The run has 5 workers", path: "services[worker].replicas", equals: 5 },
          { kind: "scenario", label: "…each with prefetch 1 again", path: `${worker}.prefetch`, equals: 1 },
          { kind: "replicaMetric", label: "Every worker received jobs", consumer: "worker/process", field: "received", op: ">", value: 0, need: "all" },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "300 jobs were acknowledged", path: "consumers.worker/process.acked", op: ">=", value: 300 },
        ],
      },
      hints: ["Set `replicas: 5` on the worker service and `prefetch: 1` on its consumer, or use Show me."],
    },
    {
      id: "first-trace",
      title: "A first look at one job's trace",
      body: `The counters say how many jobs went through; a **trace** shows what happened to one of them. Every message Brokerlab sends carries a small trace context in its headers. task-api records a PRODUCER span when it publishes a job, the worker that takes the job records a CONSUMER span, and both go to Jaeger under the same trace id, so the two halves of one job's trip can be put back together although the services never talk to each other.

Press **Start** (the five workers from the last step are fine). When the run has finished, open a job's trace: **Open in the lab →** below the run, click a job in the message log, then **Open its trace** (or **This run in Jaeger ↗**, where Jaeger's own page is available). You see task-api's PRODUCER span (\`publish\`), then, a little later, one worker's CONSUMER span (\`jobs process\`). Its attributes name the queue, how the job was settled (\`brokerlab.settlement: ack\`) and whether it was redelivered (\`brokerlab.redelivered\`); its process's \`service.instance.id\` (worker-0 to worker-4) names the replica that took it.

The check asks Jaeger for this run's traces and wants one that holds both services, with the PRODUCER span and the CONSUMER span. From lesson 3 on, checks read traces like this one; lesson 15 goes further.`,
      check: {
        id: "job-trace",
        kind: "all",
        label: "Jaeger holds a job's trace from task-api to a worker",
        checks: [
          { kind: "traceHasSpan", sticky: true, label: "task-api's PRODUCER spans are in Jaeger", service: "task-api", spanKind: "producer" },
          { kind: "traceHasSpan", sticky: true, label: "The workers' CONSUMER spans are in Jaeger", service: "worker", spanKind: "consumer" },
          { kind: "traceCrosses", sticky: true, label: "One trace holds both task-api and a worker", services: ["task-api", "worker"] },
        ],
      },
      hints: ["Press Start; spans reach Jaeger a second or two after the messages.", "In the lab, the message log lists the run's messages; a message's flight recorder has the Open its trace button."],
      quiz: [
        {
          id: "trace-gap",
          prompt: "In one job's trace, task-api's PRODUCER span ends and the worker's CONSUMER span starts a little later. What is the gap between them?",
          options: [
            { text: "The time the worker spent on the job" },
            { text: "The time the job spent in RabbitMQ, mostly waiting in the queue `jobs` for a worker", correct: true },
            { text: "The time Jaeger took to receive the spans" },
            { text: "Nothing: the clocks of the two processes differ" },
          ],
          explanation: "The PRODUCER span covers the publish; the CONSUMER span starts when a worker's client hands it the job. In between the job was in the broker: in the queue until a worker with room under its prefetch took it. A long gap in a trace is time spent waiting in a queue, which is how lesson 15 finds a slow service.",
        },
      ],
    },
  ],
  recap: [
    "Competing consumers on one queue share the messages: each goes to one consumer.",
    "Prefetch 1 with manual acks gives fair dispatch: work goes to whoever is free.",
    "A large prefetch deals messages out round-robin, fast but blind to how busy a worker is.",
    "Scaling out a work queue means adding consumers; the producer does not change.",
    "A trace puts the PRODUCER span of a message and the CONSUMER span of whoever took it together, across services that never call each other; the gap between them is time in the broker.",
  ],
};
