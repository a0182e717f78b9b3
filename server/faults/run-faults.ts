// Everything a run needs for faults, in one piece the engine holds: the timeline, the link proxies
// (started before the services, so every link can be degraded later), the fault controller, and
// the dead-letter watch. run.ts only wires it in.
import { AppError } from "../../lib/errors";
import type { FaultRequest } from "../../lib/run/events";
import type { MessageEvent, ResolvedBroker } from "../../lib/run/ipc";
import type { ActiveFault, TimelineEntry } from "../../lib/run/model";
import type { Scenario } from "../../lib/scenario/schema";
import type { BrokerAdmins } from "../engine/broker-stats";
import type { ReplicaSupervisor } from "../engine/supervisor";
import { createStackLifecycle } from "./broker-control";
import type { BrokerLifecycle } from "./broker-control";
import { createFaultController } from "./controller";
import type { FaultController, FaultOutcome } from "./controller";
import { createDeadLetterWatch } from "./dead-letters";
import { createLinkProxies } from "./link-proxies";
import { createProducerProgress } from "./producer-progress";
import type { LinkProxies } from "./link-proxies";
import { createTimeline } from "./timeline";

export interface RunFaultOptions {
  /** Route every service↔broker link through a fault proxy (default true). */
  linkProxies?: boolean;
  /** How brokers are stopped and started (default: the stack command). */
  lifecycle?: BrokerLifecycle;
}

export interface RunFaultDeps {
  runId: string;
  scenario: Scenario;
  brokers: Record<string, ResolvedBroker>;
  admins: BrokerAdmins;
  replicas(): ReplicaSupervisor[];
  /** Ledger: ids a fault published and the broker confirmed. */
  confirmed(ids: string[]): void;
  /** Flight recorder: events the broker side shows (dead-letter queues). */
  record(events: MessageEvent[]): void;
  /** Declares a broker's resources again, after a start of a broker that forgets them on restart. */
  redeclare?(broker: string): Promise<void>;
}

export function createRunFaults(deps: RunFaultDeps, options: RunFaultOptions = {}) {
  const timeline = createTimeline();
  const deadLetters = createDeadLetterWatch(deps.scenario, deps.runId, deps.admins, deps.record);
  const progress = createProducerProgress((service) => deps.scenario.services.find((s) => s.name === service)?.replicas ?? 0);
  let links: LinkProxies | undefined;
  let controller: FaultController | undefined;

  function apply(request: FaultRequest): Promise<FaultOutcome> {
    if (!controller) return Promise.reject(new AppError("CONFLICT", "The run has not started yet; faults apply to a running run."));
    return controller.apply(request);
  }

  return {
    timeline,
    /** Starts the link proxies (after resources exist: Kafka's advertised addresses are read then) and the controller. */
    async prepare(): Promise<void> {
      if (options.linkProxies !== false) {
        links = await createLinkProxies(deps.scenario, deps.brokers, (broker) => deps.admins.get(broker)?.advertisedAddresses?.() ?? Promise.resolve([]));
      }
      controller = createFaultController({ ...deps, links, lifecycle: options.lifecycle ?? createStackLifecycle(), timeline });
    },
    /** The brokers a service's processes connect to: through its links' proxies. */
    brokersFor: (service: string): Record<string, ResolvedBroker> => links?.brokersFor(service) ?? deps.brokers,
    /** Ids the broker confirmed, so a restarted replica's producers continue after them. */
    confirmed: (ids: readonly string[]) => progress.confirmed(ids),
    resumeFor: (service: string, replica: number) =>
      progress.resume(service, replica, deps.scenario.services.find((s) => s.name === service)?.producers.map((p) => p.name) ?? []),
    linkStats: (service: string, broker: string) => links?.stats(service, broker),
    apply,
    /** A fault from the scenario's timeline: failures land on the timeline, never fail the run. */
    scheduled(request: FaultRequest, note: (line: string) => void): Promise<void> {
      return apply(request).then(
        () => undefined,
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          timeline.add("error", request.action, `the fault failed: ${message}`);
          note(`fault ${request.action}: ${message}`);
        },
      );
    },
    replicaReady: (service: string, replica: number) => controller?.replicaReady(service, replica),
    active: (): ActiveFault[] => controller?.active() ?? [],
    frameFields: (): { activeFaults: ActiveFault[]; timeline: TimelineEntry[] } => ({ activeFaults: controller?.active() ?? [], timeline: timeline.entries(200) }),
    pollDeadLetters: () => deadLetters.poll(),
    /** Ends what the faults changed (a stopped broker is started again), reads the dead-letter queues once more, closes the proxies. */
    async dispose(): Promise<void> {
      await controller?.dispose();
      await deadLetters.poll().catch(() => {});
    },
    async closeLinks(): Promise<void> {
      await links?.close();
    },
  };
}

export type RunFaults = ReturnType<typeof createRunFaults>;
