// Passwords never leave the server: URLs in anything sent to a browser, written to a log or shown
// in an error keep their user name and lose their password ("amqp://admin:***@host").
import type { Scenario } from "./scenario/schema";

const urlWithPassword = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:]*):([^\s/?#]*)@/gi;

export const maskedPassword = "***";

/** The text with the password of every URL in it replaced by ***. */
export function maskUrlSecrets(text: string): string {
  return text.replace(urlWithPassword, (_match, scheme: string, user: string) => `${scheme}${user}:${maskedPassword}@`);
}

const maskValue = (value: unknown): unknown =>
  typeof value === "string" ? maskUrlSecrets(value) : Array.isArray(value) ? value.map(maskValue) : value;

/** The scenario as a browser may see it: broker URLs without their passwords, whatever fields a broker kind's entry has. */
export function scenarioWithoutSecrets(scenario: Scenario): Scenario {
  const brokers = Object.fromEntries(
    Object.entries(scenario.brokers).map(([name, broker]) => [name, Object.fromEntries(Object.entries(broker).map(([field, value]) => [field, maskValue(value)])) as typeof broker]),
  );
  return { ...scenario, brokers };
}
