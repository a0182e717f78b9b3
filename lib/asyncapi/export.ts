// A scenario as an AsyncAPI 3.0 document: servers per broker, channels per endpoint, a send
// operation per producer (and per forwarding consumer), a receive operation per consumer, and
// messages with the JSON Schema of what the producer sends. `x-brokerlab-*` extensions keep what
// AsyncAPI has no field for, so lib/asyncapi/import.ts can rebuild the same scenario.
import { stringify } from "yaml";
import { descriptorOf } from "../brokers";
import type { Scenario } from "../scenario/schema";
import { asyncapiId, channelBindings, channelId, endpointOf, formOfCollection, serverId, serversOf } from "./channels";
import { payloadSchema } from "./payload-schema";

type Entry = Record<string, unknown>;
export interface AsyncApiDocument extends Entry {
  asyncapi: "3.0.0";
  channels: Record<string, Entry & { messages: Record<string, Entry> }>;
  operations: Record<string, Entry>;
}

interface SentMessage { id: string; broker: string; to: object; channel: string }

const ref = (...path: string[]) => ({ $ref: `#/${path.join("/")}` });
const without = (value: object, ...keys: string[]) => Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));

export function scenarioToAsyncApi(scenario: Scenario): AsyncApiDocument {
  const servers: Record<string, Entry> = {};
  const channels: AsyncApiDocument["channels"] = {};
  const operations: Record<string, Entry> = {};
  const messages: Record<string, Entry> = {};
  const kindOf = (broker: string) => scenario.brokers[broker]!.kind;

  for (const [name, broker] of Object.entries(scenario.brokers)) for (const [id, server] of serversOf(name, broker)) servers[id] = server;

  /** The channel of a broker's endpoint, created on first use. */
  const channel = (broker: string, endpoint: { form: string; name: string }, entry?: Entry) => {
    const id = channelId(broker, endpoint.form, endpoint.name);
    const kind = kindOf(broker);
    channels[id] ??= {
      address: endpoint.name,
      servers: [ref("servers", serverId(broker, kind, endpoint.form))],
      messages: {},
      ...(channelBindings(kind, endpoint.form, endpoint.name, entry) ? { bindings: channelBindings(kind, endpoint.form, endpoint.name, entry) } : {}),
      "x-brokerlab-broker": broker,
      "x-brokerlab-form": endpoint.form,
    };
    if (entry) channels[id]["x-brokerlab-resource"] = entry;
    return id;
  };

  for (const [broker, resources] of Object.entries(scenario.resources)) {
    const links: Entry = {};
    for (const [collection, items] of Object.entries(without(resources, "kind"))) {
      const form = formOfCollection(kindOf(broker), collection);
      if (!form) links[collection] = items;
      else for (const item of items as Entry[]) channel(broker, { form, name: String(item.name) }, item);
    }
    // Bindings, subscriptions of queues to SNS topics and EventBridge rules join channels; AsyncAPI has no object for them.
    if (Object.values(links).some((items) => (items as unknown[]).length > 0)) servers[broker]!["x-brokerlab-links"] = links;
  }

  const sent: SentMessage[] = [];
  const send = (service: string, part: string, broker: string, to: object, payload: unknown, details: Entry) => {
    const id = asyncapiId(service, part);
    const endpoint = endpointOf(kindOf(broker), to);
    if (!endpoint) return;
    const channelKey = channel(broker, endpoint);
    messages[id] = { name: id, contentType: "application/json", payload: payloadSchema(payload), ...(payload === undefined ? {} : { "x-brokerlab-template": payload }) };
    channels[channelKey]!.messages[id] = ref("components", "messages", id);
    sent.push({ id, broker, to, channel: channelKey });
    operations[asyncapiId(service, part, "send")] = {
      action: "send",
      channel: ref("channels", channelKey),
      messages: [ref("channels", channelKey, "messages", id)],
      ...sendBindings(kindOf(broker), details),
      "x-brokerlab-service": service,
      ...details,
    };
  };

  for (const service of scenario.services) {
    for (const producer of service.producers) send(service.name, producer.name, producer.broker, producer.to, producer.payload, { "x-brokerlab-producer": without(producer, "payload") });
    for (const consumer of service.consumers) {
      if (consumer.forward) send(service.name, `${consumer.name}.forward`, consumer.forward.broker, consumer.forward.to, consumer.forward.payload, { "x-brokerlab-forward-of": consumer.name });
    }
  }

  for (const service of scenario.services) {
    for (const consumer of service.consumers) {
      const kind = kindOf(consumer.broker);
      const endpoint = endpointOf(kind, consumer.from);
      if (!endpoint) continue;
      const channelKey = channel(consumer.broker, endpoint);
      const resources = scenario.resources[consumer.broker];
      const arriving = sent.filter((m) => m.broker === consumer.broker && (m.channel === channelKey || descriptorOf(kind).routesTo(resources as never, m.to, consumer.from)));
      for (const m of arriving) channels[channelKey]!.messages[m.id] = ref("components", "messages", m.id);
      operations[asyncapiId(service.name, consumer.name, "receive")] = {
        action: "receive",
        channel: ref("channels", channelKey),
        messages: arriving.map((m) => ref("channels", channelKey, "messages", m.id)),
        ...receiveBindings(kind, consumer.from, consumer.ack),
        "x-brokerlab-service": service.name,
        "x-brokerlab-consumer": consumer,
      };
    }
  }

  return {
    asyncapi: "3.0.0",
    info: {
      title: scenario.name,
      version: "1.0.0",
      ...(scenario.description ? { description: scenario.description } : {}),
      "x-brokerlab-tracing": scenario.tracing,
      "x-brokerlab-services": scenario.services.map((s) => ({ name: s.name, replicas: s.replicas, ...(s.description ? { description: s.description } : {}) })),
    },
    defaultContentType: "application/json",
    servers,
    channels,
    operations,
    components: { messages },
  };
}

function sendBindings(kind: string, details: Entry): Entry {
  const producer = details["x-brokerlab-producer"] as { persistent?: boolean; mandatory?: boolean } | undefined;
  if (kind !== "rabbitmq" || !producer) return {};
  return { bindings: { amqp: { deliveryMode: producer.persistent === false ? 1 : 2, mandatory: producer.mandatory ?? false, bindingVersion: "0.3.0" } } };
}

function receiveBindings(kind: string, from: object, ack: string): Entry {
  if (kind === "rabbitmq") return { bindings: { amqp: { ack: ack === "manual", bindingVersion: "0.3.0" } } };
  const group = (from as { group?: unknown }).group;
  if (kind === "kafka" && typeof group === "string") return { bindings: { kafka: { groupId: { type: "string", enum: [group] }, bindingVersion: "0.5.0" } } };
  return {};
}

/** The scenario's AsyncAPI document as YAML. */
export const scenarioToAsyncApiYaml = (scenario: Scenario) => stringify(scenarioToAsyncApi(scenario), { aliasDuplicateObjects: false, lineWidth: 0 });
