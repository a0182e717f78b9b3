// The references of a scenario's RabbitMQ parts, checked before anything is declared: queues and
// exchanges that targets, sources, bindings and dead-letter routes name are declared, and quorum
// queues are given only what quorum queues support.
import type { z } from "zod";
import { duplicates, list, templateProblem, walkParts } from "./check-parts";
import { rabbitmqDescriptor } from "./rabbitmq";
import type { rabbitResourcesSchema } from "./rabbitmq";
import type { BrokerProblem, CheckedScenario } from "./types";

type RabbitResources = z.output<typeof rabbitResourcesSchema>;
const empty: RabbitResources = { exchanges: [], queues: [], bindings: [] };

const resourcesIn = (scenario: CheckedScenario, broker: string): RabbitResources => {
  const entry = scenario.resources[broker];
  return entry?.kind === "rabbitmq" ? (entry as { kind: "rabbitmq" } & RabbitResources) : empty;
};

/** A `to` on RabbitMQ broker `broker`, at `path`: its queue or exchange is declared, its routing key's template names `fields`. */
export function checkRabbitTarget(scenario: CheckedScenario, path: string, broker: string, to: object, fields: readonly string[]): BrokerProblem[] {
  const problems: BrokerProblem[] = [];
  const res = resourcesIn(scenario, broker);
  const queues = res.queues.map((q) => q.name);
  const exchanges = res.exchanges.map((e) => e.name);
  const { queue, exchange, routingKey } = to as { queue?: unknown; exchange?: unknown; routingKey?: unknown };
  if (typeof queue === "string" && !queues.includes(queue)) problems.push({ path: `${path}.queue`, message: `"${queue}" is not a queue declared in resources.${broker}.queues (declared: ${list(queues)})` });
  if (typeof exchange === "string") {
    if (exchange !== "" && !exchanges.includes(exchange)) problems.push({ path: `${path}.exchange`, message: `"${exchange}" is not an exchange declared in resources.${broker}.exchanges (declared: ${list(exchanges)})` });
    const problem = typeof routingKey === "string" ? templateProblem(routingKey, fields) : undefined;
    if (problem) problems.push({ path: `${path}.routingKey`, message: problem });
  }
  return problems;
}

export function checkRabbitScenario(scenario: CheckedScenario): BrokerProblem[] {
  const problems: BrokerProblem[] = [];
  const add = (path: string, message: string): void => void problems.push({ path, message });
  const queueNames = (broker: string) => resourcesIn(scenario, broker).queues.map((q) => q.name);

  for (const broker of Object.keys(scenario.resources)) {
    if (scenario.resources[broker]?.kind === "rabbitmq") checkResources(`resources.${broker}`, resourcesIn(scenario, broker), add);
  }
  for (const [broker, entry] of Object.entries(scenario.brokers)) {
    const users = (entry as { runUsers?: { services: string[] }[] }).runUsers ?? [];
    const known = (scenario.services as readonly { name?: string }[]).map((s) => s.name ?? "");
    const seen = new Set<string>();
    users.forEach((user, u) => user.services.forEach((name, i) => {
      const path = `brokers.${broker}.runUsers[${u}].services[${i}]`;
      if (!known.includes(name)) add(path, `"${name}" is not a service of this scenario (services: ${list(known)})`);
      else if (seen.has(name)) add(path, `"${name}" already connects as another run user of ${broker}; a service has one user per broker`);
      seen.add(name);
    }));
  }
  walkParts(scenario, rabbitmqDescriptor, {
    target: ({ path, broker, to, fields }) => void problems.push(...checkRabbitTarget(scenario, path, broker, to, fields)),
    source: ({ path, consumer: c }) => {
      const queue = (c.from as { queue?: unknown }).queue;
      if (typeof queue !== "string") return;
      if (!queueNames(c.broker).includes(queue)) add(`${path}.from.queue`, `"${queue}" is not a queue declared in resources.${c.broker}.queues (declared: ${list(queueNames(c.broker))})`);
      else if (c.onError.then === "dead-letter" && !resourcesIn(scenario, c.broker).queues.find((q) => q.name === queue)?.deadLetter) {
        add(`${path}.onError.then`, `dead-letter needs a dead-letter exchange on queue "${queue}": set deadLetter: { exchange, routingKey } on it in resources.${c.broker}.queues`);
      }
    },
  });
  return problems;
}

function checkResources(base: string, res: RabbitResources, add: (path: string, message: string) => void): void {
  const queues = res.queues.map((q) => q.name);
  const exchanges = res.exchanges.map((e) => e.name);
  for (const name of duplicates(queues)) add(`${base}.queues`, `queue "${name}" is declared twice`);
  for (const name of duplicates(exchanges)) add(`${base}.exchanges`, `exchange "${name}" is declared twice`);
  res.queues.forEach((q, i) => {
    if (q.deliveryLimit !== undefined && q.type !== "quorum") add(`${base}.queues[${i}].deliveryLimit`, "is only supported by quorum queues; set type: quorum or remove it");
    if (q.type === "quorum" && !q.durable) add(`${base}.queues[${i}].durable`, "quorum queues are always durable; remove durable: false");
    if (q.type === "quorum" && q.autoDelete) add(`${base}.queues[${i}].autoDelete`, "quorum queues cannot be auto-delete; remove autoDelete: true or use type: classic");
    if (q.type === "quorum" && q.overflow === "reject-publish-dlx") add(`${base}.queues[${i}].overflow`, "quorum queues support drop-head and reject-publish only; use one of those or type: classic");
    if (q.deadLetter && q.deadLetter.exchange !== "" && !exchanges.includes(q.deadLetter.exchange)) {
      add(`${base}.queues[${i}].deadLetter.exchange`, `"${q.deadLetter.exchange}" is not an exchange declared in ${base}.exchanges (declared: ${list(exchanges)})`);
    }
  });
  res.bindings.forEach((b, i) => {
    if (!exchanges.includes(b.exchange)) add(`${base}.bindings[${i}].exchange`, `"${b.exchange}" is not an exchange declared in ${base}.exchanges (declared: ${list(exchanges)})`);
    if (!queues.includes(b.queue)) add(`${base}.bindings[${i}].queue`, `"${b.queue}" is not a queue declared in ${base}.queues (declared: ${list(queues)})`);
  });
}
