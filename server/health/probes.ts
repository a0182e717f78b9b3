// Health probes that speak each service's real protocol: the management API (and the AMQP
// port) for RabbitMQ, an ApiVersions exchange for Kafka, the query API and OTLP intake for Jaeger.
// Shared by the stack command and the web server's health page: no output, every wait ≤ 2 s.
import { connect as tcpConnect, type Socket } from "node:net";
import { z } from "zod";
import type { Config } from "../config";

export interface ProbeResult {
  up: boolean;
  /** The endpoint probed, without credentials. */
  url: string;
  version?: string;
  detail?: string;
}

type ProbeConfig = Pick<Config, "RABBITMQ_URL" | "RABBITMQ_MANAGEMENT_URL" | "KAFKA_BROKERS" | "JAEGER_QUERY_URL" | "OTEL_EXPORTER_OTLP_ENDPOINT">;

const TIMEOUT_MS = 2_000;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** A URL as it may be shown: user and password removed, no trailing slash. */
export function withoutCredentials(value: string): string {
  const url = new URL(value);
  url.username = "";
  url.password = "";
  return url.toString().replace(/\/$/, "");
}

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host);
}

export function reason(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error.cause as NodeJS.ErrnoException | undefined)?.code;
    if (error.name === "TimeoutError" || error.name === "AbortError") return `no answer within ${TIMEOUT_MS / 1000} s`;
    return code ? `${code}` : error.message;
  }
  return String(error);
}

/** fetch without credentials in the URL (fetch refuses them); they become a Basic header. */
export async function httpRequest(value: string, init: RequestInit = {}): Promise<Response> {
  const url = new URL(value);
  const headers = new Headers(init.headers);
  if (url.username) {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    headers.set("authorization", `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`);
    url.username = "";
    url.password = "";
  }
  return fetch(url, { ...init, headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
}

/** The response when it is 2xx; otherwise its body is released and the status becomes the error. */
async function expectOk(response: Response, hint = ""): Promise<Response> {
  if (response.ok) return response;
  await response.body?.cancel();
  throw new Error(`HTTP ${response.status}${hint}`);
}

/** A 2xx answer whose body does not matter, released so the connection can be reused. */
const answersOk = async (response: Response) => void (await (await expectOk(response)).body?.cancel());

/** Opens a connection, writes `request`, and resolves with the first reply `complete` accepts. */
function exchange(options: { host: string; port: number }, request: Buffer, complete: (data: Buffer) => boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const socket: Socket = tcpConnect({ host: options.host, port: options.port });
    const finish = (error?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(received);
    };
    const timer = setTimeout(() => finish(Object.assign(new Error("timeout"), { name: "TimeoutError" })), TIMEOUT_MS);
    socket.once("connect", () => socket.write(request));
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (complete(received)) finish();
    });
    socket.once("error", (error) => finish(error));
    socket.once("end", () => finish(new Error("connection closed before a complete reply")));
  });
}

// ─── RabbitMQ ──────────────────────────────────────────────────────────────────────────────────

const overviewSchema = z.object({ rabbitmq_version: z.string(), erlang_version: z.string().optional() });

/**
 * Opens a TCP connection to the AMQP port and closes it without a word: a broker logs a warning
 * for every half-done AMQP handshake, and the health page probes often. The management API
 * answering /api/overview is the proof that the broker itself is running.
 */
async function amqpListening(value: string): Promise<void> {
  const url = new URL(value);
  const port = url.port ? Number(url.port) : url.protocol === "amqps:" ? 5671 : 5672;
  await new Promise<void>((resolve, reject) => {
    const socket = tcpConnect({ host: url.hostname, port });
    const timer = setTimeout(() => finish(Object.assign(new Error("timeout"), { name: "TimeoutError" })), TIMEOUT_MS);
    function finish(error?: Error) {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    }
    socket.once("connect", () => finish());
    socket.once("error", (error) => finish(error));
  });
}

export async function probeRabbitmq(config: Pick<ProbeConfig, "RABBITMQ_URL" | "RABBITMQ_MANAGEMENT_URL">): Promise<ProbeResult> {
  const url = withoutCredentials(config.RABBITMQ_URL);
  const management = withoutCredentials(config.RABBITMQ_MANAGEMENT_URL);
  const [amqp, overview] = await Promise.allSettled([
    amqpListening(config.RABBITMQ_URL),
    (async () => {
      const response = await httpRequest(new URL("api/overview", `${config.RABBITMQ_MANAGEMENT_URL.replace(/\/$/, "")}/`).toString());
      const hint = response.status === 401 ? " (check the user and password in RABBITMQ_MANAGEMENT_URL)" : "";
      return overviewSchema.parse(await (await expectOk(response, hint)).json());
    })(),
  ]);
  const version = overview.status === "fulfilled" ? overview.value.rabbitmq_version : undefined;
  const problems = [
    amqp.status === "rejected" ? `AMQP ${url}: ${reason(amqp.reason)}` : undefined,
    overview.status === "rejected" ? `management API ${management}: ${reason(overview.reason)}` : undefined,
  ].filter(Boolean);
  return { up: problems.length === 0, url, version, detail: problems.length ? problems.join("; ") : `management ${management}` };
}

