// The references of a scenario's Redis parts: streams and channels declared once, targets and
// sources naming declared ones, a dead-letter stream that is declared and not the stream itself.
import type { z } from "zod";
import { duplicates, list, walkParts } from "./check-parts";
import { redisDescriptor } from "./redis";
import type { redisResourcesSchema } from "./redis";
import type { BrokerProblem, CheckedScenario } from "./types";

type RedisResources = z.output<typeof redisResourcesSchema>;

export function checkRedisScenario(scenario: CheckedScenario): BrokerProblem[] {
  const problems: BrokerProblem[] = [];
  const add = (path: string, message: string): void => void problems.push({ path, message });
  const resourcesOf = (broker: string): RedisResources => {
    const entry = scenario.resources[broker];
    return entry?.kind === "redis" ? (entry as { kind: "redis" } & RedisResources) : { streams: [], channels: [] };
  };
  const declared = (broker: string, key: "streams" | "channels") => resourcesOf(broker)[key].map((r) => r.name);
  const undeclared = (name: string, broker: string, key: "streams" | "channels") =>
    `"${name}" is not a ${key === "streams" ? "stream" : "channel"} declared in resources.${broker}.${key} (declared: ${list(declared(broker, key))})`;

  for (const broker of Object.keys(scenario.resources)) {
    if (scenario.resources[broker]?.kind !== "redis") continue;
    for (const key of ["streams", "channels"] as const) {
      for (const name of duplicates(declared(broker, key))) add(`resources.${broker}.${key}`, `${key === "streams" ? "stream" : "channel"} "${name}" is declared twice`);
    }
    resourcesOf(broker).streams.forEach((stream, i) => {
      const target = stream.deadLetter?.stream;
      if (target === undefined) return;
      const path = `resources.${broker}.streams[${i}].deadLetter.stream`;
      if (target === stream.name) add(path, `a stream cannot be its own dead-letter stream: name another stream, e.g. "${stream.name}.dead"`);
      else if (!declared(broker, "streams").includes(target)) add(path, `${undeclared(target, broker, "streams")}; declare it so the run creates it and deletes it after`);
    });
  }
  walkParts(scenario, redisDescriptor, {
    target: ({ path, broker, to }) => {
      if ("stream" in to && typeof to.stream === "string" && !declared(broker, "streams").includes(to.stream)) add(`${path}.stream`, undeclared(to.stream, broker, "streams"));
      if ("channel" in to && typeof to.channel === "string" && !declared(broker, "channels").includes(to.channel)) add(`${path}.channel`, undeclared(to.channel, broker, "channels"));
    },
    source: ({ path, consumer: c }) => {
      const from = c.from as { stream?: unknown; channel?: unknown };
      if (typeof from.stream === "string" && !declared(c.broker, "streams").includes(from.stream)) add(`${path}.from.stream`, undeclared(from.stream, c.broker, "streams"));
      if (typeof from.channel === "string" && !declared(c.broker, "channels").includes(from.channel)) add(`${path}.from.channel`, undeclared(from.channel, c.broker, "channels"));
    },
  });
  return problems;
}
