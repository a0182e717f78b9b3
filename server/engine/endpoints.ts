// Which broker endpoints a scenario may name: the configured brokers (RABBITMQ_URL,
// RABBITMQ_MANAGEMENT_URL, KAFKA_BROKERS, AWS_ENDPOINT_URL) and BROKERLAB_ALLOWED_ENDPOINTS, checked before any broker
// is touched, so a scenario cannot make the engine connect (or send credentials) anywhere else.
// Stopping and starting a broker is for the configured brokers of Brokerlab's own stack only.
// The lesson broker (a second local RabbitMQ node) is a configured broker too, told apart from
// the shared one by both of its endpoints, so a fault on one never stops the other.
import { AppError } from "../../lib/errors";
import type { BrokerEndpoint } from "../brokers/driver";
import { brokerDrivers, driverOf } from "../brokers/registry";
import { teachingEndpoints } from "../../lib/lessons/teaching-endpoints";
import type { ResolvedBroker } from "../../lib/run/ipc";
import type { Scenario } from "../../lib/scenario/schema";
import type { ScenarioProblem } from "../../lib/scenario/validate";
import { createStackLifecycle, isStackBroker, type BrokerLifecycle } from "../faults/broker-control";
import type { EngineContext } from "./context";

type Endpoints = Pick<EngineContext, "rabbitUrl" | "rabbitManagementUrl" | "kafkaBrokers" | "allowedEndpoints"> &
  Partial<Pick<EngineContext, "awsEndpoint" | "awsRegion" | "redisUrl" | "lessonRabbitUrl" | "lessonRabbitManagementUrl">>;

const defaultPorts: Record<string, string> = { "amqp:": "5672", "amqps:": "5671", "http:": "80", "https:": "443", "redis:": "6379", "rediss:": "6379" };
const loopbackNames = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** `host:port` with the host lowercased and every loopback name as one; undefined when unreadable. */
function endpointOf(value: string, scheme = "tcp:"): string | undefined {
  try {
    const url = new URL(scheme === "tcp:" ? `tcp://${value}` : value);
    const port = url.port || defaultPorts[url.protocol];
    if (!port || !url.hostname) return undefined;
    const host = url.hostname.toLowerCase();
    return `${loopbackNames.has(host) ? "loopback" : host}:${port}`;
  } catch {
    return undefined;
  }
}

const urlEndpoint = (url: string) => endpointOf(url, "url");

/** A driver's endpoint as `host:port`, whichever form it comes in. */
const endpointKey = (endpoint: BrokerEndpoint) => (endpoint.form === "url" ? urlEndpoint(endpoint.value) : endpointOf(endpoint.value));

/** The endpoints scenarios may name without any configuration: the configured brokers'. */
function configuredEndpoints(context: Endpoints): Set<string> {
  const all = brokerDrivers().flatMap((driver) => driver.configuredEndpoints(context).map(endpointKey));
  return new Set(all.filter((e) => e !== undefined));
}

/** The lesson broker's AMQP and management endpoints, when one is configured. */
function lessonEndpoints(context: Endpoints): string[] {
  const urls = context.lessonRabbitUrl && context.lessonRabbitManagementUrl ? [context.lessonRabbitUrl, context.lessonRabbitManagementUrl] : [];
  return urls.map(urlEndpoint).filter((e) => e !== undefined);
}

/** The stack service that runs this broker: the lesson broker's when it names both of that node's endpoints. */
export function stackServiceFor(broker: ResolvedBroker, context: Endpoints): "rabbitmq-lesson" | undefined {
  if (broker.kind !== "rabbitmq") return undefined;
  // Pointed at the shared broker's endpoints (a private stack on 5673), the shared broker it stays.
  const shared = configuredEndpoints(context);
  if ([broker.url, broker.managementUrl].every((url) => shared.has(urlEndpoint(url) ?? ""))) return undefined;
  const lesson = lessonEndpoints(context);
  const names = [urlEndpoint(broker.url), urlEndpoint(broker.managementUrl)];
  return lesson.length === 2 && names.every((e, i) => e === lesson[i]) ? "rabbitmq-lesson" : undefined;
}

