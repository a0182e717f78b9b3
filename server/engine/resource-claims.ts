// The broker resources each active run of this server uses, so that two runs never silently share
// a queue, topic, exchange or consumer group: a run that would is refused before any broker is
// touched, with the other run and the resource named.
import type { ResolvedBroker } from "../../lib/run/ipc";
import type { UsedResource } from "../brokers/driver";
import { driverOf } from "../brokers/registry";
import { claimPath } from "./claim-paths";
import { withDerivedResources } from "../../lib/scenario/derived";
import type { Scenario } from "../../lib/scenario/schema";
import { resolveBrokers, type EngineContext } from "./context";
import { RunError } from "./run";

export interface ResourceClaim {
  /** The broker's address, the kind and the name: the same resource for any scenario that names it. */
  key: string;
  /** How the scenario names it, for messages: `queue "orders" on broker rabbit`. */
  what: string;
  kind: UsedResource["kind"];
  name: string;
  /** Where the scenario as written names it (`resources.rabbit.queues[0].name`), for the lab to point at. */
  path: string;
  /** Marked `existing: true`: the run neither declares nor deletes it. */
  attachOnly: boolean;
  /** A queue the run's consumers (or repliers and workers) take messages from. */
  consumed?: boolean;
}

/**
 * Two claims on one resource clash when both runs would declare (and so delete) it, when both
 * consume from one queue (each would take the other's messages), or on one consumer group. A run
 * that only attaches beside one that declares is how a new reader joins a live log, or another
 * program publishes into a run's queue. A Redis channel keeps nothing and is never deleted: it
 * clashes only when a run subscribes to it (its subscribers would hear the other run's messages).
 * The rules and their reasons: docs/isolation.md.
 */
export function clash(a: ResourceClaim, b: ResourceClaim): boolean {
  if (a.key !== b.key) return false;
  if (a.kind === "group") return true;
  if (a.kind === "channel") return Boolean(a.consumed || b.consumed);
  return (!a.attachOnly && !b.attachOnly) || (a.kind === "queue" && Boolean(a.consumed && b.consumed));
}

/** Every queue, exchange, topic (derived retry and dead-letter ones included) and consumer group the scenario uses. */
export function resourceClaims(scenario: Scenario, brokers: Record<string, ResolvedBroker>): ResourceClaim[] {
  const full = withDerivedResources(scenario);
  return Object.entries(brokers).flatMap(([broker, resolved]) => {
    const driver = driverOf(resolved);
    return driver.usedResources(full, broker).map(({ kind, name, attachOnly, consumed }) => ({
      key: `${driver.claimAddress(resolved)}|${kind}|${name}`, what: `${kind === "group" ? "consumer group" : kind} "${name}" on broker ${broker}`, kind, name,
      path: claimPath(scenario, broker, kind, name), attachOnly, ...(consumed ? { consumed } : {}),
    }));
  });
}

export interface ClaimHolder {
  id: string;
  scenario: { name: string };
  status(): string;
  done(): Promise<unknown>;
}

export function createClaimRegistry(context: Pick<EngineContext, "rabbitUrl" | "rabbitManagementUrl" | "kafkaBrokers">) {
  const held = new Map<string, { run: ClaimHolder; claims: ResourceClaim[] }>();

  return {
    /**
     * The scenario's claims; throws CONFLICT when an active run holds one of them. `place` moves
     * the brokers where a learner's run reaches them (classroom mode): a learner's vhost is another
     * address, so two learners' queues of one name do not clash.
     */
    check(scenario: Scenario, place: (brokers: Record<string, ResolvedBroker>) => Record<string, ResolvedBroker> = (brokers) => brokers): ResourceClaim[] {
      const claims = resourceClaims(scenario, place(resolveBrokers(scenario, context as EngineContext)));
      for (const { run, claims: theirs } of held.values()) {
        const shared = claims.find((mine) => theirs.some((t) => clash(mine, t)));
        if (!shared) continue;
        const rename = shared.kind === "group" ? "the group" : `the ${shared.kind} (everywhere the scenario names it)`;
        const problem = { path: shared.path, message: `is used by active run ${run.id} (scenario ${run.scenario.name}): rename it, e.g. "${shared.name}-2", or stop run ${run.id} first` };
        throw new RunError(
          "CONFLICT",
          `${shared.what} is already used by run ${run.id} (scenario ${run.scenario.name}, ${run.status()}); two runs must not share it. Rename ${rename} in this scenario, e.g. "${shared.name}-2", or stop run ${run.id} first.`,
          [problem],
        );
      }
      return claims;
    },
    /** Holds the claims until the run has torn down what it declared. */
    hold(run: ClaimHolder, claims: ResourceClaim[]): void {
      held.set(run.id, { run, claims });
      void run.done().finally(() => held.delete(run.id));
    },
  };
}
