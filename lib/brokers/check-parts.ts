// Pieces the descriptors' checks share: lists in messages, duplicates, templates, and a walk over
// the producers, forwards and consumers that use a broker of one kind, each with its path.
import { parseTemplate } from "../scenario/template";
import type { CheckedScenario, FormSchema } from "./types";

type Producer = CheckedScenario["services"][number]["producers"][number];
type Consumer = CheckedScenario["services"][number]["consumers"][number];

export const list = (names: readonly string[]) => (names.length ? names.join(", ") : "none");
export const duplicates = (names: readonly string[]) => names.filter((name, i) => names.indexOf(name) !== i);

/** The top-level fields of a payload object, which templates elsewhere in a producer may name. */
export const payloadFields = (payload: unknown): string[] => (payload && typeof payload === "object" && !Array.isArray(payload) ? Object.keys(payload) : []);

/** What is wrong with a template ("{{customerId}}") given the payload fields it may name, or undefined. */
export function templateProblem(source: string | undefined, fields: readonly string[]): string | undefined {
  const parsed = source === undefined ? undefined : parseTemplate(source, fields);
  return parsed && "error" in parsed ? parsed.error : undefined;
}

/** A producer's `to` or a consumer's `forward.to`, at `path` (ending in `.to`). */
export interface TargetVisit {
  path: string;
  broker: string;
  to: object;
  /** Payload fields its templates may name; a forward may name any field of the message (`*`). */
  fields: string[];
  body: { payload: unknown; sizeBytes?: number; headers: Readonly<Record<string, unknown>> };
}

/** A consumer's `from`, at `path` (the consumer's own path). */
export interface SourceVisit {
  path: string;
  consumer: Consumer;
}

/** The part of a descriptor the walk reads (not the descriptor itself, which imports its check). */
interface KindForms {
  kind: string;
  targets: readonly FormSchema[];
  sources: readonly FormSchema[];
}

const fits = (forms: readonly FormSchema[], value: object) => forms.some((f) => f.schema.safeParse(value).success);

/**
 * Calls `visit.target` for every producer and forward, and `visit.source` for every consumer, whose
 * broker is of the descriptor's kind, service by service in document order. A `to` or `from` that is
 * not one of the kind's own forms is left out: validate.ts reports it (wrong kind, unknown field).
 */
export function walkParts(scenario: CheckedScenario, descriptor: KindForms, visit: { target?: (t: TargetVisit) => void; source?: (s: SourceVisit) => void }): void {
  const ofKind = (broker: string) => scenario.brokers[broker]?.kind === descriptor.kind;
  const producerTarget = (p: Producer, path: string): TargetVisit => ({ path, broker: p.broker, to: p.to, fields: payloadFields(p.payload), body: p });
  scenario.services.forEach((service, si) => {
    service.producers.forEach((p, pi) => {
      if (ofKind(p.broker) && fits(descriptor.targets, p.to)) visit.target?.(producerTarget(p, `services[${si}].producers[${pi}].to`));
    });
    service.consumers.forEach((c, ci) => {
      const path = `services[${si}].consumers[${ci}]`;
      if (ofKind(c.broker) && fits(descriptor.sources, c.from)) visit.source?.({ path, consumer: c });
      const forward = c.forward;
      if (forward && ofKind(forward.broker) && fits(descriptor.targets, forward.to)) visit.target?.({ path: `${path}.forward.to`, broker: forward.broker, to: forward.to, fields: ["*"], body: { payload: forward.payload, headers: forward.headers } });
    });
  });
}
