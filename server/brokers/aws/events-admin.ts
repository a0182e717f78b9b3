// EventBridge buses and rules of a run: DescribeEventBus / DescribeRule tell what exists, PutRule
// and PutTargets route matching events to queues, and teardown removes a rule's targets first
// (EventBridge refuses to delete a rule that still has targets).
import {
  CreateEventBusCommand, DeleteEventBusCommand, DeleteRuleCommand, DescribeEventBusCommand, DescribeRuleCommand,
  ListTargetsByRuleCommand, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand, type EventBridgeClient,
} from "@aws-sdk/client-eventbridge";
import { awsCall, isNotFound } from "./errors";
import type { AwsRule } from "./resources";

/** Resolves to undefined when the call's resource does not exist. */
async function unlessMissing<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export function createEventsAdmin(events: EventBridgeClient, endpoint: string) {
  const call = <T>(what: string, run: () => Promise<T>) => awsCall(endpoint, what, run);
  return {
    busExists: async (name: string): Promise<boolean> =>
      Boolean(await call(`look up bus "${name}"`, () => unlessMissing(events.send(new DescribeEventBusCommand({ Name: name }))))),
    async createBus(name: string): Promise<void> {
      await call(`create bus "${name}"`, () => events.send(new CreateEventBusCommand({ Name: name })));
    },
    async deleteBus(name: string): Promise<void> {
      await unlessMissing(events.send(new DeleteEventBusCommand({ Name: name })));
    },
    /** The rule's ARN, or undefined when the bus has no such rule. */
    async findRule(name: string, bus: string): Promise<string | undefined> {
      const found = await call(`look up rule "${name}" on bus "${bus}"`, () => unlessMissing(events.send(new DescribeRuleCommand({ Name: name, EventBusName: bus }))));
      return found?.Arn;
    },
    /** Creates the rule with its event pattern; returns its ARN. */
    async putRule(rule: AwsRule, bus: string): Promise<string> {
      const { RuleArn } = await call(`create rule "${rule.name}" on bus "${bus}"`, () =>
        events.send(new PutRuleCommand({ Name: rule.name, EventBusName: bus, EventPattern: JSON.stringify(rule.pattern), State: "ENABLED" })));
      if (!RuleArn) throw new Error(`EventBridge at ${endpoint} gave no ARN for rule "${rule.name}"`);
      return RuleArn;
    },
    async putTargets(rule: AwsRule, bus: string, queueArns: string[]): Promise<void> {
      const reply = await call(`add the targets of rule "${rule.name}"`, () =>
        events.send(new PutTargetsCommand({ Rule: rule.name, EventBusName: bus, Targets: queueArns.map((arn, i) => ({ Id: `brokerlab-${i}`, Arn: arn })) })));
      const failed = reply.FailedEntries ?? [];
      if (failed.length > 0) throw new Error(`EventBridge refused targets of rule "${rule.name}": ${failed.map((f) => `${f.TargetId}: ${f.ErrorMessage}`).join("; ")}`);
    },
    /** Removes every target of the rule, then the rule; a missing rule is ignored. */
    async deleteRule(name: string, bus: string): Promise<void> {
      const targets = await unlessMissing(events.send(new ListTargetsByRuleCommand({ Rule: name, EventBusName: bus })));
      if (!targets) return;
      const ids = (targets.Targets ?? []).flatMap((t) => (t.Id ? [t.Id] : []));
      if (ids.length > 0) await unlessMissing(events.send(new RemoveTargetsCommand({ Rule: name, EventBusName: bus, Ids: ids })));
      await unlessMissing(events.send(new DeleteRuleCommand({ Name: name, EventBusName: bus })));
    },
  };
}

export type EventsAdmin = ReturnType<typeof createEventsAdmin>;
