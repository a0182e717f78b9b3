// What a service process measures about its pattern parts: cumulative counters per part, the
// window's round-trip histograms, and task, request and webhook events since the last frame.
// Events are never sampled or dropped: what does not fit in one frame goes in the next.
import * as hdr from "hdr-histogram-js";
import type {
  ApiCallCounters, HttpApiCounters, PatternFrame, ProjectionStatus, ReceiverCounters, ReplierCounters, RequestOutcome,
  RequesterCounters, TaskEvent, TaskSubmitterCounters, WebhookEvent, WorkerCounters,
} from "../../../lib/run/patterns";

const perFrame = { requests: 500, tasks: 2_000, webhooks: 1_000 };

const newHistogram = () => hdr.build({ numberOfSignificantValueDigits: 3, bitBucketSize: 32, autoResize: true });
type Histogram = ReturnType<typeof newHistogram>;

export function createPatternRecorder() {
  const requesters: Record<string, RequesterCounters> = {};
  const repliers: Record<string, ReplierCounters> = {};
  const taskProducers: Record<string, TaskSubmitterCounters> = {};
  const workers: Record<string, WorkerCounters> = {};
  const apiCalls: Record<string, ApiCallCounters> = {};
  let httpApi: HttpApiCounters | undefined;
  let receiver: ReceiverCounters | undefined;
  const rtt = new Map<string, Histogram>();
  let requests: RequestOutcome[] = [];
  let taskEvents: TaskEvent[] = [];
  let webhookEvents: WebhookEvent[] = [];
  let projections: Record<string, ProjectionStatus> = {};
  let used = false;

  function part<T>(book: Record<string, T>, name: string, make: () => T): T {
    used = true;
    return (book[name] ??= make());
  }

  /** Takes up to `limit` events; the rest wait for the next frame. */
  function take<T>(events: T[], limit: number): [T[], T[]] {
    return events.length <= limit ? [events, []] : [events.slice(0, limit), events.slice(limit)];
  }

  return {
    requester: (name: string) => part(requesters, name, () => ({ sent: 0, confirmed: 0, failed: 0, replied: 0, errors: 0, timedOut: 0, late: 0, unmatched: 0, pending: 0, done: false })),
    replier: (name: string) => part(repliers, name, () => ({ received: 0, replied: 0, errors: 0, failed: 0, inFlight: 0 })),
    taskProducer: (name: string) => part(taskProducers, name, () => ({ submitted: 0, confirmed: 0, failed: 0, done: false })),
    worker: (name: string) => part(workers, name, () => ({ received: 0, started: 0, succeeded: 0, failed: 0, retried: 0, timedOut: 0, inFlight: 0 })),
    apiCall: (name: string) => part(apiCalls, name, () => ({ sent: 0, accepted: 0, rejected: 0, failed: 0, done: false })),
    httpApi: () => {
      used = true;
      return (httpApi ??= { requests: 0, accepted: 0, rejected: 0, failed: 0 });
    },
    receiver: () => {
      used = true;
      return (receiver ??= { received: 0, valid: 0, invalid: 0, failedOnPurpose: 0, duplicates: 0 });
    },
    /** A round trip in milliseconds; stored in microseconds. */
    roundTrip(requester: string, ms: number) {
      let histogram = rtt.get(requester);
      if (!histogram) rtt.set(requester, (histogram = newHistogram()));
      if (Number.isFinite(ms)) histogram.recordValue(Math.max(0, Math.round(ms * 1000)));
    },
    request(outcome: RequestOutcome) {
      requests.push(outcome);
    },
    task(event: TaskEvent) {
      used = true;
      taskEvents.push(event);
    },
    webhook(event: WebhookEvent) {
      used = true;
      webhookEvents.push(event);
    },
    projection(name: string, status: ProjectionStatus) {
      used = true;
      projections[name] = status;
    },
    /** This window's pattern data, or undefined when the process has no pattern parts. */
    frame(): PatternFrame | undefined {
      if (!used) return undefined;
      const windows: Record<string, string> = {};
      for (const [name, histogram] of rtt) {
        if (histogram.totalCount === 0) continue;
        windows[name] = hdr.encodeIntoCompressedBase64(histogram);
        histogram.reset();
      }
      let sentRequests: RequestOutcome[];
      let sentTasks: TaskEvent[];
      let sentWebhooks: WebhookEvent[];
      [sentRequests, requests] = take(requests, perFrame.requests);
      [sentTasks, taskEvents] = take(taskEvents, perFrame.tasks);
      [sentWebhooks, webhookEvents] = take(webhookEvents, perFrame.webhooks);
      const frame: PatternFrame = {
        ...(Object.keys(requesters).length ? { requesters: structuredClone(requesters) } : {}),
        ...(Object.keys(windows).length ? { rtt: windows } : {}),
        ...(sentRequests.length ? { requests: sentRequests } : {}),
        ...(Object.keys(repliers).length ? { repliers: structuredClone(repliers) } : {}),
        ...(Object.keys(taskProducers).length ? { taskProducers: structuredClone(taskProducers) } : {}),
        ...(Object.keys(workers).length ? { workers: structuredClone(workers) } : {}),
        ...(sentTasks.length ? { taskEvents: sentTasks } : {}),
        ...(httpApi ? { httpApi: { ...httpApi } } : {}),
        ...(Object.keys(apiCalls).length ? { apiCalls: structuredClone(apiCalls) } : {}),
        ...(receiver ? { receiver: { ...receiver } } : {}),
        ...(sentWebhooks.length ? { webhookEvents: sentWebhooks } : {}),
        ...(Object.keys(projections).length ? { projections } : {}),
      };
      projections = {};
      return frame;
    },
  };
}

export type PatternRecorder = ReturnType<typeof createPatternRecorder>;
