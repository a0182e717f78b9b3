// Jaeger v2 built from its Go module (stack/install/jaeger.sh): memory storage, OTLP in, the
// query API out. Its embedded all-in-one configuration serves the query API on every interface,
// so the stack writes its own, with each listener on 127.0.0.1.
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Config } from "../../server/config";
import { runInstallScript } from "../install";
import { logFile, serviceDir, stackDir } from "../paths";
import { isAlive, rotateLog, spawnDaemon, terminate } from "../process";
import { isLoopbackHost, probeJaeger, withoutCredentials } from "../../server/health/probes";
import type { LocalService, StackContext, Started } from "./service";

const MODULE_VERSION = process.env.JAEGER_MODULE_VERSION || "v1.76.0";
// Module versions are v1.x tags; the Jaeger release they carry is named 2.x.
const RELEASES: Record<string, string> = { "v1.76.0": "2.13.0" };

const port = (value: string, fallback: number) => Number(new URL(value).port) || fallback;

function ports(config: Config) {
  const query = port(config.JAEGER_QUERY_URL, 16686);
  return {
    otlpGrpc: 4317,
    otlpHttp: port(config.OTEL_EXPORTER_OTLP_ENDPOINT, 4318),
    query,
    queryGrpc: query - 1,
    health: 13133,
    metrics: 8888,
  };
}

function writeConfig(config: Config): string {
  const p = ports(config);
  const file = path.join(serviceDir("jaeger"), "config.yaml");
  writeFileSync(
    file,
    `# Written by the Brokerlab stack command on every start; edits are overwritten.
# Jaeger's all-in-one setup (memory storage, OTLP in, query API out), every listener on 127.0.0.1.
service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    resource:
      service.name: jaeger
    metrics:
      level: basic
      readers:
        - pull:
            exporter:
              prometheus:
                host: 127.0.0.1
                port: ${p.metrics}
    logs:
      level: info
extensions:
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 100000
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:${p.query}
    grpc:
      endpoint: 127.0.0.1:${p.queryGrpc}
  healthcheckv2:
    use_v2: true
    http:
      endpoint: 127.0.0.1:${p.health}
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:${p.otlpGrpc}
      http:
        endpoint: 127.0.0.1:${p.otlpHttp}
processors:
  batch:
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`,
  );
  return file;
}

async function start(ctx: StackContext): Promise<Started> {
  const binary = await runInstallScript("jaeger.sh", (line) => ctx.say(line.replace(/^\[jaeger\] /, "")), 60 * 60_000);
  const config = writeConfig(ctx.config);
  const log = logFile("jaeger");
  rotateLog(log);
  const pid = spawnDaemon(binary, ["--config", config], { log, cwd: serviceDir("jaeger"), env: { ...process.env, JAEGER_LISTEN_HOST: "127.0.0.1" } });
  return { pid, running: () => isAlive(pid) };
}

async function stop(_ctx: StackContext, pid: number | undefined): Promise<void> {
  if (pid) await terminate(pid, 15_000);
}

export const jaeger: LocalService = {
  name: "jaeger",
  marker: path.join(stackDir, "jaeger", "config.yaml"),
  isLocal: (config) => isLoopbackHost(new URL(config.JAEGER_QUERY_URL).hostname) && isLoopbackHost(new URL(config.OTEL_EXPORTER_OTLP_ENDPOINT).hostname),
  ports: (config) => {
    const p = ports(config);
    return [
      { port: p.query, role: "Jaeger query API" },
      { port: p.queryGrpc, role: "Jaeger query gRPC" },
      { port: p.otlpGrpc, role: "OTLP gRPC" },
      { port: p.otlpHttp, role: "OTLP HTTP" },
      { port: p.health, role: "Jaeger health check" },
      { port: p.metrics, role: "Jaeger metrics" },
    ];
  },
  probe: probeJaeger,
  endpoints: (config) => `query ${withoutCredentials(config.JAEGER_QUERY_URL)}  otlp ${withoutCredentials(config.OTEL_EXPORTER_OTLP_ENDPOINT)}`,
  localVersion: RELEASES[MODULE_VERSION] ?? `module ${MODULE_VERSION}`,
  startTimeoutMs: 60_000,
  start,
  stop,
};
