// An AsyncAPI 3.0 document as a scenario skeleton: brokers from servers, resources from channels,
// producers from send operations and consumers from receive operations. The `x-brokerlab-*`
// extensions of Brokerlab's own export (lib/asyncapi/export.ts) bring back what AsyncAPI has no
// field for; any other document gets defaults a teacher then edits (rates, payloads, groups).
import { z } from "zod";
import type { Broker, ScenarioInput } from "../scenario/schema";
import { endpointForms } from "./channels";

export interface ImportProblem { path: string; message: string }
export type ImportResult = { ok: true; scenario: ScenarioInput } | { ok: false; problems: ImportProblem[] };

type Entry = Record<string, unknown>;
const refSchema = z.object({ $ref: z.string() });
const documentSchema = z.object({
  asyncapi: z.string().regex(/^3\./, "must be a 3.x version (Brokerlab reads AsyncAPI 3); convert a 2.x document with the AsyncAPI CLI first"),
  info: z.object({ title: z.string({ error: "must be the document's title" }).min(1, "must not be empty") }, { error: "must be an object with a title" }).passthrough(),
  servers: z.record(z.string(), z.object({ protocol: z.string({ error: "must name the protocol (amqp, kafka, …)" }), host: z.string({ error: "must be host:port" }) }).passthrough(), { error: "must map server names to { host, protocol }, one per broker" }).refine((s) => Object.keys(s).length > 0, "must list at least one server (a broker)"),
  channels: z.record(z.string(), z.object({ address: z.string().nullable().optional(), servers: z.array(refSchema).optional(), bindings: z.record(z.string(), z.any()).optional() }).passthrough()).default({}),
  operations: z.record(z.string(), z.object({ action: z.enum(["send", "receive"]), channel: refSchema, messages: z.array(refSchema).optional() }).passthrough()).default({}),
  components: z.object({ messages: z.record(z.string(), z.any()).optional() }).passthrough().optional(),
});
type AsyncApiDoc = z.output<typeof documentSchema>;

const kindOfProtocol: Record<string, Broker["kind"]> = { amqp: "rabbitmq", amqps: "rabbitmq", kafka: "kafka", "kafka-secure": "kafka", sqs: "aws", sns: "aws", googlepubsub: "pubsub", redis: "redis", rediss: "redis" };

/** A name the scenario accepts: starts with a letter; letters, digits, '-' and '_'. */
const slug = (text: string) => `x${text}`.replace(/[^a-zA-Z0-9_-]+/g, "-").replace(/^x(?=[a-zA-Z])/, "").slice(0, 64);
const unescape = (part: string) => part.replace(/~1/g, "/").replace(/~0/g, "~");
const refPath = (ref: string) => (ref.startsWith("#/") ? ref.slice(2).split("/").map(unescape) : undefined);

export function asyncApiToScenario(input: unknown): ImportResult {
  const parsed = documentSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) };
  const doc = parsed.data;
  const problems: ImportProblem[] = [];
  const brokers: Record<string, Entry & { kind: Broker["kind"] }> = {};
  const brokerOfServer: Record<string, string> = {};
  const resources: Record<string, Record<string, Entry[]>> = {};

  for (const [id, server] of Object.entries(doc.servers)) {
    const kind = (server["x-brokerlab-kind"] as Broker["kind"] | undefined) ?? kindOfProtocol[server.protocol];
    if (!kind) {
      problems.push({ path: `servers.${id}.protocol`, message: `"${server.protocol}" is not a protocol Brokerlab runs; use ${Object.keys(kindOfProtocol).join(", ")}` });
      continue;
    }
    const broker = slug(String(server["x-brokerlab-broker"] ?? id));
    brokerOfServer[id] = broker;
    brokers[broker] ??= { kind };
    const links = server["x-brokerlab-links"] as Record<string, Entry[]> | undefined;
    for (const [collection, items] of Object.entries(links ?? {})) ((resources[broker] ??= {})[collection] ??= []).push(...items);
  }

  const endpoints: Record<string, { broker: string; kind: Broker["kind"]; form: string; name: string }> = {};
  for (const [id, channel] of Object.entries(doc.channels)) {
    const path = `channels.${id}`;
    const serverRef = channel.servers?.[0]?.$ref;
    const serverKey = serverRef ? refPath(serverRef)?.[1] : Object.keys(brokerOfServer)[0];
    const broker = (channel["x-brokerlab-broker"] as string | undefined) ?? (serverKey ? brokerOfServer[serverKey] : undefined);
    if (!broker || !brokers[broker]) {
      problems.push({ path: `${path}.servers`, message: `names no server Brokerlab can run${serverRef ? ` (${serverRef})` : ""}; point it at one of #/servers/${Object.keys(brokerOfServer).join(", #/servers/")}` });
      continue;
    }
    const kind = brokers[broker].kind;
    const form = (channel["x-brokerlab-form"] as string | undefined) ?? formFromBindings(kind, doc.servers[serverKey ?? ""]?.protocol, channel.bindings);
    const name = channel.address ?? undefined;
    if (typeof name !== "string") {
      problems.push({ path: `${path}.address`, message: "is missing or null; a channel Brokerlab declares needs a fixed address (the queue, topic or stream name)" });
      continue;
    }
    endpoints[id] = { broker, kind, form, name };
    const collection = endpointForms[kind][form];
    // Brokerlab's own export marks the channels it declares; an undeclared one (a default exchange) stays undeclared.
    const entry = (channel["x-brokerlab-resource"] as Entry | undefined) ?? (channel["x-brokerlab-broker"] ? undefined : resourceFromBindings(name, channel.bindings));
    if (collection && entry) ((resources[broker] ??= {})[collection] ??= []).push(entry);
  }

  const services = new Map<string, { name: string; producers: Entry[]; consumers: Entry[] } & Entry>();
  const listed = (doc.info["x-brokerlab-services"] as Entry[] | undefined) ?? [];
  for (const service of listed) services.set(String(service.name), { ...service, name: String(service.name), producers: [], consumers: [] });
  for (const [id, operation] of Object.entries(doc.operations)) {
    if (operation["x-brokerlab-forward-of"]) continue; // the consumer's own `forward` brings it back
    const path = `operations.${id}`;
    const channelKey = refPath(operation.channel.$ref);
    const endpoint = channelKey?.[0] === "channels" && channelKey.length === 2 ? endpoints[channelKey[1]!] : undefined;
    if (!endpoint) {
      if (!(channelKey?.[0] === "channels" && doc.channels[channelKey[1] ?? ""])) problems.push({ path: `${path}.channel`, message: `$ref "${operation.channel.$ref}" names no channel of this document; use #/channels/<id>` });
      continue;
    }
    const serviceName = slug(String(operation["x-brokerlab-service"] ?? doc.info.title));
    if (!services.has(serviceName)) services.set(serviceName, { name: serviceName, producers: [], consumers: [] });
    const service = services.get(serviceName)!;
    const name = slug(id.replace(/\.(send|receive)$/, "").split(".").at(-1) ?? id);
    if (operation.action === "send") {
      const template = messageTemplate(doc, operation.messages?.[0]?.$ref);
      service.producers.push({ ...((operation["x-brokerlab-producer"] as Entry | undefined) ?? { name, broker: endpoint.broker, to: { [endpoint.form]: endpoint.name } }), ...(template === undefined ? {} : { payload: template }) });
    } else {
      service.consumers.push((operation["x-brokerlab-consumer"] as Entry | undefined) ?? { name, broker: endpoint.broker, from: sourceOf(endpoint, name, operation.bindings as Entry | undefined, resources) });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    scenario: {
      version: 1,
      name: slug(doc.info.title),
      ...(typeof doc.info.description === "string" ? { description: doc.info.description.slice(0, 2000) } : {}),
      ...(doc.info["x-brokerlab-tracing"] ? { tracing: doc.info["x-brokerlab-tracing"] as ScenarioInput["tracing"] } : {}),
      brokers: brokers as ScenarioInput["brokers"],
      resources,
      services: [...services.values()] as ScenarioInput["services"],
    },
  };
}

