// What the engine needs from the outside world, built once by the composition root.
import type { Config } from "../config";
import { resolveBroker } from "../brokers/registry";
import type { KafkaAdmin, RabbitAdmin } from "../brokers/types";
import type { ResolvedBroker } from "../../lib/run/ipc";
import type { Scenario } from "../../lib/scenario/schema";
import type { EngineLimits } from "./run-limits";
import { quotasFor, type RunQuotas } from "./quotas";
import { createLearnerBrokers, type LearnerBrokers } from "./learner-brokers";

export interface EngineContext {
  rabbitUrl: string;
  rabbitManagementUrl: string;
  kafkaBrokers: string[];
  awsEndpoint: string;
  awsRegion: string;
  redisUrl: string;
  otlpEndpoint: string;
  tracing: boolean;
  /** New traces per service process per second before messages go untraced (counted); 0: every message. */
  traceLimit: number;
  /** Fault proxies on every service↔broker link (link faults need them). */
  linkProxies: boolean;
  jaegerUiUrl: string;
  dataDir: string;
  /** BROKERLAB_ALLOWED_ENDPOINTS: host:port a scenario may name besides the configured brokers. */
  allowedEndpoints?: string[];
  /** The lesson broker (BROKERLAB_LESSON_RABBITMQ_URL and _MANAGEMENT_URL): a second local RabbitMQ only lessons restart. */
  lessonRabbitUrl?: string;
  lessonRabbitManagementUrl?: string;
  /** Caps on concurrent runs and processes, and what is kept of finished runs (run-limits.ts). */
  limits: EngineLimits;
  /** What one requester's runs may add up to (quotas.ts); without it, the defaults. */
  quotas?: RunQuotas;
  /** Classroom mode: each learner's runs reach the brokers as that learner (learner-brokers.ts); absent outside it. */
  learnerBrokers?: LearnerBrokers;
  createRabbitAdmin(options: { url: string; managementUrl: string; caFile?: string }): RabbitAdmin;
  createKafkaAdmin(options: { brokers: string[]; clientId?: string }): KafkaAdmin;
}

export function engineContextFrom(
  config: Config,
  adapters: Pick<EngineContext, "createRabbitAdmin" | "createKafkaAdmin">,
): EngineContext {
  return {
    rabbitUrl: config.RABBITMQ_URL,
    rabbitManagementUrl: config.RABBITMQ_MANAGEMENT_URL,
    kafkaBrokers: config.KAFKA_BROKERS,
    awsEndpoint: config.AWS_ENDPOINT_URL,
    awsRegion: config.AWS_REGION,
    redisUrl: config.REDIS_URL,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    tracing: config.BROKERLAB_TRACING === "on",
    traceLimit: config.BROKERLAB_TRACE_LIMIT,
    linkProxies: config.BROKERLAB_LINK_PROXIES === "on",
    jaegerUiUrl: config.JAEGER_UI_URL,
    dataDir: config.BROKERLAB_DATA_DIR,
    allowedEndpoints: config.BROKERLAB_ALLOWED_ENDPOINTS,
    lessonRabbitUrl: config.BROKERLAB_LESSON_RABBITMQ_URL,
    lessonRabbitManagementUrl: config.BROKERLAB_LESSON_RABBITMQ_MANAGEMENT_URL,
    limits: {
      maxRuns: config.BROKERLAB_MAX_RUNS,
      maxServiceProcesses: config.BROKERLAB_MAX_SERVICE_PROCESSES,
      keepFinishedRuns: config.BROKERLAB_KEEP_FINISHED_RUNS,
      keepRunDirs: config.BROKERLAB_KEEP_RUN_DIRS,
      runDirMaxAgeMs: config.BROKERLAB_RUN_DIR_MAX_AGE_HOURS * 3_600_000,
    },
    quotas: quotasFor(config.BROKERLAB_MODE, {
      runs: config.BROKERLAB_QUOTA_RUNS,
      serviceProcesses: config.BROKERLAB_QUOTA_SERVICE_PROCESSES,
      replicas: config.BROKERLAB_QUOTA_REPLICAS,
      messagesPerSecond: config.BROKERLAB_QUOTA_MESSAGES_PER_SECOND,
      messageBytes: config.BROKERLAB_QUOTA_MESSAGE_BYTES,
    }),
    // In a class, each learner's runs reach the brokers as that learner (docs/isolation.md).
    ...(config.BROKERLAB_MODE === "classroom" ? { learnerBrokers: createLearnerBrokers() } : {}),
    ...adapters,
  };
}

/** Each scenario broker with its endpoints: its own (`url`, `brokers`…), else the configured ones. */
export function resolveBrokers(scenario: Scenario, context: EngineContext): Record<string, ResolvedBroker> {
  return Object.fromEntries(Object.entries(scenario.brokers).map(([name, broker]) => [name, resolveBroker(broker, context)]));
}
