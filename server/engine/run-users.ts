// Users a run makes for itself: a RabbitMQ broker entry's `runUser` gives the services it names a
// user of their own, created through the management API with a random password before they start,
// and deleted at teardown. The password stays in this process and in the URL handed to those
// services' processes; logs and the timeline name the user only.
import { randomBytes } from "node:crypto";
import { runUserPrefix } from "../../lib/lessons/evaluate-connections";
import type { ResolvedBroker } from "../../lib/run/ipc";
import type { Scenario } from "../../lib/scenario/schema";
import { createManagementClient, vhostOf, type ManagementClient, type Permissions } from "../brokers/rabbitmq/management";

interface RunUser {
  broker: string;
  services: string[];
  name: string;
  password: string;
  management: ManagementClient;
}

/** RabbitMQ allows any user name; this one says whose it is, so a leftover is recognisable (and lessons tell it apart). */
const userName = (runId: string, service: string) => `${runUserPrefix(runId)}${service}`.slice(0, 200);

export function createRunUsers(input: { runId: string; scenario: Scenario; brokers: Record<string, ResolvedBroker>; tell: (broker: string, detail: string) => void }) {
  const made: RunUser[] = [];

  async function make(broker: string, resolved: { url: string; managementUrl: string }, services: string[], permissions: Permissions): Promise<void> {
    const user: RunUser = {
      broker,
      services,
      name: userName(input.runId, services[0]!),
      password: randomBytes(24).toString("base64url"),
      management: createManagementClient({ managementUrl: resolved.managementUrl, vhost: vhostOf(resolved.url) }),
    };
    made.push(user);
    await user.management.putUser(user.name, user.password, permissions);
    const granted = Object.entries(permissions).map(([kind, pattern]) => `${kind} "${pattern}"`).join(", ");
    input.tell(broker, `user ${user.name} made for this run (${granted}); ${services.join(", ")} ${services.length === 1 ? "connects" : "connect"} as it`);
  }

  return {
    /** Creates every runUser of the scenario (before any service starts). */
    async apply(): Promise<void> {
      for (const [broker, entry] of Object.entries(input.scenario.brokers)) {
        const resolved = input.brokers[broker];
        if (entry.kind !== "rabbitmq" || resolved?.kind !== "rabbitmq") continue;
        for (const { services, ...permissions } of entry.runUsers ?? []) await make(broker, resolved, services, permissions);
      }
    },

    /** The brokers as a service's processes reach them: with its run user's credentials where it has one. */
    forService(service: string, brokers: Record<string, ResolvedBroker>): Record<string, ResolvedBroker> {
      const mine = made.filter((user) => user.services.includes(service));
      if (mine.length === 0) return brokers;
      const out = { ...brokers };
      for (const user of mine) {
        const broker = out[user.broker];
        if (broker?.kind !== "rabbitmq") continue;
        const url = new URL(broker.url);
        url.username = encodeURIComponent(user.name);
        url.password = encodeURIComponent(user.password);
        out[user.broker] = { ...broker, url: url.toString() };
      }
      return out;
    },

    /** Deletes the users (their permissions go with them); a failure is reported through `note`. */
    async teardown(note: (line: string) => void): Promise<void> {
      for (const user of made.splice(0)) {
        await user.management.deleteUser(user.name).catch((error: unknown) => note(`deleting user ${user.name} on ${user.broker}: ${(error as Error).message}`));
      }
    },
  };
}
