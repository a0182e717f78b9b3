// RabbitMQ administration for runs: declare a scenario's exchanges, queues and bindings (saying
// which were already there), tear down what a run created, purge, and read queue statistics. A
// declaration that conflicts with the broker is explained by diffing against the management API's
// view of the existing queue or exchange.
import { connect } from "amqplib";
import type { Channel, ChannelModel, ConfirmChannel } from "amqplib";
import type { Exchange, Queue, RabbitResources } from "../../../lib/scenario/schema";
import { BrokerError } from "../types";
import type { PeekedMessage, QueueStats, RabbitAdmin } from "../types";
import { brokerReason, exchangeDifferences, queueDeclareOptions, queueDifferences } from "./declarations";
import { amqpCode, toBrokerError } from "./errors";
import { createExistenceProbe } from "./existence";
import { createManagementClient, vhostOf } from "./management";
import { tlsSocketOptions } from "./tls";

export function createRabbitAdmin(options: { url: string; managementUrl: string; caFile?: string }): RabbitAdmin {
  const { url } = options;
  const management = createManagementClient({ managementUrl: options.managementUrl, vhost: vhostOf(url) });
  const probe = createExistenceProbe(() => connection(), url, management);
  let model: Promise<ChannelModel> | undefined;
  let channel: Promise<Channel> | undefined;
  let confirmChannel: Promise<ConfirmChannel> | undefined;

  function connection(): Promise<ChannelModel> {
    model ??= connect(url, { clientProperties: { connection_name: "brokerlab-admin" }, ...tlsSocketOptions(options.caFile) }).then(
      (opened) => {
        opened.on("error", () => {}); // 'close' follows; the next call reconnects
        opened.on("close", () => { model = undefined; channel = undefined; confirmChannel = undefined; });
        return opened;
      },
      (error: unknown) => { model = undefined; throw toBrokerError(error, url, "connect"); },
    );
    return model;
  }

  // One channel for all declarations; a refused declaration closes it, so it is recreated lazily.
  function openChannel(): Promise<Channel> {
    channel ??= connection().then(async (opened) => {
      const created = await opened.createChannel();
      created.on("error", () => {});
      created.on("close", () => { if (channel === current) channel = undefined; });
      return created;
    });
    const current = channel;
    current.catch(() => { if (channel === current) channel = undefined; });
    return current;
  }

  async function run<T>(what: string, operation: (ch: Channel) => Promise<T>): Promise<T> {
    const ch = await openChannel();
    try {
      return await operation(ch);
    } catch (error) {
      if (typeof amqpCode(error) === "number") channel = undefined;
      throw toBrokerError(error, url, what);
    }
  }

  async function declareExchange(exchange: Exchange): Promise<void> {
    const what = `exchange "${exchange.name}"`;
    if (exchange.existing) {
      await run(`check ${what}`, (ch) => ch.checkExchange(exchange.name)).catch((error: unknown) => {
        throw notFoundAsExisting(error, `${what} is marked existing but the broker has no such exchange; declare it in the scenario or create it first`);
      });
      return;
    }
    try {
      await run(`declare ${what}`, (ch) => ch.assertExchange(exchange.name, exchange.type, { durable: exchange.durable, autoDelete: exchange.autoDelete }));
    } catch (error) {
      if (!(error instanceof BrokerError) || error.code !== "CONFLICT") throw error;
      const existing = await management.exchange(exchange.name).catch(() => undefined);
      const differences = existing ? exchangeDifferences(existing, exchange) : [];
      throw conflict(what, differences, error);
    }
  }

  async function declareQueue(queue: Queue): Promise<void> {
    const what = `queue "${queue.name}"`;
    if (queue.existing) {
      await run(`check ${what}`, (ch) => ch.checkQueue(queue.name)).catch((error: unknown) => {
        throw notFoundAsExisting(error, `${what} is marked existing but the broker has no such queue; declare it in the scenario or create it first`);
      });
      return;
    }
    try {
      await run(`declare ${what}`, (ch) => ch.assertQueue(queue.name, queueDeclareOptions(queue)));
    } catch (error) {
      if (!(error instanceof BrokerError) || error.code !== "CONFLICT") throw error;
      const existing = await management.queue(queue.name).catch(() => undefined);
      const differences = existing ? queueDifferences(existing, queue) : [];
      throw conflict(what, differences, error);
    }
  }

  async function ignoreMissing(operation: Promise<unknown>): Promise<void> {
    try {
      await operation;
    } catch (error) {
      if (!(error instanceof BrokerError) || error.code !== "NOT_FOUND") throw error;
    }
  }

  return {
    async apply(resources, onCreated) {
      const created: RabbitResources = { exchanges: [], queues: [], bindings: [] };
      const existed: RabbitResources = { exchanges: [], queues: [], bindings: [] };
      const record = <K extends keyof RabbitResources>(key: K, item: RabbitResources[K][number], found: boolean) => {
        (found ? existed : created)[key].push(item as never);
        if (!found) onCreated?.(created);
      };
      for (const exchange of resources.exchanges) {
        const found = exchange.existing || (await probe.exists("exchange", exchange.name));
        await declareExchange(exchange);
        record("exchanges", exchange, found);
      }
      for (const queue of resources.queues) {
        const found = queue.existing || (await probe.exists("queue", queue.name));
        await declareQueue(queue);
        record("queues", queue, found);
      }
      for (const binding of resources.bindings) {
        // A binding to a queue or exchange the run created is new; between two older ones it may be too.
        const ownEnd = created.queues.some((q) => q.name === binding.queue) || created.exchanges.some((e) => e.name === binding.exchange);
        const found = !ownEnd && (await probe.bindingExists(binding));
        await run(`bind queue "${binding.queue}" to exchange "${binding.exchange}"`, (ch) =>
          ch.bindQueue(binding.queue, binding.exchange, binding.routingKey, binding.arguments ?? {}),
        );
        record("bindings", binding, found);
      }
      return { created, existed };
    },

    async teardown(resources: RabbitResources) {
      const deletedQueues = new Set(resources.queues.filter((q) => !q.existing).map((q) => q.name));
      const deletedExchanges = new Set(resources.exchanges.filter((e) => !e.existing).map((e) => e.name));
      // Bindings between two resources that outlive the teardown are removed one by one; the rest go with their queue or exchange.
      for (const binding of resources.bindings) {
        if (deletedQueues.has(binding.queue) || deletedExchanges.has(binding.exchange)) continue;
        await ignoreMissing(run(`unbind queue "${binding.queue}"`, (ch) => ch.unbindQueue(binding.queue, binding.exchange, binding.routingKey, binding.arguments ?? {})));
      }
      for (const queue of resources.queues) {
        if (!queue.existing) await ignoreMissing(run(`delete queue "${queue.name}"`, (ch) => ch.deleteQueue(queue.name)));
      }
      for (const exchange of resources.exchanges) {
        if (!exchange.existing) await ignoreMissing(run(`delete exchange "${exchange.name}"`, (ch) => ch.deleteExchange(exchange.name)));
      }
    },

    async purge(queues) {
      for (const name of queues) await run(`purge queue "${name}"`, (ch) => ch.purgeQueue(name));
    },

    async queueStats(names) {
      const stats = await Promise.all(names.map(async (name): Promise<QueueStats | undefined> => {
        // The management API refreshes its counters every few seconds and is the only one to know
        // the unacknowledged messages; a passive declare is exact now. On a busy machine the
        // management API may time out: the queue is still reported from the passive declare.
        const managed = await management.queue(name).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
        if (managed === undefined) return undefined; // no such queue (not checked: a passive declare of a missing queue closes the shared channel)
        const live = await run(`check queue "${name}"`, (ch) => ch.checkQueue(name)).catch(() => undefined);
        if (managed instanceof Error && !live) throw managed;
        const known = managed instanceof Error ? undefined : managed;
        const ready = live?.messageCount ?? known?.messages_ready ?? 0;
        const unacked = known?.messages_unacknowledged ?? 0;
        return { name, messages: ready + unacked, ready, unacked, consumers: live?.consumerCount ?? known?.consumers ?? 0 };
      }));
      return stats.filter((s): s is QueueStats => s !== undefined);
    },

    async publish(queue, messages) {
      confirmChannel ??= connection().then(async (opened) => {
        const created = await opened.createConfirmChannel();
        created.on("error", () => {});
        created.on("close", () => { confirmChannel = undefined; });
        return created;
      });
      const current = confirmChannel;
      current.catch(() => { if (confirmChannel === current) confirmChannel = undefined; });
      let ch: ConfirmChannel;
      try {
        ch = await current;
      } catch (error) {
        throw toBrokerError(error, url, `publish to queue "${queue}"`);
      }
      const outcomes = await Promise.all(messages.map((m) => new Promise<string | undefined>((resolve) => {
        try {
          ch.publish("", queue, m.body, { persistent: true, messageId: m.messageId, headers: m.headers, contentType: "application/json" }, (error) => resolve(error ? undefined : m.messageId));
        } catch {
          resolve(undefined);
        }
      })));
      return outcomes.filter((id): id is string => id !== undefined);
    },

    async peek(queue, count): Promise<PeekedMessage[]> {
      const messages = await management.peek(queue, count);
      return messages.map((m) => ({ messageId: m.properties.message_id, headers: m.properties.headers, redelivered: m.redelivered }));
    },

    async closeConnections(namePrefix, reason) {
      // The management API lists a new connection only after its next statistics round (~5 s),
      // and lists a closed one until then: look again until one is really closed, up to 8 s.
      const deadline = Date.now() + 8_000;
      for (;;) {
        const mine = (await management.connections()).filter((c) => c.clientName?.startsWith(namePrefix));
        const closed = (await Promise.all(mine.map((c) => management.closeConnection(c.name, reason).catch(() => false)))).filter(Boolean).length;
        if (closed > 0 || Date.now() >= deadline) return closed;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    },

    async close() {
      const opened = model;
      model = undefined;
      channel = undefined;
      confirmChannel = undefined;
      if (opened) await opened.then((m) => m.close()).catch(() => {});
    },
  };
}

function conflict(what: string, differences: string[], cause: BrokerError): BrokerError {
  const detail = differences.length > 0 ? differences.join("; ") : brokerReason(cause.cause ?? cause);
  return new BrokerError("CONFLICT", `${what} already exists with ${detail}; delete the ${what.split(" ")[0]} or change the scenario`, false, { cause });
}

function notFoundAsExisting(error: unknown, message: string): unknown {
  return error instanceof BrokerError && error.code === "NOT_FOUND" ? new BrokerError("NOT_FOUND", message, false, { cause: error }) : error;
}
