// The references of a scenario's Amazon SQS/SNS/EventBridge parts, checked before anything is
// created: subscriptions, redrive and rule targets name declared queues and topics, FIFO queues
// and topics get a message group, and a body fits in the 256 KiB AWS takes.
import type { z } from "zod";
import { parseTemplate } from "../scenario/template";
import type { awsResourcesSchema } from "./aws";
import { defaultBusName, eventBridgeTargetSchema, isFifoName, snsTargetSchema, sqsSourceSchema, sqsTargetSchema } from "./aws";
import { isAttributeName, maxAwsMessageBytes, scenarioAttributeLimit, wireOverheadBytes } from "./aws-wire";
import { duplicates, list } from "./check-parts";
import type { BrokerProblem, CheckedScenario } from "./types";

type AwsResources = z.output<typeof awsResourcesSchema>;

const bodyBytes = (payload: unknown) => {
  try {
    return new TextEncoder().encode(JSON.stringify(payload ?? null)).length;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
};
const maxBodyBytes = maxAwsMessageBytes - wireOverheadBytes;

export function checkAwsScenario(scenario: CheckedScenario): BrokerProblem[] {
  const problems: BrokerProblem[] = [];
  const add = (path: string, message: string): void => void problems.push({ path, message });
  const empty: AwsResources = { queues: [], topics: [], subscriptions: [], buses: [], rules: [] };
  const resourcesOf = (broker: string) => {
    const entry = scenario.resources[broker];
    return entry?.kind === "aws" ? (entry as { kind: "aws" } & AwsResources) : empty;
  };
  const isAws = (broker: string) => scenario.brokers[broker]?.kind === "aws";

  for (const broker of Object.keys(scenario.resources).filter(isAws)) checkResources(`resources.${broker}`, resourcesOf(broker), add);

  const checkTemplate = (path: string, source: string | undefined, fields: readonly string[]) => {
    const parsed = source === undefined ? undefined : parseTemplate(source, fields);
    if (parsed && "error" in parsed) add(path, parsed.error);
  };
  const checkTarget = (path: string, broker: string, to: object, body: { payload: unknown; sizeBytes?: number; headers: Readonly<Record<string, unknown>> }, fields: readonly string[]) => {
    const res = resourcesOf(broker);
    const at = `resources.${broker}`;
    const queue = sqsTargetSchema.safeParse(to);
    const topic = snsTargetSchema.safeParse(to);
    const bus = eventBridgeTargetSchema.safeParse(to);
    let attributes = Object.keys(body.headers);
    if (queue.success) {
      const { queue: name, groupId, deduplicationId } = queue.data;
      const declared = res.queues.find((q) => q.name === name);
      if (!declared) add(`${path}.queue`, `"${name}" is not a queue declared in ${at}.queues (declared: ${list(res.queues.map((q) => q.name))})`);
      checkGroup(path, "queue", name, groupId, add);
      if (deduplicationId !== undefined && !isFifoName(name)) add(`${path}.deduplicationId`, `queue "${name}" is a standard queue; only FIFO queues (named …${".fifo"}) deduplicate; remove deduplicationId`);
      if (declared && !declared.existing && isFifoName(name) && deduplicationId === undefined && !declared.contentBasedDeduplication) {
        add(`${path}.deduplicationId`, `FIFO queue "${name}" needs a deduplication id: set deduplicationId (e.g. "{{seq}}") or contentBasedDeduplication: true on the queue`);
      }
      checkTemplate(`${path}.groupId`, groupId, fields);
      checkTemplate(`${path}.deduplicationId`, deduplicationId, fields);
    } else if (topic.success) {
      const { snsTopic: name, groupId } = topic.data;
      if (!res.topics.some((t) => t.name === name)) add(`${path}.snsTopic`, `"${name}" is not a topic declared in ${at}.topics (declared: ${list(res.topics.map((t) => t.name))})`);
      checkGroup(path, "topic", name, groupId, add);
      checkTemplate(`${path}.groupId`, groupId, fields);
      attributes = [...attributes, ...Object.keys(topic.data.attributes ?? {})];
      for (const name of Object.keys(topic.data.attributes ?? {})) if (!isAttributeName(name)) add(`${path}.attributes.${name}`, attributeNameMessage);
    } else if (bus.success) {
      checkBus(`${path}.bus`, bus.data.bus, res, at, add);
      attributes = []; // EventBridge carries headers inside the event's detail, without a limit on their number.
    }
    if (!bus.success) {
      for (const name of Object.keys(body.headers)) if (!isAttributeName(name)) add(`${path.replace(/\.to$/, "")}.headers.${name}`, attributeNameMessage);
      if (attributes.length > scenarioAttributeLimit) {
        add(path.replace(/\.to$/, ".headers"), `sets ${attributes.length} headers and attributes; an SQS/SNS message carries at most 10 attributes and Brokerlab's own take ${10 - scenarioAttributeLimit}, so at most ${scenarioAttributeLimit} are left`);
      }
    }
    const literal = bodyBytes(body.payload);
    if (literal > maxBodyBytes) add(path.replace(/\.to$/, ".payload"), `is ${literal} bytes as written; an Amazon message holds at most ${maxAwsMessageBytes} bytes (256 KiB) and Brokerlab's headers need ${wireOverheadBytes}, so keep the payload under ${maxBodyBytes} bytes`);
    if (body.sizeBytes !== undefined && body.sizeBytes > maxBodyBytes) add(path.replace(/\.to$/, ".sizeBytes"), `pads bodies to ${body.sizeBytes} bytes; an Amazon message holds at most ${maxAwsMessageBytes} bytes (256 KiB) and Brokerlab's headers need ${wireOverheadBytes}, so use at most ${maxBodyBytes}`);
  };

  scenario.services.forEach((service, si) => {
    service.producers.forEach((p, pi) => {
      const fields = p.payload && typeof p.payload === "object" && !Array.isArray(p.payload) ? Object.keys(p.payload) : [];
      if (isAws(p.broker)) checkTarget(`services[${si}].producers[${pi}].to`, p.broker, p.to, p, fields);
    });
    service.consumers.forEach((c, ci) => {
      const path = `services[${si}].consumers[${ci}]`;
      if (c.forward && isAws(c.forward.broker)) checkTarget(`${path}.forward.to`, c.forward.broker, c.forward.to, { payload: c.forward.payload, headers: c.forward.headers }, ["*"]);
      const from = sqsSourceSchema.safeParse(c.from);
      if (!isAws(c.broker) || !from.success) return;
      const res = resourcesOf(c.broker);
      const queue = res.queues.find((q) => q.name === from.data.queue);
      if (!queue) add(`${path}.from.queue`, `"${from.data.queue}" is not a queue declared in resources.${c.broker}.queues (declared: ${list(res.queues.map((q) => q.name))})`);
      else if (c.onError.then === "dead-letter" && !queue.deadLetter && !queue.existing) {
        add(`${path}.onError.then`, `dead-letter needs a redrive on queue "${queue.name}": set deadLetter: { queue, maxReceiveCount } on it in resources.${c.broker}.queues`);
      }
    });
  });
  return problems;
}

const attributeNameMessage = "is not a valid SQS/SNS message attribute name: use letters, digits, '_', '-' and single '.', not starting with AWS. or Amazon.";

/** A FIFO queue or topic needs a message group; a standard one has none. */
function checkGroup(path: string, noun: string, name: string, groupId: string | undefined, add: (path: string, message: string) => void) {
  if (isFifoName(name) && groupId === undefined) add(`${path}.groupId`, `is required: ${noun} "${name}" is FIFO and every message needs a message group; set groupId, e.g. "{{customerId}}"`);
  if (!isFifoName(name) && groupId !== undefined) add(`${path}.groupId`, `${noun} "${name}" is a standard ${noun}; message groups need a FIFO ${noun}, whose name ends in .fifo (e.g. "${name}.fifo"), or remove groupId`);
}

function checkBus(path: string, bus: string, res: AwsResources, at: string, add: (path: string, message: string) => void) {
  if (bus !== defaultBusName && !res.buses.some((b) => b.name === bus)) add(path, `"${bus}" is not a bus declared in ${at}.buses (declared: ${list(res.buses.map((b) => b.name))}); the "${defaultBusName}" bus needs no declaration`);
}

function checkResources(at: string, res: AwsResources, add: (path: string, message: string) => void) {
  const queues = res.queues.map((q) => q.name);
  const topics = res.topics.map((t) => t.name);
  for (const [key, names] of [["queues", queues], ["topics", topics], ["buses", res.buses.map((b) => b.name)], ["rules", res.rules.map((r) => r.name)]] as const) {
    for (const name of duplicates(names)) add(`${at}.${key}`, `"${name}" is declared twice in ${key}`);
  }
  const undeclaredQueue = (name: string) => `"${name}" is not a queue declared in ${at}.queues (declared: ${list(queues)})`;
  res.queues.forEach((q, i) => {
    if (q.contentBasedDeduplication && !isFifoName(q.name)) add(`${at}.queues[${i}].contentBasedDeduplication`, `queue "${q.name}" is a standard queue; content-based deduplication needs a FIFO queue, whose name ends in .fifo`);
    if (!q.deadLetter) return;
    if (!queues.includes(q.deadLetter.queue)) add(`${at}.queues[${i}].deadLetter.queue`, undeclaredQueue(q.deadLetter.queue));
    else if (isFifoName(q.deadLetter.queue) !== isFifoName(q.name)) add(`${at}.queues[${i}].deadLetter.queue`, `a ${isFifoName(q.name) ? "FIFO" : "standard"} queue needs a ${isFifoName(q.name) ? "FIFO" : "standard"} dead-letter queue (SQS's rule); "${q.deadLetter.queue}" is not`);
  });
  res.subscriptions.forEach((s, i) => {
    const path = `${at}.subscriptions[${i}]`;
    if (!topics.includes(s.topic)) add(`${path}.topic`, `"${s.topic}" is not a topic declared in ${at}.topics (declared: ${list(topics)}); declare it, with existing: true if another program owns it`);
    if (!queues.includes(s.queue)) add(`${path}.queue`, `${undeclaredQueue(s.queue)}; declare it, with existing: true if another program owns it`);
    if (isFifoName(s.topic) && !isFifoName(s.queue)) add(`${path}.queue`, `FIFO topic "${s.topic}" delivers only to FIFO queues; "${s.queue}" is a standard queue (name it …${".fifo"})`);
    if (!isFifoName(s.topic) && isFifoName(s.queue)) add(`${path}.queue`, `standard topic "${s.topic}" cannot deliver to FIFO queue "${s.queue}"; subscribe a standard queue or make the topic FIFO`);
  });
  res.rules.forEach((r, i) => {
    checkBus(`${at}.rules[${i}].bus`, r.bus, res, at, add);
    r.targets.forEach((t, ti) => {
      if (!queues.includes(t.queue)) add(`${at}.rules[${i}].targets[${ti}].queue`, undeclaredQueue(t.queue));
    });
  });
}
