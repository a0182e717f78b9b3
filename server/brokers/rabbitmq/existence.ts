// Whether a queue, exchange or binding is already on the broker, asked before a run declares it,
// so that the run deletes at teardown only what it created (an equivalent declare succeeds either way).
import type { ChannelModel } from "amqplib";
import type { Binding } from "../../../lib/scenario/schema";
import { amqpCode, toBrokerError } from "./errors";
import type { ManagementClient } from "./management";

export interface ExistenceProbe {
  exists(kind: "queue" | "exchange", name: string): Promise<boolean>;
  /** True also when the management API cannot tell: a binding the run may not own is never removed. */
  bindingExists(binding: Binding): Promise<boolean>;
}

const sameArguments = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

export function createExistenceProbe(connection: () => Promise<ChannelModel>, url: string, management: ManagementClient): ExistenceProbe {
  return {
    async exists(kind, name) {
      // A passive declare of a missing resource closes its channel: each question gets a channel of its own.
      const probe = await connection().then((opened) => opened.createChannel()).catch((error: unknown) => {
        throw toBrokerError(error, url, `check ${kind} "${name}"`);
      });
      probe.on("error", () => {});
      try {
        await (kind === "queue" ? probe.checkQueue(name) : probe.checkExchange(name));
        await probe.close().catch(() => {});
        return true;
      } catch (error) {
        if (amqpCode(error) === 404) return false;
        await probe.close().catch(() => {});
        throw toBrokerError(error, url, `check ${kind} "${name}"`);
      }
    },

    async bindingExists(binding) {
      const found = await management.bindings(binding.exchange, binding.queue).catch(() => undefined);
      if (!found) return true;
      return found.some((b) => b.routingKey === binding.routingKey && sameArguments(b.arguments, binding.arguments ?? {}));
    },
  };
}
