// Checks between the pattern parts of a scenario and the rest of it (validate.ts calls this):
// brokers with the capability a part needs, declared queues and topics, APIs and receivers that exist, templates.
import { declaredNames, hasCapability, hooksOf, kindsWith } from "../brokers";
import type { Capability } from "../brokers";
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
  const withApi = s.services.filter((svc) => svc.httpApi).map((svc) => svc.name);
  const withReceiver = s.services.filter((svc) => svc.webhookReceiver).map((svc) => svc.name);

  const template = (path: string, source: string, fields: readonly string[] = []) => {
    const parsed = parseTemplate(source, fields);
    if ("error" in parsed) add(path, parsed.error);
  };
  const templates = (path: string, value: unknown, fields: readonly string[] = []) => {
    for (const [text, at] of stringsIn(value)) template(formatPath(path, at), text, fields);
  };

  /** The broker exists and its kind has the capability the part needs; false (with a problem) otherwise. */
  const brokerWith = (path: string, broker: string, capability: Capability, what: string): boolean => {
    const found = s.brokers[broker]?.kind;
    if (!found) add(`${path}.broker`, `"${broker}" is not a broker declared in brokers (declared: ${list(Object.keys(s.brokers))})`);
    else if (!hasCapability(found, capability)) add(`${path}.broker`, `${what} needs a ${kindsWith(capability).join(" or ")} broker, but "${broker}" is ${found}`);
    return found !== undefined && hasCapability(found, capability);
  };
  /** The queue, exchange or topic is declared in the broker's resources. */
  const declared = (path: string, broker: string, noun: string, name: string) => {
    const kind = s.brokers[broker]?.kind;
    const { key, names } = kind ? declaredNames(kind, s.resources[broker], noun) : { key: `${noun}s`, names: [] };
    if (!names.includes(name)) add(path, `"${name}" is not ${/^[aeiou]/.test(noun) ? "an" : "a"} ${noun} declared in resources.${broker}.${key} (declared: ${list(names)})`);
  };
  const queue = (path: string, broker: string, name: string) => declared(path, broker, "queue", name);
  /** The part's `to`, checked by its broker's kind as a producer's would be (templates name no payload field). */
  const target = (path: string, broker: string, to: RabbitTarget) => {
    const kind = s.brokers[broker]?.kind;
    if (kind) problems.push(...(hooksOf(kind).checkTarget?.(s, path, broker, to, []) ?? []));
  };

  s.services.forEach((svc, si) => {
    const base = `services[${si}]`;
    checkNames(svc, base, add);
    svc.requesters?.forEach((r, i) => {
      const path = `${base}.requesters[${i}]`;
      templates(`${path}.payload`, r.payload);
      for (const [key, value] of Object.entries(r.headers)) if (typeof value === "string") template(`${path}.headers.${key}`, value, fieldsOf(r.payload));
      if (!brokerWith(path, r.broker, "requestReply", "request/reply (reply-to and correlation id are AMQP properties)")) return;
      target(`${path}.to`, r.broker, r.to);
      if (r.replyTo !== "exclusive") queue(`${path}.replyTo.queue`, r.broker, r.replyTo.queue);
      if (r.timeout <= 0) add(`${path}.timeout`, "must be greater than 0");
    });
    svc.repliers?.forEach((r, i) => {
      const path = `${base}.repliers[${i}]`;
      templates(`${path}.reply`, r.reply, ["*"]);
      if (brokerWith(path, r.broker, "requestReply", "a replier")) queue(`${path}.from.queue`, r.broker, r.from.queue);
    });
    svc.tasks?.forEach((t, i) => {
      const path = `${base}.tasks[${i}]`;
      template(`${path}.job`, t.job);
      templates(`${path}.args`, t.args);
      if (brokerWith(path, t.broker, "taskQueues", "a task queue")) target(`${path}.to`, t.broker, t.to);
    });
    svc.workers?.forEach((w, i) => {
      const path = `${base}.workers[${i}]`;
      for (const [name, job] of Object.entries(w.jobs)) templates(`${path}.jobs.${name}.result`, job.result, ["*"]);
      if (brokerWith(path, w.broker, "taskQueues", "a worker")) queue(`${path}.from.queue`, w.broker, w.from.queue);
    });
    if (svc.httpApi) {
      const path = `${base}.httpApi`;
      template(`${path}.job`, svc.httpApi.job);
      if (brokerWith(path, svc.httpApi.broker, "taskQueues", "an HTTP API's task queue")) target(`${path}.to`, svc.httpApi.broker, svc.httpApi.to);
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
      // A projection reads its event log again from the start whenever it is rebuilt: replay.
      if (brokerWith(path, p.broker, "replay", "a projection (it reads an event log)")) declared(`${path}.from.topic`, p.broker, "topic", p.from.topic);
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