function allowedEndpoints(context: Endpoints): Set<string> {
  // The lessons' port where nothing listens (a refused connection is what they show).
  const extra = [...(context.allowedEndpoints ?? []), ...teachingEndpoints].map((e) => endpointOf(e)).filter((e) => e !== undefined);
  return new Set([...configuredEndpoints(context), ...lessonEndpoints(context), ...extra]);
}

/** Scenario broker endpoints outside the allowlist, each naming its field and what to set. */
export function endpointProblems(scenario: Scenario, context: Endpoints): ScenarioProblem[] {
  const allowed = allowedEndpoints(context);
  const problems: ScenarioProblem[] = [];
  const check = (path: string, endpoint: string | undefined) => {
    if (!endpoint) return void problems.push({ path, message: "is not a URL or host:port Brokerlab can read" });
    if (allowed.has(endpoint)) return;
    const shown = endpoint.replace(/^loopback:/, "127.0.0.1:");
    problems.push({
      path,
      message: `names ${shown}, which is not one of Brokerlab's brokers; a scenario may use the configured brokers (RABBITMQ_URL, RABBITMQ_MANAGEMENT_URL, KAFKA_BROKERS, AWS_ENDPOINT_URL, the lesson broker's BROKERLAB_LESSON_RABBITMQ_URL and BROKERLAB_LESSON_RABBITMQ_MANAGEMENT_URL) and the endpoints listed in BROKERLAB_ALLOWED_ENDPOINTS (host:port, comma-separated): add ${shown} there to allow it`,
    });
  };
  for (const [name, broker] of Object.entries(scenario.brokers)) {
    for (const endpoint of driverOf(broker).entryEndpoints(broker)) check(`brokers.${name}.${endpoint.field}`, endpointKey(endpoint));
  }
  return problems;
}

/** True when the broker is one of the configured brokers (the shared ones, or the lesson broker) and runs on this machine (the stack's). */
export function isOwnStackBroker(broker: ResolvedBroker, context: Endpoints): boolean {
  const configured = configuredEndpoints(context);
  const endpoints = driverOf(broker).endpoints(broker).map(endpointKey);
  // A mix (the shared node's AMQP port, the lesson node's management port) is neither: the stack could stop the wrong node.
  const shared = endpoints.every((e) => e !== undefined && configured.has(e));
  return isStackBroker(broker) && (shared || stackServiceFor(broker, context) !== undefined);
}

const notOwnStack = (which: string) =>
  `${which} is not a broker of Brokerlab's own stack (the configured RABBITMQ_URL / KAFKA_BROKERS / AWS_ENDPOINT_URL on this machine); stopBroker and startBroker never touch other brokers: remove the fault or point the broker at the configured one`;

/** stopBroker / startBroker entries of the timeline that aim at a broker Brokerlab does not run. */
export function brokerFaultProblems(scenario: Scenario, brokers: Record<string, ResolvedBroker>, context: Endpoints): ScenarioProblem[] {
  return scenario.faults.flatMap((fault, i) => {
    if (fault.action !== "stopBroker" && fault.action !== "startBroker") return [];
    const broker = brokers[fault.broker];
    return broker && !isOwnStackBroker(broker, context) ? [{ path: `faults[${i}].${fault.action}`, message: notOwnStack(`broker "${fault.broker}"`) }] : [];
  });
}

/** The stack command, refusing (INVALID_INPUT) any broker that is not the stack's own. */
export function ownStackLifecycle(context: Endpoints, inner: BrokerLifecycle = createStackLifecycle()): BrokerLifecycle {
  return (action, broker, log) => {
    if (!isOwnStackBroker(broker, context)) {
      const where = driverOf(broker).where(broker);
      return Promise.reject(new AppError("INVALID_INPUT", notOwnStack(`the ${broker.kind} broker at ${where}`)));
    }
    return inner(action, broker, log, stackServiceFor(broker, context));
  };
}

/** Refuses (INVALID_INPUT, with every problem by path) a scenario naming endpoints or broker faults it may not. */
export function assertScenarioEndpoints(scenario: Scenario, brokers: Record<string, ResolvedBroker>, context: Endpoints): void {
  const problems = [...endpointProblems(scenario, context), ...brokerFaultProblems(scenario, brokers, context)];
  if (problems.length === 0) return;
  throw new AppError("INVALID_INPUT", `The scenario is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`, { problems });
}
