// Lesson 13: background jobs on a worker pool, with results reported back.
import type { Lesson } from "../schema";
import { jobsWithResults } from "../scenarios/patterns";

export const taskQueues: Lesson = {
  id: "task-queues",
  number: 13,
  kind: "lesson",
  title: "Task queues: background jobs and results",
  summary: "Hand slow work to a pool of workers through a queue, get the results back on another, and size the pool by watching the queue.",
  brokers: ["rabbitmq"],
  minutes: 15,
  intro:
    "A task queue moves slow work out of the request path: the web service puts a job on a queue and answers immediately; workers, as many as needed, take jobs and run them. Celery, Sidekiq and friends are this pattern with batteries. The result comes back later, on a results queue (or a callback, lesson 12), matched to its job by an id.",
  steps: [
    {
      id: "pool",
      title: "A pool of workers, a queue of results",
      body: `task-api submits 120 thumbnail jobs in 3 seconds. Three thumbnail-workers (prefetch 1, 80 to 120 ms a job) render them and send each result, with its \`jobId\`, to \`jobs.results\`, which task-api itself consumes.

Press **Start**. Watch \`jobs.thumbnails\` fill up faster than the pool can drain it, then empty. The check wants every worker busy and a result for every job.`,
      scenario: { yaml: jobsWithResults },
      check: {
        id: "results-back",
        kind: "all",
        label: "The pool ran every job and every result came back",
        checks: [
          { kind: "replicaMetric", label: "All three workers ran jobs", consumer: "thumbnail-worker/render", field: "acked", op: ">", value: 0, need: "all" },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "task-api collected 120 results", path: "consumers.task-api/collect-results.received", op: ">=", value: 120 },
          { kind: "queueDepth", sticky: true, label: "Jobs queued up while the pool was busy", queue: "jobs.thumbnails", op: ">=", value: 10 },
        ],
      },
      hints: ["Press Start; the run takes about 8 seconds."],
      quiz: [
        {
          id: "task-queue-why",
          prompt: "What does a task queue give a web service that renders thumbnails on upload?",
          options: [
            { text: "Faster rendering of each thumbnail" },
            { text: "Quick responses: the slow work happens later, on workers that scale separately", correct: true },
            { text: "Guaranteed ordering of uploads" },
            { text: "No need for a database" },
          ],
          explanation: "The job does not get faster; the request stops waiting for it. The web service stays responsive under load, and the worker pool is sized (and restarted, and deployed) on its own.",
        },
      ],
    },
    {
      id: "size-the-pool",
      title: "Size the pool from the queue",
      body: `Six workers instead of three (\`replicas: 6\`). **Predict** how many results task-api collects, then run it and compare how deep \`jobs.thumbnails\` gets this time.

Queue depth and queue wait are the signals for sizing a pool: a queue that keeps growing needs more workers (or faster ones); a queue that is always empty has workers to spare.`,
      solution: { patch: [{ set: "services[thumbnail-worker].replicas", value: 6 }] },
      predict: {
        prompt: "With six workers, how many results does task-api collect for its 120 jobs?",
        metric: "consumers.task-api/collect-results.received",
        options: [
          { text: "120: one result per job, however many workers", min: 120, max: 120 },
          { text: "240: twice as many workers, twice as many results", min: 240 },
          { text: "Fewer than 120", min: 0, max: 119 },
        ],
        explanation: "Each job is taken by one worker and produces one result. More workers change how fast the queue drains and how long jobs wait, not how many results there are.",
      },
      check: {
        id: "six-workers",
        kind: "all",
        label: "Six workers shared the jobs",
        checks: [
          { kind: "scenario", label: "The pool has 6 workers", path: "services[thumbnail-worker].replicas", equals: 6 },
          { kind: "replicaMetric", label: "All six workers ran jobs", consumer: "thumbnail-worker/render", field: "acked", op: ">", value: 0, need: "all" },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "task-api collected 120 results", path: "consumers.task-api/collect-results.received", op: ">=", value: 120 },
        ],
      },
      hints: ["Set `replicas: 6` on thumbnail-worker, or use Show me."],
    },
  ],
  recap: [
    "A task queue takes slow work out of the request path; workers scale on their own.",
    "Results travel back on a results queue (or a callback), matched by a job id.",
    "Size the pool from queue depth and queue wait; prefetch 1 keeps long jobs from piling up on one worker.",
  ],
};
