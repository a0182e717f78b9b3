// Brokerlab's configuration: the environment, parsed once with zod at start-up.
// Every endpoint has a default for the local stack, so `npm start` needs no setup.
import { z } from "zod";
import { maskUrlSecrets } from "../lib/secrets";

const url = (protocols: string[]) =>
  z.string().trim().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}`);

const hostPort = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, "must be host:port");

/** A whole number from the environment, at least `min`. */
const count = (min: number) => z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(min, `must be ${min} or more`);

const loopback = new Set(["127.0.0.1", "localhost", "::1"]);

/** A comma-separated list (spaces allowed), each entry checked by `entry`. */
const list = (entry: z.ZodString) => z
  .string()
  .transform((value) => value.split(",").map((part) => part.trim()).filter(Boolean))
  .pipe(z.array(entry));

export const configSchema = z
  .object({
    HOST: z.string().trim().min(1).default("127.0.0.1"),
    PORT: z.coerce.number({ error: "must be a port number (0-65535)" }).int("must be a whole number").min(0).max(65535, "must be at most 65535").default(3000),
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    RABBITMQ_URL: url(["amqp:", "amqps:"]).default("amqp://guest:guest@127.0.0.1:5672"),
    RABBITMQ_MANAGEMENT_URL: url(["http:", "https:"]).default("http://guest:guest@127.0.0.1:15672"),
    /** The lesson broker: a second local RabbitMQ node that only lessons restart (started on demand; docs/stack.md). */
    BROKERLAB_LESSON_RABBITMQ_URL: url(["amqp:", "amqps:"]).default("amqp://guest:guest@127.0.0.1:5673"),
    BROKERLAB_LESSON_RABBITMQ_MANAGEMENT_URL: url(["http:", "https:"]).default("http://guest:guest@127.0.0.1:15673"),
    KAFKA_BROKERS: z
      .string()
      .trim()
      .default("127.0.0.1:9092")
      .transform((value) => value.split(",").map((part) => part.trim()).filter(Boolean))
      .pipe(z.array(hostPort).min(1, "must list at least one host:port")),
    OTEL_EXPORTER_OTLP_ENDPOINT: url(["http:", "https:"]).default("http://127.0.0.1:4318"),
    JAEGER_QUERY_URL: url(["http:", "https:"]).default("http://127.0.0.1:16686"),
    JAEGER_UI_URL: url(["http:", "https:"]).optional(),
    /** Amazon SQS, SNS and EventBridge: moto's server from the local stack, or LocalStack or AWS itself. */
    AWS_ENDPOINT_URL: url(["http:", "https:"]).default("http://127.0.0.1:4566"),
    AWS_REGION: z.string().trim().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as us-east-1").default("us-east-1"),
    /** Redis Pub/Sub and Streams: the local stack's redis-server, or another Redis. */
    REDIS_URL: url(["redis:", "rediss:"]).default("redis://127.0.0.1:6379"),
    BROKERLAB_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
    /** `classroom`: one server for a class; learners join with a code and see only their own runs (docs/classroom.md). */
    BROKERLAB_MODE: z.enum(["lab", "classroom"], { error: "must be lab or classroom" }).default("lab"),
    /** The code learners type to join; a readable random one is made (and kept with the class) when unset. */
    BROKERLAB_CLASS_CODE: z.string().trim().min(4, "must be at least 4 characters").max(64, "must be at most 64 characters").regex(/^[A-Za-z0-9 -]+$/, "may hold only letters, digits, spaces and dashes").optional(),
    /** Signs learners' session cookies; one is generated (and kept with the class) when unset. */
    BROKERLAB_SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    BROKERLAB_DATA_DIR: z.string().trim().min(1).default(".stack/runs"),
    BROKERLAB_TRACING: z.enum(["on", "off"]).default("on"),
    /** New traces per service process per second; messages above it go untraced and are counted. 0: trace every message. */
    /** Route every service↔broker link through a fault proxy, so link faults can be injected (costs the engine CPU at high rates). */
    BROKERLAB_LINK_PROXIES: z.enum(["on", "off"]).default("on"),
    /** Names (or name:port) besides its own addresses that browsers may reach Brokerlab by: a reverse proxy, a LAN name. */
    BROKERLAB_ALLOWED_HOSTS: list(z.string().regex(/^[A-Za-z0-9.\-[\]:]+$/, "must list host names or host:port, separated by commas")).default([]),
    /** Broker endpoints (host:port) scenarios may name besides the configured brokers. */
    BROKERLAB_ALLOWED_ENDPOINTS: list(hostPort).default([]),
    BROKERLAB_TRACE_LIMIT: z.coerce.number().int("must be a whole number").min(0, "must be 0 (no limit) or more").default(1_000),
    /** `off`: the API, socket.io and /healthz without Next.js pages (scripted use, and tests that start the server). */
    BROKERLAB_PAGES: z.enum(["on", "off"]).default("on"),
    /** Runs starting, running or stopping at once; more are refused with LIMIT_REACHED. */
    BROKERLAB_MAX_RUNS: count(1).default(8),
    /** Service processes (replicas) of those runs together. */
    BROKERLAB_MAX_SERVICE_PROCESSES: count(1).default(64),
    /** Quotas per requester (a learner, or one browser connection); unset: the mode's defaults (server/engine/quotas.ts, docs/isolation.md). */
    BROKERLAB_QUOTA_RUNS: count(1).optional(),
    BROKERLAB_QUOTA_SERVICE_PROCESSES: count(1).optional(),
    BROKERLAB_QUOTA_REPLICAS: count(1).optional(),
    BROKERLAB_QUOTA_MESSAGES_PER_SECOND: count(1).optional(),
    BROKERLAB_QUOTA_MESSAGE_BYTES: count(1).optional(),
    /** Finished and failed runs kept in memory for their reports (older ones are forgotten). */
    BROKERLAB_KEEP_FINISHED_RUNS: count(0).default(20),
    /** Run directories (logs) kept on disk: the newest this many, and any younger than BROKERLAB_RUN_DIR_MAX_AGE_HOURS. */
    BROKERLAB_KEEP_RUN_DIRS: count(0).default(100),
    BROKERLAB_RUN_DIR_MAX_AGE_HOURS: z.coerce.number({ error: "must be a number of hours" }).min(0, "must be 0 or more").default(24),
    /** The run store's size in MB (runs.sqlite in BROKERLAB_DATA_DIR): past it the oldest unpinned runs are pruned; 0 records nothing. */
    BROKERLAB_RUN_STORE_MB: z.coerce.number({ error: "must be a number of megabytes" }).min(0, "must be 0 (record nothing) or more").default(512),
  })
  .superRefine((config, ctx) => {
    if (config.BROKERLAB_MODE === "classroom" && !config.BROKERLAB_TOKEN) {
      ctx.addIssue({
        code: "custom",
        path: ["BROKERLAB_TOKEN"],
        message: "is required in classroom mode: it is the teacher's token (16+ characters), e.g. BROKERLAB_TOKEN=$(openssl rand -hex 16) npm run classroom",
      });
    }
    if (!loopback.has(config.HOST) && !config.BROKERLAB_TOKEN) {
      ctx.addIssue({
        code: "custom",
        path: ["BROKERLAB_TOKEN"],
        message: `is required when HOST is not a loopback address (HOST=${config.HOST}); set a token of 16+ characters`,
      });
    }
  });

export type Config = Omit<z.output<typeof configSchema>, "JAEGER_UI_URL"> & { JAEGER_UI_URL: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** A bad value as an error may show it: never a token, and URLs without their password. */
function shownValue(name: string, value: string): string {
  if (name === "BROKERLAB_TOKEN" || name === "BROKERLAB_SESSION_SECRET") return `a value of ${value.length} characters`;
  return `"${maskUrlSecrets(value)}"`;
}

/** Parses the environment; throws a ConfigError whose lines each name the bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.keys(configSchema.shape);
  const input = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => known.includes(key) && value !== undefined && value !== ""),
  );
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? "environment");
        const given = input[name] === undefined ? "" : ` (got ${shownValue(name, input[name])})`;
        return `${name}${given}: ${issue.message}`;
      }),
    );
  }
  const config = parsed.data;
  return { ...config, JAEGER_UI_URL: config.JAEGER_UI_URL ?? config.JAEGER_QUERY_URL };
}
