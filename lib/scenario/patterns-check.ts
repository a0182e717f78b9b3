// Checks between the pattern parts of a scenario and the rest of it (validate.ts calls this):
// brokers of the right kind, declared queues and topics, APIs and receivers that exist, templates.
import type { Scenario, Service } from "./schema";
import type { RabbitTarget } from "./patterns";
import { parseTemplate, stringsIn } from "./template";

interface Problem { path: string; message: string }

const list = (names: readonly string[]) => (names.length ? names.join(", ") : "none");
const fieldsOf = (payload: unknown) => (payload && typeof payload === "object" && !Array.isArray(payload) ? Object.keys(payload) : []);
const formatPath = (base: string, at: readonly (string | number)[]) => at.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : `${out}.${key}`), base);

export function checkPatternReferences(s: Scenario): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string): void => void problems.push({ path, message });
  const rabbit = (broker: string) => { const r = s.resources[broker]; return r?.kind === "rabbitmq" ? r : undefined; };
  const kafka = (broker: string) => { const r = s.resources[broker]; return r?.kind === "kafka" ? r : undefined; };
  const queues = (broker: string) => rabbit(broker)?.queues.map((q) => q.name) ?? [];
  const exchanges = (broker: string) => rabbit(broker)?.exchanges.map((e) => e.name) ?? [];
  const topics = (broker: string) => kafka(broker)?.topics.map((t) => t.name) ?? [];
  const withApi = s.services.filter((svc) => svc.httpApi).map((svc) => svc.name);
  const withReceiver = s.services.filter((svc) => svc.webhookReceiver).map((svc) => svc.name);

  const template = (path: string, source: string, fields: readonly string[] = []) => {
    const parsed = parseTemplate(source, fields);
    if ("error" in parsed) add(path, parsed.error);
  };
  const templates = (path: string, value: unknown, fields: readonly string[] = []) => {
    for (const [text, at] of stringsIn(value)) template(formatPath(path, at), text, fields);
  };

  /** The broker exists and has the wanted kind; false (with a problem) otherwise. */
  const brokerOf = (path: string, broker: string, kind: "rabbitmq" | "kafka", what: string): boolean => {
    const found = s.brokers[broker]?.kind;
    if (!found) add(`${path}.broker`, `"${broker}" is not a broker declared in brokers (declared: ${list(Object.keys(s.brokers))})`);
    else if (found !== kind) add(`${path}.broker`, `${what} needs a ${kind} broker, but "${broker}" is ${found}`);
    return found === kind;
  };
  const queue = (path: string, broker: string, name: string) => {
    if (!queues(broker).includes(name)) add(path, `"${name}" is not a queue declared in resources.${broker}.queues (declared: ${list(queues(broker))})`);
  };
  const target = (path: string, broker: string, to: RabbitTarget) => {
    if ("queue" in to) return queue(`${path}.queue`, broker, to.queue);
    if (to.exchange !== "" && !exchanges(broker).includes(to.exchange)) {
      add(`${path}.exchange`, `"${to.exchange}" is not an exchange declared in resources.${broker}.exchanges (declared: ${list(exchanges(broker))})`);
    }
    template(`${path}.routingKey`, to.routingKey);
  };

  s.services.forEach((svc, si) => {
    const base = `services[${si}]`;
    checkNames(svc, base, add);
    svc.requesters?.forEach((r, i) => {
      const path = `${base}.requesters[${i}]`;
      templates(`${path}.payload`, r.payload);
      for (const [key, value] of Object.entries(r.headers)) if (typeof value === "string") template(`${path}.headers.${key}`, value, fieldsOf(r.payload));
      if (!brokerOf(path, r.broker, "rabbitmq", "request/reply (reply-to and correlation id are AMQP properties)")) return;
      target(`${path}.to`, r.broker, r.to);
      if (r.replyTo !== "exclusive") queue(`${path}.replyTo.queue`, r.broker, r.replyTo.queue);
      if (r.timeout <= 0) add(`${path}.timeout`, "must be greater than 0");
    });
    svc.repliers?.forEach((r, i) => {
      const path = `${base}.repliers[${i}]`;
      templates(`${path}.reply`, r.reply, ["*"]);
      if (brokerOf(path, r.broker, "rabbitmq", "a replier")) queue(`${path}.from.queue`, r.broker, r.from.queue);
    });
    svc.tasks?.forEach((t, i) => {
      const path = `${base}.tasks[${i}]`;
      template(`${path}.job`, t.job);
      templates(`${path}.args`, t.args);
      if (brokerOf(path, t.broker, "rabbitmq", "a task queue")) target(`${path}.to`, t.broker, t.to);
    });
    svc.workers?.forEach((w, i) => {
      const path = `${base}.workers[${i}]`;
      for (const [name, job] of Object.entries(w.jobs)) templates(`${path}.jobs.${name}.result`, job.result, ["*"]);
      if (brokerOf(path, w.broker, "rabbitmq", "a worker")) queue(`${path}.from.queue`, w.broker, w.from.queue);
    });
    if (svc.httpApi) {
      const path = `${base}.httpApi`;
      template(`${path}.job`, svc.httpApi.job);
      if (brokerOf(path, svc.httpApi.broker, "rabbitmq", "an HTTP API's task queue")) target(`${path}.to`, svc.httpApi.broker, svc.httpApi.to);
    }
    svc.apiCalls?.forEach((c, i) => {
      const path = `${base}.apiCalls[${i}]`;
      templates(`${path}.body`, c.body);
      if (!withApi.includes(c.api)) add(`${path}.api`, `"${c.api}" is not a service with an httpApi (services with one: ${list(withApi)})`);
      if (c.callbackTo !== undefined && !withReceiver.includes(c.callbackTo)) {
        add(`${path}.callbackTo`, `"${c.callbackTo}" is not a service with a webhookReceiver (services with one: ${list(withReceiver)})`);
      }
    });
    svc.projections?.forEach((p, i) => {
      const path = `${base}.projections[${i}]`;
      if (brokerOf(path, p.broker, "kafka", "a projection (it reads an event log)") && !topics(p.broker).includes(p.from.topic)) {
        add(`${path}.from.topic`, `"${p.from.topic}" is not a topic declared in resources.${p.broker}.topics (declared: ${list(topics(p.broker))})`);
      }
    });
    if (svc.projections?.length && svc.replicas > 1) {
      add(`${base}.replicas`, "a service with projections runs one replica: the projection's state lives in one process (set replicas: 1)");
    }
  });
  return problems;
}

/** Every producer, consumer and pattern part of a service has its own name (reports key them by it). */
function checkNames(svc: Service, base: string, add: (path: string, message: string) => void): void {
  const seen = new Map<string, string>();
  const parts: [string, { name: string }[] | undefined][] = [
    ["producers", svc.producers], ["consumers", svc.consumers], ["requesters", svc.requesters], ["repliers", svc.repliers],
    ["tasks", svc.tasks], ["workers", svc.workers], ["apiCalls", svc.apiCalls], ["projections", svc.projections],
    ["httpApi", svc.httpApi ? [svc.httpApi] : undefined],
  ];
  for (const [key, items] of parts) {
    items?.forEach((item, i) => {
      const path = key === "httpApi" ? `${base}.httpApi.name` : `${base}.${key}[${i}].name`;
      const earlier = seen.get(item.name);
      // Duplicates within producers or consumers are reported by validate.ts already.
      if (earlier && !(earlier === key && (key === "producers" || key === "consumers"))) {
        add(path, `"${item.name}" is already the name of one of ${svc.name}'s ${earlier}; names are unique within a service`);
      }
      if (!earlier) seen.set(item.name, key);
    });
  }
}
