// The `resources.<broker>` entry of an aws broker as the driver reads it: SQS queues, SNS topics
// and their SQS subscriptions, EventBridge buses and rules targeting queues. Durations are in ms.
// These are what the admin reads of lib/brokers/aws.ts's parsed resources (which fill in the
// defaults): a scenario's entry passes as it is, and tests can write one without the defaults.

export interface AwsQueue {
  name: string;
  visibilityTimeout?: number;
  retention?: number;
  delay?: number;
  deadLetter?: { queue: string; maxReceiveCount: number };
  contentBasedDeduplication?: boolean;
  existing?: boolean;
}

export interface AwsTopic { name: string; existing?: boolean }
export interface AwsSubscription { topic: string; queue: string; raw?: boolean; filterPolicy?: Record<string, unknown> }
export interface AwsBus { name: string; existing?: boolean }
export interface AwsRule { name: string; bus?: string; pattern: Record<string, unknown>; targets: { queue: string }[] }

export interface AwsResources {
  queues: AwsQueue[];
  topics: AwsTopic[];
  subscriptions: AwsSubscription[];
  buses: AwsBus[];
  rules: AwsRule[];
}

/** What a run created on an aws broker, as its manifest keeps it: enough to delete it after a crash. */
export interface CreatedAws {
  queues: string[];
  topics: { name: string; arn: string }[];
  subscriptions: { topic: string; queue: string; arn: string }[];
  buses: string[];
  rules: { name: string; bus: string }[];
}

export const noneCreated = (): CreatedAws => ({ queues: [], topics: [], subscriptions: [], buses: [], rules: [] });

/** The names `apply` found already there (used, never deleted). */
export interface ExistedAws {
  queues: string[];
  topics: string[];
  subscriptions: { topic: string; queue: string }[];
  buses: string[];
  rules: { name: string; bus: string }[];
}

export const defaultBus = "default";
export const isFifo = (name: string) => name.endsWith(".fifo");
export const subscriptionName = (s: { topic: string; queue: string }) => `${s.topic} → ${s.queue}`;
export const ruleName = (r: { name: string; bus: string }) => `${r.bus}/${r.name}`;