function formFromBindings(kind: Broker["kind"], protocol: string | undefined, bindings: Entry | undefined): string {
  const amqp = bindings?.amqp as { is?: string } | undefined;
  if (kind === "rabbitmq") return amqp?.is === "routingKey" ? "exchange" : "queue";
  if (kind === "aws") return protocol === "sns" || bindings?.sns ? "snsTopic" : "queue";
  return Object.keys(endpointForms[kind])[0]!;
}

function resourceFromBindings(name: string, bindings: Entry | undefined): Entry {
  const kafka = bindings?.kafka as { partitions?: number; replicas?: number } | undefined;
  const exchange = (bindings?.amqp as { exchange?: { type?: string } } | undefined)?.exchange;
  const type = exchange?.type && ["direct", "fanout", "topic", "headers"].includes(exchange.type) ? { type: exchange.type } : {};
  return { name, ...type, ...(kafka?.partitions ? { partitions: kafka.partitions } : {}), ...(kafka?.replicas ? { replicationFactor: kafka.replicas } : {}) };
}

/** A consumer's `from` on a channel of a document Brokerlab did not write: groups and subscriptions named after the operation. */
function sourceOf(endpoint: { broker: string; kind: Broker["kind"]; form: string; name: string }, name: string, bindings: Entry | undefined, resources: Record<string, Record<string, Entry[]>>): Entry {
  const groupId = (bindings?.kafka as { groupId?: { enum?: unknown[]; const?: unknown } } | undefined)?.groupId;
  if (endpoint.form === "topic") return { topic: endpoint.name, group: String(groupId?.enum?.[0] ?? groupId?.const ?? name) };
  if (endpoint.form === "stream") return { stream: endpoint.name, group: name };
  if (endpoint.form === "pubsubTopic") {
    const subscription = `${endpoint.name}-${name}`;
    ((resources[endpoint.broker] ??= {}).subscriptions ??= []).push({ name: subscription, topic: endpoint.name });
    return { subscription };
  }
  return { [endpoint.form]: endpoint.name };
}

/** The payload template of the operation's first message: Brokerlab's own, else the message's first example. */
function messageTemplate(doc: AsyncApiDoc, ref: string | undefined, depth = 0): unknown {
  let message: unknown = doc;
  for (const part of (ref && refPath(ref)) || []) message = (message as Entry | undefined)?.[part];
  const target = (message as Entry | undefined)?.$ref;
  // A few hops (operation → channel → components); a $ref cycle ends here.
  if (typeof target === "string") return depth < 8 ? messageTemplate(doc, target, depth + 1) : undefined;
  const entry = message as { "x-brokerlab-template"?: unknown; payload?: { examples?: unknown[] }; examples?: { payload?: unknown }[] } | undefined;
  return entry?.["x-brokerlab-template"] ?? entry?.examples?.[0]?.payload ?? entry?.payload?.examples?.[0];
}
