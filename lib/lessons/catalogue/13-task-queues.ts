// Lesson 13: background jobs on a worker pool, with time limits, retries and stored results.
import type { Lesson } from "../schema";

const pool = "services[worker].workers[pool]";
const tasks = "patterns.tasks";

export const taskQueues: Lesson = {
  id: "task-queues",
  number: 13,
  kind: "lesson",
  title: "Task queues: background jobs and results",
  summary: "Hand slow work to a pool of workers through a queue: time limits, retries with backoff, stored results. Then shrink the pool and watch the wait grow.",
  brokers: ["rabbitmq"],
  minutes: 15,
  intro:
    "A task queue moves slow work out of the request path: the web app submits a task (a job name and its arguments) and answers at once; a pool of workers takes tasks off the queue, a few at a time each. An attempt that fails or runs past its time limit is retried after a backoff, up to a limit; then the task is marked failed. The result of a finished task is stored where the submitter can look it up. Celery, Sidekiq and RQ are this pattern with batteries, each with its own defaults for what a crash does to a running task (the last step's question).",
  steps: [
    {
      id: "pool",
      title: "A pool of workers",
      body: `web-app submits 120 tasks of three kinds (resize-image, send-email, build-report) to the queue \`jobs\`. Three worker processes, each running two tasks at a time, work through them. send-email fails 20 % of its attempts (a flaky mail server) and build-report sometimes runs past its 500 ms limit; both are retried up to twice, after 200 and 500 ms.

Press **Start**. The task table in the run panel counts tasks by state, like a task-queue dashboard, and each finished task shows its stored result (Brokerlab's result store plays Celery's result backend). The check wants every task finished, retries to have happened, and a stored result for nearly every task, each stored once.`,
      scenario: { example: "task-queue" },
      check: {
        id: "tasks-done",
        kind: "all",
        label: "The pool finished every task, retrying the failures",
        checks: [
          { kind: "runMetric", label: "120 tasks were submitted", path: `${tasks}.total`, op: ">=", value: 120 },
          { kind: "runMetric", label: "Failed attempts were retried", path: `${tasks}.workers.worker/pool.retried`, op: ">", value: 0 },
          { kind: "runMetric", label: "At least 110 tasks succeeded", path: `${tasks}.counts.succeeded`, op: ">=", value: 110 },
          { kind: "runMetric", label: "…and at least 110 results are in the result store", path: `${tasks}.results.stored`, op: ">=", value: 110 },
          { kind: "runMetric", label: "…none of them stored twice", path: `${tasks}.results.repeated`, op: "==", value: 0 },
          { kind: "runStatus", label: "The run has finished: no task is left pending", is: ["finished"] },
        ],
      },
      hints: ["Press Start; the run takes about 8 seconds."],
      quiz: [
        {
          id: "task-queue-why",
          prompt: "What does a task queue give a web app that renders thumbnails on upload?",
          options: [
            { text: "Faster rendering of each thumbnail" },
            { text: "Quick responses: the slow work happens later, on workers that scale separately", correct: true },
            { text: "Guaranteed ordering of uploads" },
            { text: "No need for a database" },
          ],
          explanation: "The job does not get faster; the request stops waiting for it. The web app stays responsive under load, and the worker pool is sized, restarted and deployed on its own.",
        },
      ],
    },
    {
      id: "size-the-pool",
      title: "One worker, one task at a time",
      body: `Shrink the pool to one process (\`replicas: 1\` on the worker service) running one task at a time (\`concurrency: 1\`). The tasks still arrive in 3 seconds; now they are worked off one by one.

**Predict** how long the longest-waiting task waits before a worker starts it, then run it. The wait (submitted → started) is the signal for sizing a pool: when it keeps growing, add workers.`,
      solution: { patch: [{ set: "services[worker].replicas", value: 1 }, { set: `${pool}.concurrency`, value: 1 }] },
      predict: {
        prompt: "One worker, one task at a time, 120 tasks submitted in 3 seconds. How long does the longest-waiting task wait before it starts?",
        metric: `${tasks}.waitMs.max`,
        options: [
          { text: "Under a second: tasks start as they arrive", min: 0, max: 999 },
          { text: "One to five seconds", min: 1000, max: 4999 },
          { text: "More than five seconds: the queue holds the backlog", min: 5000 },
        ],
        explanation: "Together the 120 tasks need well over ten seconds of work, while they all arrive within three. One worker can only start the next task when the last is done, so the queue holds the backlog and the last tasks wait many seconds. Waiting time, not the work itself, is what a bigger pool removes.",
      },
      check: {
        id: "waits-grew",
        kind: "all",
        label: "With one worker, tasks queued up and waited",
        checks: [
          { kind: "scenario", label: "The pool has one process", path: "services[worker].replicas", equals: 1 },
          { kind: "scenario", label: "…running one task at a time", path: `${pool}.concurrency`, equals: 1 },
          { kind: "queueDepth", sticky: true, label: "Tasks queued up in jobs", queue: "jobs", op: ">=", value: 30 },
          { kind: "runStatus", label: "The run has finished", is: ["finished"] },
          { kind: "runMetric", label: "The longest wait was over 3 seconds", path: `${tasks}.waitMs.max`, op: ">", value: 3000 },
        ],
      },
      hints: ["Set `replicas: 1` on the worker service and `concurrency: 1` on its pool, or use Show me."],
      quiz: [
        {
          id: "task-idempotent",
          prompt: "Brokerlab's workers acknowledge a task after running it. One is killed after finishing a task but before acknowledging it. What happens, and what follows for task handlers?",
          options: [
            { text: "The task is lost; handlers must save their progress" },
            { text: "The task runs again on another worker; handlers should be idempotent", correct: true },
            { text: "RabbitMQ marks the task done; nothing follows" },
            { text: "The submitter is told to resubmit it" },
          ],
          explanation: "An unacknowledged task goes back to the queue and another worker runs it again: at-least-once. Sending the e-mail twice is the classic result; make handlers safe to repeat (check whether the work is already done, or key it by task id). Real task queues differ here, so check yours: Celery acknowledges a task when a worker takes it, before running it, unless the task sets acks_late, so by default a crash loses the running task instead; Sidekiq's open-source edition also loses the jobs a crashed process was running (its paid editions fetch reliably and put them back).",
        },
      ],
    },
  ],
  recap: [
    "A task queue takes slow work out of the request path; the pool (replicas × concurrency) scales on its own.",
    "Give each attempt a time limit, retry failures with backoff up to a limit, then mark the task failed.",
    "Results are stored by task id for the submitter to look up (or reported with a callback, lesson 12).",
    "Size the pool from the wait before tasks start; with ack-after-run (Celery's acks_late) a task can run twice, so make handlers idempotent; with ack-before-run (Celery's default, open-source Sidekiq) a crash loses the running task.",
  ],
};
