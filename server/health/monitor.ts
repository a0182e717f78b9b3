// Keeps the latest health of the stack: polls the probes of the stack every few seconds (or on demand),
// adds the fix and links for each service, and tells listeners only when something changed.
import { serviceIds, serviceNames } from "../../lib/stack";
import type { ServiceId, ServiceStatus, StackStatus } from "../../lib/stack";
import { explainReason, fixFor, linksFor, withoutCredentials } from "./service-advice";
import type { AdviceConfig, JaegerUiCheck } from "./service-advice";

export interface ProbeResult {
  up: boolean;
  url: string;
  version?: string;
  detail?: string;
}

export type Probe = () => Promise<ProbeResult>;
export type StatusListener = (status: StackStatus) => void;

export interface HealthMonitorOptions {
  probes: Record<ServiceId, Probe>;
  config: AdviceConfig;
  checkJaegerUi: (url: string) => Promise<JaegerUiCheck>;
  intervalMs?: number;
  /** The Jaeger UI is re-checked this often while Jaeger stays up (and at once when it comes up). */
  jaegerUiRecheckMs?: number;
  now?: () => Date;
  log?: (message: string, error?: unknown) => void;
}

export interface HealthMonitor {
  start(): void;
  /** Stops polling and waits for a check in flight. */
  stop(): Promise<void>;
  /** Checks now; concurrent callers share one check. */
  refresh(): Promise<StackStatus>;
  current(): StackStatus | undefined;
  /** Calls the listener after every check that changed something; returns the unsubscribe. */
  onChange(listener: StatusListener): () => void;
}

/** The part of a status that matters to a learner: everything but the check times. */
export function statusFingerprint(status: StackStatus): string {
  return JSON.stringify(serviceIds.map((id) => ({ ...status.services[id], checkedAt: undefined })));
}

export function createHealthMonitor(options: HealthMonitorOptions): HealthMonitor {
  const { probes, config, checkJaegerUi, intervalMs = 2000, jaegerUiRecheckMs = 30_000 } = options;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((message, error) => console.error(`[health] ${message}`, error ?? ""));
  const listeners = new Set<StatusListener>();
  let latest: StackStatus | undefined;
  let lastFingerprint: string | undefined;
  let inFlight: Promise<StackStatus> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let jaegerUi: { check: JaegerUiCheck; at: number } | undefined;

  async function runProbe(id: ServiceId): Promise<ProbeResult> {
    try {
      return await probes[id]();
    } catch (error) {
      log(`probe for ${id} failed unexpectedly`, error);
      return { up: false, url: "", detail: error instanceof Error ? error.message : String(error) };
    }
  }

  async function jaegerUiFor(up: boolean, at: Date): Promise<JaegerUiCheck | undefined> {
    if (!up) {
      jaegerUi = undefined;
      return undefined;
    }
    if (!jaegerUi || at.getTime() - jaegerUi.at >= jaegerUiRecheckMs) {
      jaegerUi = { check: await checkJaegerUi(withoutCredentials(config.JAEGER_UI_URL)), at: at.getTime() };
    }
    return jaegerUi.check;
  }

  async function check(): Promise<StackStatus> {
    const results = await Promise.all(serviceIds.map(runProbe));
    const checkedAt = now();
    const jaegerUiCheck = await jaegerUiFor(results[serviceIds.indexOf("jaeger")].up, checkedAt);
    const services = Object.fromEntries(
      serviceIds.map((id, index): [ServiceId, ServiceStatus] => {
        const result = results[index];
        const status: ServiceStatus = {
          id,
          name: serviceNames[id],
          up: result.up,
          url: withoutCredentials(result.url),
          links: linksFor(id, config, { up: result.up, jaegerUi: id === "jaeger" ? jaegerUiCheck : undefined }),
          checkedAt: checkedAt.toISOString(),
        };
        if (result.version) status.version = result.version;
        if (result.detail) status.detail = result.up ? result.detail : explainReason(result.detail);
        if (!result.up) status.fix = fixFor(id, config);
        return [id, status];
      }),
    ) as Record<ServiceId, ServiceStatus>;
    return { services, checkedAt: checkedAt.toISOString() };
  }

  function publish(status: StackStatus): void {
    latest = status;
    const fingerprint = statusFingerprint(status);
    if (fingerprint === lastFingerprint) return;
    lastFingerprint = fingerprint;
    for (const listener of listeners) {
      try {
        listener(status);
      } catch (error) {
        log("a status listener failed", error);
      }
    }
  }

  function refresh(): Promise<StackStatus> {
    inFlight ??= check()
      .then((status) => {
        publish(status);
        return status;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  function scheduleNext(): void {
    if (!running) return;
    timer = setTimeout(() => {
      refresh()
        .catch((error: unknown) => log("health check failed", error))
        .finally(scheduleNext);
    }, intervalMs);
  }

  return {
    start() {
      if (running) return;
      running = true;
      refresh()
        .catch((error: unknown) => log("health check failed", error))
        .finally(scheduleNext);
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      await inFlight?.catch(() => undefined);
    },
    refresh,
    current: () => latest,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
