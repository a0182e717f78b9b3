// Which broker kind a producer's `to` or a consumer's `from` belongs to, told by the key of its
// form ({ queue } is RabbitMQ's, { topic } Kafka's), and the error when it names another kind.
import { orList } from "../scenario/union-forms";
import { brokerDescriptors, descriptorOf } from "./index";
import type { BrokerKind, KnownBrokerDescriptor } from "./index";

export type FormRole = "targets" | "sources";

/** The descriptor whose forms of this role include one of the value's keys. */
export function formOwner(role: FormRole, value: object): KnownBrokerDescriptor | undefined {
  return brokerDescriptors.find((d) => d[role].some((f) => Object.hasOwn(value, f.form.key)));
}

/** `{ exchange: …, routingKey: … }` → `{ exchange, routingKey }`: a form named without its values. */
const shortForm = (text: string) => text.replace(/: …/g, "");

/**
 * Why `value` cannot be used with broker `broker` of kind `kind` (e.g. `a topic target needs a
 * kafka broker, but "rabbit" is rabbitmq; use { queue } or { exchange, routingKey }`), or
 * undefined when its form is one of that kind's.
 */
export function wrongBrokerMessage(role: FormRole, value: object, kind: BrokerKind, broker: string): string | undefined {
  const owner = formOwner(role, value);
  // RabbitMQ and SQS share { queue }: the broker's own kind owns a key it has.
  if (!owner || owner.kind === kind || ownForm(role, value, kind)) return undefined;
  const nouns = orList(owner[role].map((f) => f.form.key));
  const use = orList(descriptorOf(kind)[role].map((f) => shortForm(f.form.text)));
  return `a ${nouns} ${role === "targets" ? "target" : "source"} needs a ${owner.kind} broker, but "${broker}" is ${kind}; use ${use}`;
}

const ownForm = (role: FormRole, value: object, kind: BrokerKind) => descriptorOf(kind)[role].find((f) => Object.hasOwn(value, f.form.key));

/**
 * What is wrong with `value` as the form of its broker's own kind (undefined when it fits): a
 * shared key ({ queue }) is parsed by whichever kind's form accepts it first, so it is checked
 * again against the kind of the broker it names, e.g. a `groupId` on a RabbitMQ queue target.
 */
export function ownFormProblem(role: FormRole, value: object, kind: BrokerKind): { path: PropertyKey[]; message: string } | undefined {
  const form = ownForm(role, value, kind);
  const result = form?.schema.safeParse(value);
  const issue = result && !result.success ? result.error.issues[0] : undefined;
  if (!form || !issue) return undefined;
  const label = descriptorOf(kind).label;
  const message = issue.code === "unrecognized_keys"
    ? `${issue.keys.map((k) => `"${k}"`).join(", ")} is not a field of ${label}'s ${shortForm(form.form.text)}; remove it or use a broker of the kind that has it`
    : issue.message;
  return { path: issue.path, message };
}