// ─── Kafka ─────────────────────────────────────────────────────────────────────────────────────

const API_VERSIONS = 18;
const UNSUPPORTED_VERSION = 35;

/** An ApiVersions v0 request: header v1 (key, version, correlation id, client id), empty body. */
function apiVersionsRequest(correlationId: number): Buffer {
  const clientId = Buffer.from("brokerlab-probe");
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
  body.writeInt16BE(API_VERSIONS, 0);
  body.writeInt16BE(0, 2);
  body.writeInt32BE(correlationId, 4);
  body.writeInt16BE(clientId.length, 8);
  clientId.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

/** Parses an ApiVersions v0 response; returns how many APIs the broker supports. */
export function parseApiVersionsResponse(data: Buffer, correlationId: number): number {
  if (data.length < 14) throw new Error("short ApiVersions response");
  const size = data.readInt32BE(0);
  if (size + 4 !== data.length) throw new Error("malformed ApiVersions response");
  if (data.readInt32BE(4) !== correlationId) throw new Error("ApiVersions response for another request");
  const errorCode = data.readInt16BE(8);
  if (errorCode !== 0 && errorCode !== UNSUPPORTED_VERSION) throw new Error(`ApiVersions error code ${errorCode}`);
  const count = data.readInt32BE(10);
  if (count < 1 || 14 + count * 6 > data.length) throw new Error("malformed ApiVersions response");
  for (let i = 0; i < count; i++) {
    if (data.readInt16BE(14 + i * 6) === API_VERSIONS) return count;
  }
  throw new Error("the broker does not list ApiVersions");
}

async function probeKafkaBroker(broker: string): Promise<number> {
  const separator = broker.lastIndexOf(":");
  const host = broker.slice(0, separator).replace(/^\[|\]$/g, "");
  const port = Number(broker.slice(separator + 1));
  const correlationId = Math.floor(Math.random() * 0x7fffffff);
  const complete = (data: Buffer) => data.length >= 4 && data.length >= data.readInt32BE(0) + 4;
  const reply = await exchange({ host, port }, apiVersionsRequest(correlationId), complete);
  return parseApiVersionsResponse(reply, correlationId);
}

export async function probeKafka(config: ProbeConfig): Promise<ProbeResult> {
  const results = await Promise.allSettled(config.KAFKA_BROKERS.map(probeKafkaBroker));
  const answered = results.findIndex((result) => result.status === "fulfilled");
  if (answered >= 0) {
    const apis = (results[answered] as PromiseFulfilledResult<number>).value;
    return { up: true, url: config.KAFKA_BROKERS[answered], detail: `ApiVersions answered (${apis} APIs)` };
  }
  const detail = results.map((result, i) => `${config.KAFKA_BROKERS[i]}: ${reason((result as PromiseRejectedResult).reason)}`).join("; ");
  return { up: false, url: config.KAFKA_BROKERS.join(","), detail };
}

// ─── Jaeger ────────────────────────────────────────────────────────────────────────────────────

const servicesSchema = z.object({ data: z.array(z.string()).nullable() });
const HEALTH_PORT = 13133;
const METRICS_PORT = 8888;

/** The version a Jaeger v2 process reports in its own metrics (`target_info`), when it is there. */
async function jaegerVersion(host: string): Promise<string | undefined> {
  try {
    const response = await httpRequest(`http://${host}:${METRICS_PORT}/metrics`);
    const match = /target_info\{[^}]*service_version="([^"]+)"/.exec(await response.text());
    return match && match[1] !== "unknown" && match[1] !== "" ? match[1] : undefined;
  } catch {
    return undefined;
  }
}

export async function probeJaeger(config: ProbeConfig): Promise<ProbeResult> {
  const url = withoutCredentials(config.JAEGER_QUERY_URL);
  const otlp = withoutCredentials(config.OTEL_EXPORTER_OTLP_ENDPOINT);
  const host = new URL(config.JAEGER_QUERY_URL).hostname;
  const local = isLoopbackHost(host);
  const checks: Array<[string, () => Promise<unknown>]> = [
    [`query API ${url}/api/services`, async () => servicesSchema.parse(await (await expectOk(await httpRequest(`${url}/api/services`))).json())],
    // An empty OTLP/HTTP export: accepted only where traces can really be sent.
    [`OTLP ${otlp}/v1/traces`, async () => answersOk(await httpRequest(`${otlp}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"resourceSpans":[]}' }))],
  ];
  // The health extension is only reachable where Jaeger runs on this machine (the local stack, Docker).
  const health = `http://${host}:${HEALTH_PORT}/status`;
  if (local) checks.push([`health ${health}`, async () => answersOk(await httpRequest(health))]);
  const [results, version] = await Promise.all([Promise.allSettled(checks.map(([, check]) => check())), local ? jaegerVersion(host) : undefined]);
  const problems = results.flatMap((result, i) => (result.status === "rejected" ? [`${checks[i][0]}: ${reason(result.reason)}`] : []));
  return { up: problems.length === 0, url, version, detail: problems.length ? problems.join("; ") : `OTLP ${otlp}` };
}
