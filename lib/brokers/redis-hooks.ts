// What scenario code asks of a Redis broker's resources: whether a producer reaches a consumer
// (the same stream, the same channel, or a channel a pattern matches), and a lesson run's renames.
import type { z } from "zod";
import type { redisResourcesSchema } from "./redis";
import type { BrokerIsolation } from "./types";

type RedisResources = z.output<typeof redisResourcesSchema>;

/** Whether a channel matches a PSUBSCRIBE glob pattern (`*`, `?`, `[abc]`, `[^a]`), as Redis matches it. */
export function channelMatches(pattern: string, channel: string): boolean {
  const source = pattern.replace(/[.+(){}|$\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".").replace(/\[\^/g, "[^");
  try {
    return new RegExp(`^${source}$`).test(channel);
  } catch {
    return false;
  }
}

export function redisRoutesTo(_resources: RedisResources | undefined, to: object, from: object): boolean {
  const target = to as { stream?: unknown; channel?: unknown };
  const source = from as { stream?: unknown; channel?: unknown; channelPattern?: unknown };
  if (typeof target.stream === "string") return target.stream === source.stream;
  if (typeof target.channel !== "string") return false;
  if (typeof source.channelPattern === "string") return channelMatches(source.channelPattern, target.channel);
  return target.channel === source.channel;
}

export const redisIsolation: BrokerIsolation<RedisResources> = {
  // Streams share the topic table (logs read by groups), channels the exchange table (fan-out, nothing kept).
  names: (resources, suffix) => [
    ...resources.streams.map((s): ["topic", string, string] => ["topic", s.name, `${s.name}-${suffix}`]),
    ...resources.channels.map((c): ["exchange", string, string] => ["exchange", c.name, `${c.name}-${suffix}`]),
  ],
  rename: (resources, actual) => ({
    ...resources,
    streams: resources.streams.map((s) => ({ ...s, name: actual("topic", s.name), ...(s.deadLetter ? { deadLetter: { ...s.deadLetter, stream: actual("topic", s.deadLetter.stream) } } : {}) })),
    channels: resources.channels.map((c) => ({ ...c, name: actual("exchange", c.name) })),
  }),
  // A channel pattern stays as written: a lesson run's renamed channels end in its suffix, which a
  // pattern ending in * still matches.
  renameRef: (ref, actual) => ({
    ...(typeof ref.stream === "string" ? { stream: actual("topic", ref.stream) } : {}),
    ...(typeof ref.channel === "string" ? { channel: actual("exchange", ref.channel) } : {}),
    ...(typeof ref.group === "string" ? { group: actual("group", ref.group) } : {}),
  }),
};
