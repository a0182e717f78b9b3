// SNS topics and their SQS subscriptions of a run: find the existing ones (ListTopics,
// ListSubscriptionsByTopic), create the missing ones, delete what the run created.
import { CreateTopicCommand, DeleteTopicCommand, ListSubscriptionsByTopicCommand, ListTopicsCommand, SubscribeCommand, UnsubscribeCommand, type SNSClient } from "@aws-sdk/client-sns";
import { awsCall, isNotFound } from "./errors";
import { isFifo, type AwsSubscription } from "./resources";

/** Subscription attributes: raw delivery carries the message and its attributes as they were published. */
export function subscriptionAttributes(subscription: AwsSubscription): Record<string, string> {
  return {
    ...(subscription.raw ? { RawMessageDelivery: "true" } : {}),
    ...(subscription.filterPolicy ? { FilterPolicy: JSON.stringify(subscription.filterPolicy) } : {}),
  };
}

export function createSnsAdmin(sns: SNSClient, endpoint: string) {
  const call = <T>(what: string, run: () => Promise<T>) => awsCall(endpoint, what, run);

  /** Every topic ARN of the account and region (ListTopics pages through 100 at a time). */
  async function topicArns(): Promise<string[]> {
    const arns: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await call("list SNS topics", () => sns.send(new ListTopicsCommand({ NextToken })));
      arns.push(...(page.Topics ?? []).flatMap((t) => (t.TopicArn ? [t.TopicArn] : [])));
      NextToken = page.NextToken;
    } while (NextToken);
    return arns;
  }

  return {
    /** The ARN of topic `name`, or undefined when there is none. */
    async findTopic(name: string): Promise<string | undefined> {
      return (await topicArns()).find((arn) => arn.endsWith(`:${name}`));
    },
    async createTopic(name: string): Promise<string> {
      const { TopicArn } = await call(`create topic "${name}"`, () => sns.send(new CreateTopicCommand({ Name: name, ...(isFifo(name) ? { Attributes: { FifoTopic: "true" } } : {}) })));
      if (!TopicArn) throw new Error(`SNS at ${endpoint} gave no ARN for topic "${name}"`);
      return TopicArn;
    },
    async deleteTopic(arn: string): Promise<void> {
      await sns.send(new DeleteTopicCommand({ TopicArn: arn })).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    },
    /** The ARN of the topic's subscription of queue `queueArn`, or undefined. */
    async findSubscription(topicArn: string, queueArn: string): Promise<string | undefined> {
      let NextToken: string | undefined;
      do {
        const page = await call(`list the subscriptions of ${topicArn}`, () => sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken })));
        const found = page.Subscriptions?.find((s) => s.Protocol === "sqs" && s.Endpoint === queueArn);
        if (found?.SubscriptionArn) return found.SubscriptionArn;
        NextToken = page.NextToken;
      } while (NextToken);
      return undefined;
    },
    async subscribe(topicArn: string, queueArn: string, subscription: AwsSubscription): Promise<string> {
      const { SubscriptionArn } = await call(`subscribe queue "${subscription.queue}" to topic "${subscription.topic}"`, () =>
        sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: queueArn, Attributes: subscriptionAttributes(subscription), ReturnSubscriptionArn: true })));
      if (!SubscriptionArn) throw new Error(`SNS at ${endpoint} gave no ARN for the subscription of "${subscription.queue}" to "${subscription.topic}"`);
      return SubscriptionArn;
    },
    async unsubscribe(arn: string): Promise<void> {
      await sns.send(new UnsubscribeCommand({ SubscriptionArn: arn })).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    },
  };
}

export type SnsAdmin = ReturnType<typeof createSnsAdmin>;
