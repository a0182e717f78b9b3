// Kafka spans in the messaging conventions' model, in one place. The kafkajs instrumentation names
// and types its send and process spans already; this adds what it cannot know (the consumer group),
// starts the process span itself in link mode (kafkajs can only make it the send span's child), and
// starts the `commit` settle spans of manual offset commits, linked to the messages they settle.
import { TraceFlags, context, trace } from "@opentelemetry/api";
import type { Span, SpanContext } from "@opentelemetry/api";
import type { EachMessagePayload } from "kafkajs";
import { creationContext, startProcessSpan, startSettleSpan } from "../messaging-spans";

/** How many messages one commit span links to (the SDK's default link limit). */
const maxLinks = 128;

/**
 * The process span of a record: in parent mode the instrumentation's (active now, the send span's
 * child), given the consumer group and position; in link mode one started here, which the caller ends.
 */
export function kafkaProcessSpan(payload: EachMessagePayload, headers: Record<string, string>, group: string, linkSpans: boolean): { span?: Span; started: boolean; creation?: SpanContext } {
  const creation = creationContext(headers);
  const attributes = {
    "messaging.consumer.group.name": group,
    "messaging.destination.partition.id": String(payload.partition),
    "messaging.kafka.offset": payload.message.offset,
    ...(payload.message.key ? { "messaging.kafka.message.key": payload.message.key.toString() } : {}),
  };
  if (linkSpans) return { span: startProcessSpan({ system: "kafka", destination: payload.topic, attributes }, creation, false), started: true, creation };
  const span = trace.getSpan(context.active());
  span?.setAttributes(attributes);
  return { span, started: false, creation };
}

/** The sampled creation contexts waiting for one topic's next commit. */
export function createCommitLinks() {
  const byTopic = new Map<string, SpanContext[]>();
  return {
    add(topic: string, creation: SpanContext | undefined) {
      if (!creation || (creation.traceFlags & TraceFlags.SAMPLED) === 0) return;
      const links = byTopic.get(topic) ?? [];
      if (links.length < maxLinks) links.push(creation);
      byTopic.set(topic, links);
    },
    /** One `commit {topic}` settle span per topic with traced messages, linked to them; the links start over. */
    startSpans(group: string): Span[] {
      const spans = [...byTopic].map(([topic, links]) => startSettleSpan({ system: "kafka", operation: "commit", destination: topic, attributes: { "messaging.consumer.group.name": group } }, { links }));
      byTopic.clear();
      return spans;
    },
  };
}
