// The Redis admin of a run: creates the scenario's streams and the consumer groups its consumers
// read with (XGROUP CREATE … MKSTREAM), tells what already existed, deletes what it created, and
// reads each group's lag and pending entries (XINFO GROUPS) for frames and the drain check.
import type { GroupLag, RunResource } from "../../../lib/run/model";
import { channelMatches } from "../../../lib/brokers/redis-hooks";
import type { Scenario } from "../../../lib/scenario/schema";
import type { DriverAdmin, UsedResource } from "../driver";
import { connectRedis, createRedisConnection, toRedisError, type RedisConnection } from "./connection";

/** What a run created on a Redis broker, as its manifest keeps it: streams to DEL, groups on kept streams to destroy. */
export interface CreatedRedis {
  streams: string[];
  groups: { stream: string; group: string }[];
}

export const noneCreated = (): CreatedRedis => ({ streams: [], groups: [] });

interface StreamUse { name: string; existing: boolean; groups: string[] }

/** The streams broker `name` declares, each with the groups the scenario's consumers read it with. */
export function streamUses(scenario: Scenario, name: string): StreamUse[] {
  const resources = scenario.resources[name];
  if (resources?.kind !== "redis") return [];
  const reads = scenario.services.flatMap((s) => s.consumers).filter((c) => c.broker === name && "stream" in c.from).map((c) => c.from as { stream: string; group: string });
  return resources.streams.map((s) => ({ name: s.name, existing: s.existing, groups: [...new Set(reads.filter((r) => r.stream === s.name).map((r) => r.group))] }));
}

/** The channels broker `name` declares; one a consumer subscribes to (by name or by pattern) is consumed. */
function channelUses(scenario: Scenario, name: string): UsedResource[] {
  const resources = scenario.resources[name];
  if (resources?.kind !== "redis") return [];
  const sources = scenario.services.flatMap((s) => s.consumers).filter((c) => c.broker === name).map((c) => c.from as { channel?: string; channelPattern?: string });
  const subscribed = (channel: string) => sources.some((f) => f.channel === channel || (f.channelPattern !== undefined && channelMatches(f.channelPattern, channel)));
  return resources.channels.map((c) => ({ kind: "channel" as const, name: c.name, attachOnly: false, ...(subscribed(c.name) ? { consumed: true } : {}) }));
}

export function redisUsedResources(scenario: Scenario, name: string): UsedResource[] {
  return [
    ...streamUses(scenario, name).flatMap((s) => [
      { kind: "topic" as const, name: s.name, attachOnly: s.existing, ...(s.groups.length > 0 ? { consumed: true } : {}) },
      ...s.groups.map((group) => ({ kind: "group" as const, name: group, attachOnly: false })),
    ]),
    ...channelUses(scenario, name),
  ];
}

const refs = (broker: string, r: CreatedRedis): RunResource[] => [
  ...r.streams.map((name) => ({ broker, kind: "topic" as const, name })),
  ...r.groups.map((g) => ({ broker, kind: "group" as const, name: `${g.group} on ${g.stream}` })),
];

/** Lag as Redis 7 counts it (entries the group has not been delivered yet) plus its pending entries (delivered, not acknowledged). */
export async function readGroupLag(client: RedisConnection, broker: string, stream: string, group: string): Promise<GroupLag> {
  const groups = await client.xInfoGroups(stream);
  const found = groups.find((g) => String(g.name) === group);
  if (!found) throw new Error(`the group "${group}" does not exist on stream "${stream}"`);
  const lag = typeof found.lag === "number" ? found.lag : 0;
  const pending = Number(found.pending);
  return { broker, group, topic: stream, partitions: [], total: lag + pending, pending };
}

export function createRedisAdmin(url: string, clientName: string): DriverAdmin {
  let connected: Promise<RedisConnection> | undefined;
  const client = () => (connected ??= connectRedis(createRedisConnection({ url, name: clientName }), url));
  const call = async <T>(what: string, run: (c: RedisConnection) => Promise<T>): Promise<T> => {
    try {
      return await run(await client());
    } catch (error) {
      throw toRedisError(error, url, what);
    }
  };
  /** Creates a group from the end of the stream ($), and the stream with it; false when it was there. */
  const createGroup = (stream: string, group: string) =>
    call(`create the group "${group}" on stream "${stream}"`, async (c) => {
      try {
        await c.xGroupCreate(stream, group, "$", { MKSTREAM: true });
        return true;
      } catch (error) {
        if (/BUSYGROUP/.test(String(error))) return false;
        throw error;
      }
    });

  return {
    kind: "redis",
    noneCreated,
    async apply(scenario, name, onCreated) {
      const created = noneCreated();
      const existed = noneCreated();
      for (const stream of streamUses(scenario, name)) {
        const there = (await call(`look for stream "${stream.name}"`, (c) => c.exists(stream.name))) > 0;
        if (stream.existing && !there) throw toRedisError(new Error(`stream "${stream.name}" does not exist (it is declared existing: true); create it or drop existing`), url, "use it");
        if (there) existed.streams.push(stream.name);
        // A stream with no reader is made (and kept empty) through a group removed at once.
        const groups = stream.groups.length > 0 ? stream.groups : [];
        if (!there && groups.length === 0) {
          await createGroup(stream.name, "brokerlab-create");
          await call(`create stream "${stream.name}"`, (c) => c.xGroupDestroy(stream.name, "brokerlab-create"));
        }
        if (!there) created.streams.push(stream.name);
        for (const group of groups) {
          const made = await createGroup(stream.name, group);
          if (there && made) created.groups.push({ stream: stream.name, group });
          else if (there) existed.groups.push({ stream: stream.name, group });
        }
        onCreated({ streams: [...created.streams], groups: [...created.groups] });
      }
      return { existed: refs(name, existed) };
    },
    async teardown(done) {
      const { streams, groups } = { ...noneCreated(), ...(done as Partial<CreatedRedis>) };
      if (streams.length > 0) await call("delete the run's streams", (c) => c.del(streams));
      for (const g of groups) await call(`destroy the group "${g.group}"`, (c) => c.xGroupDestroy(g.stream, g.group)).catch(() => undefined);
    },
    createdRefs: (name, done) => refs(name, { ...noneCreated(), ...(done as Partial<CreatedRedis>) }),
    async snapshot(scenario, name) {
      const reads = streamUses(scenario, name).flatMap((s) => s.groups.map((group) => ({ stream: s.name, group })));
      const lag: GroupLag[] = [];
      const errors: string[] = [];
      for (const { stream, group } of reads) {
        try {
          lag.push(await call(`read group "${group}" of "${stream}"`, (c) => readGroupLag(c, name, stream, group)));
        } catch (error) {
          errors.push(`${name}: ${(error as Error).message}`);
        }
      }
      return { queues: [], lag, errors };
    },
    async close() {
      const c = connected;
      connected = undefined;
      if (c) await c.then((open) => open.quit(), () => undefined).catch(() => undefined);
    },
  };
}
