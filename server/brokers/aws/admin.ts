// The admin of one aws broker (SQS, SNS and EventBridge on one endpoint): applies a scenario's
// resources, each looked for first, records only what it creates, deletes only that again.
import { BrokerError } from "../types";
import { createAwsClients, type AwsEndpoint } from "./clients";
import { createEventsAdmin } from "./events-admin";
import { defaultBus, noneCreated, type AwsResources, type CreatedAws, type ExistedAws } from "./resources";
import { createSnsAdmin } from "./sns-admin";
import { createSqsAdmin, creationOrder, type SqsDepth } from "./sqs-admin";

/** A resource marked `existing` that is not there: the run must not create it. */
const missing = (what: string, endpoint: string) =>
  new BrokerError("NOT_FOUND", `${what} is marked existing but does not exist at ${endpoint}; create it first or remove "existing: true"`, false);

/**
 * The access policy of a queue the run created: SNS may send to it from the run's topics and
 * EventBridge from its rules. moto does not check it; real AWS drops deliveries without it.
 */
export function queuePolicy(queueArn: string, topicArns: string[], ruleArns: string[]) {
  const statement = (sid: string, service: string, sources: string[]) => ({
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sqs:SendMessage",
    Resource: queueArn,
    Condition: { ArnEquals: { "aws:SourceArn": sources } },
  });
  return {
    Version: "2012-10-17",
    Statement: [
      ...(topicArns.length > 0 ? [statement("brokerlab-sns", "sns.amazonaws.com", topicArns)] : []),
      ...(ruleArns.length > 0 ? [statement("brokerlab-events", "events.amazonaws.com", ruleArns)] : []),
    ],
  };
}

export function createAwsAdmin(target: AwsEndpoint) {
  const clients = createAwsClients(target);
  const where = target.endpoint;
  const sqs = createSqsAdmin(clients.sqs, where);
  const sns = createSnsAdmin(clients.sns, where);
  const events = createEventsAdmin(clients.events, where);

  async function apply(resources: AwsResources, onCreated: (created: CreatedAws) => void = () => {}): Promise<ExistedAws> {
    const created = noneCreated();
    const existed: ExistedAws = { queues: [], topics: [], subscriptions: [], buses: [], rules: [] };
    const told = () => onCreated(structuredClone(created));

    for (const queue of creationOrder(resources.queues)) {
      if (await sqs.findUrl(queue.name)) existed.queues.push(queue.name);
      else if (queue.existing) throw missing(`Queue "${queue.name}"`, where);
      else {
        const dlqArn = queue.deadLetter ? await sqs.arnOf(queue.deadLetter.queue) : undefined;
        await sqs.create(queue, dlqArn);
        created.queues.push(queue.name);
        told();
      }
    }

    const topicArns = new Map<string, string>();
    for (const topic of resources.topics) {
      const found = await sns.findTopic(topic.name);
      if (found) existed.topics.push(topic.name);
      else if (topic.existing) throw missing(`Topic "${topic.name}"`, where);
      const arn = found ?? (await sns.createTopic(topic.name));
      topicArns.set(topic.name, arn);
      if (!found) {
        created.topics.push({ name: topic.name, arn });
        told();
      }
    }

    for (const bus of resources.buses) {
      if (bus.name === defaultBus || (await events.busExists(bus.name))) existed.buses.push(bus.name);
      else if (bus.existing) throw missing(`Bus "${bus.name}"`, where);
      else {
        await events.createBus(bus.name);
        created.buses.push(bus.name);
        told();
      }
    }

    // A rule that exists is used as it is; one the run creates gets its targets below.
    const ruleArns = new Map<string, string>();
    for (const rule of resources.rules) {
      const bus = rule.bus ?? defaultBus;
      if (await events.findRule(rule.name, bus)) existed.rules.push({ name: rule.name, bus });
      else {
        ruleArns.set(rule.name, await events.putRule(rule, bus));
        created.rules.push({ name: rule.name, bus });
        told();
      }
    }

    const queueArns = new Map<string, string>();
    const arnOf = async (queue: string) => queueArns.get(queue) ?? queueArns.set(queue, await sqs.arnOf(queue)).get(queue)!;

    // Only the run's own queues get a policy: an existing queue's policy is its owner's.
    for (const queue of created.queues) {
      const topics = resources.subscriptions.filter((s) => s.queue === queue).flatMap((s) => topicArns.get(s.topic) ?? []);
      const rules = resources.rules.filter((r) => r.targets.some((t) => t.queue === queue)).flatMap((r) => ruleArns.get(r.name) ?? []);
      if (topics.length + rules.length > 0) await sqs.setPolicy(queue, queuePolicy(await arnOf(queue), [...new Set(topics)], rules));
    }

    for (const subscription of resources.subscriptions) {
      const topicArn = topicArns.get(subscription.topic) ?? (await sns.findTopic(subscription.topic));
      if (!topicArn) throw missing(`Topic "${subscription.topic}" (subscribed to by queue "${subscription.queue}")`, where);
      const queueArn = await arnOf(subscription.queue);
      if (await sns.findSubscription(topicArn, queueArn)) existed.subscriptions.push({ topic: subscription.topic, queue: subscription.queue });
      else {
        const arn = await sns.subscribe(topicArn, queueArn, subscription);
        created.subscriptions.push({ topic: subscription.topic, queue: subscription.queue, arn });
        told();
      }
    }

    for (const rule of resources.rules) {
      if (!ruleArns.has(rule.name)) continue;
      await events.putTargets(rule, rule.bus ?? defaultBus, await Promise.all(rule.targets.map((t) => arnOf(t.queue))));
    }
    return existed;
  }

  /** Deletes what `apply` created, dependants first; tries every one and then reports those that failed. */
  async function teardown(created: CreatedAws): Promise<void> {
    const failures: string[] = [];
    const attempt = async (what: string, run: () => Promise<void>) => {
      await run().catch((error: unknown) => void failures.push(`${what}: ${(error as Error).message}`));
    };
    for (const s of created.subscriptions) await attempt(`subscription ${s.topic} → ${s.queue}`, () => sns.unsubscribe(s.arn));
    for (const r of created.rules) await attempt(`rule "${r.name}"`, () => events.deleteRule(r.name, r.bus));
    for (const t of created.topics) await attempt(`topic "${t.name}"`, () => sns.deleteTopic(t.arn));
    for (const b of created.buses) await attempt(`bus "${b}"`, () => events.deleteBus(b));
    for (const q of created.queues) await attempt(`queue "${q}"`, () => sqs.remove(q));
    if (failures.length > 0) throw new BrokerError("BROKER_UNAVAILABLE", `Could not delete at ${where}: ${failures.join("; ")}`, true);
  }

  return {
    apply,
    teardown,
    /** Depth of each named queue that exists (missing ones are left out). */
    async depths(names: string[]): Promise<({ name: string } & SqsDepth)[]> {
      const read = await Promise.all(names.map(async (name) => ({ name, depth: await sqs.depth(name) })));
      return read.flatMap(({ name, depth }) => (depth ? [{ name, ...depth }] : []));
    },
    close: (): Promise<void> => {
      clients.destroy();
      return Promise.resolve();
    },
  };
}

export type AwsAdmin = ReturnType<typeof createAwsAdmin>;
