// A run's broker resources: each one looked for before it is declared, so that what the run
// created is told apart from what was already there. The created ones are written to the run's
// manifest the moment they exist and deleted at teardown; the others are used, kept and reported.
import type { ResolvedBroker } from "../../lib/run/ipc";
import type { RunResource, RunResources } from "../../lib/run/model";
import type { Scenario } from "../../lib/scenario/schema";
import { driverOf } from "../brokers/registry";
import type { BrokerAdmins } from "./broker-stats";
import type { EngineContext } from "./context";
import { ownerOfThisProcess, writeManifest, type ManifestBroker, type ResourceManifest } from "./resource-manifest";

export interface RunResourcesInput {
  runId: string;
  scenario: Scenario;
  brokers: Record<string, ResolvedBroker>;
  admins: BrokerAdmins;
  context: EngineContext;
  runDir: string;
  /** Tells the run's timeline and log about a resource that already existed. */
  tell: (broker: string, detail: string) => void;
}

export function createRunResources(input: RunResourcesInput) {
  const { scenario, admins, context } = input;
  const manifest: ResourceManifest = { version: 1, runId: input.runId, ...ownerOfThisProcess(), state: "active", brokers: {} };
  const existed: RunResource[] = [];
  let keptOnRequest = false;
  const persist = () => writeManifest(input.runDir, manifest);

  function told(refs: RunResource[]) {
    existed.push(...refs);
    for (const ref of refs) {
      const use = ref.kind === "group" ? "this run's consumers commit offsets in it" : "used by this run";
      input.tell(ref.broker, `${ref.kind} "${ref.name}" already existed: ${use}, and it is kept at teardown`);
    }
  }

  /** Creates the broker's admin client, declares what the scenario gives it, and tells what already existed. */
  async function applyTo(name: string, broker: ResolvedBroker) {
    const driver = driverOf(broker);
    const admin = driver.createAdmin(broker, context, `brokerlab-${input.runId}`);
    admins.set(name, admin);
    if (scenario.resources[name]?.kind !== broker.kind) return;
    const entry = { kind: broker.kind, ...driver.manifestEndpoints(broker), created: admin.noneCreated() } as ManifestBroker;
    manifest.brokers[name] = entry;
    const applied = await admin.apply(scenario, name, (created) => {
      entry.created = created as typeof entry.created;
      persist();
    });
    // Two broker entries of one scenario may name the same broker: what the first created is not "already there" for the second.
    const address = driver.claimAddress(broker);
    const ours = Object.entries(manifest.brokers).flatMap(([other, e]) =>
      e !== entry && e.kind === broker.kind && driver.claimAddress(driver.fromManifest(e, context)) === address ? admins.get(other)?.createdRefs(name, e.created) ?? [] : []);
    told(applied.existed.filter((ref) => !ours.some((o) => o.kind === ref.kind && o.name === ref.name)));
  }

  return {
    async apply(): Promise<void> {
      for (const [name, broker] of Object.entries(input.brokers)) await applyTo(name, broker);
    },

    /** Declares broker `name`'s resources again with its admin (a broker that forgot them on restart); what it creates joins the manifest. */
    async redeclare(name: string): Promise<void> {
      const admin = admins.get(name);
      const entry = manifest.brokers[name];
      if (!admin || !entry) return;
      await admin.apply(scenario, name, (created) => {
        entry.created = created as typeof entry.created;
        persist();
      });
    },

    /** Deletes what the run created (all of it kept when `keep`); a failure is reported through `note`. */
    async teardown(keep: boolean, note: (line: string) => void): Promise<void> {
      keptOnRequest = keep;
      for (const [name, entry] of Object.entries(manifest.brokers)) {
        if (keep) break;
        const done = admins.get(name)?.teardown(entry.created);
        await done?.catch((e: unknown) => note(`teardown ${name}: ${(e as Error).message}`));
      }
      if (Object.keys(manifest.brokers).length === 0) return;
      manifest.state = "released";
      if (keep) manifest.note = "kept on request (--keep-resources)";
      try {
        persist();
      } catch (error) {
        note(`could not mark the run's resources released: ${(error as Error).message}`);
      }
    },

    summary(): RunResources {
      const created = Object.entries(manifest.brokers).flatMap(([name, entry]) => admins.get(name)?.createdRefs(name, entry.created) ?? []);
      return { created, existed: [...existed], ...(keptOnRequest ? { keptOnRequest } : {}) };
    },
  };
}

export type RunResourceOwnership = ReturnType<typeof createRunResources>;
