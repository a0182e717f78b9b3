// Brokerlab's entry point and composition root: config → telemetry → health monitor → engine → Next.js and
// socket.io on one HTTP server; SIGTERM/SIGINT undo it in reverse. No other file wires components.
import { createServer } from "node:http";
import type { Server as HttpServer } from "node:http";
import path from "node:path";
import { ConfigError, loadConfig } from "./config";
// Safe before telemetry: it uses fetch and zod only, no broker client.
import { createJaegerQueryClient } from "./jaeger/query-client";
import { createRunRecorder } from "./runs/recorder";
import { runStoreFromConfig } from "./runs/store";
import type { Config } from "./config";
import { startTelemetry } from "./telemetry/init";
import { shutdownOnSignals } from "./shutdown";

function readConfigOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}

function closeHttp(server: HttpServer): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}

function listen(server: HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

async function main(): Promise<void> {
  const config = readConfigOrExit();
  const telemetry = startTelemetry(config);

  // Loaded only now: these modules may pull in amqplib or kafkajs, which the SDK must patch first.
  const [{ createApplication }, { createHealthMonitor }, { checkJaegerUi }, { createTokenAuth }, { createNextHandler, withoutPages }, probes, brokers, { createEngine }, { engineContextFrom }, brokerRegistry, { createClassroom }, { lessonServiceFor }, { isActive }] =
    await Promise.all([
      import("./app"),
      import("./health/monitor"),
      import("./health/jaeger-ui"),
      import("./http/auth"),
      import("./http/next-handler"),
      import("./health/probes"),
      import("./brokers"),
      import("./engine/engine"),
      import("./engine/context"),
      import("./brokers/registry"),
      import("./classroom"),
      import("./realtime/lessons"),
      import("./engine/run-limits"),
    ]);

  const dev = process.argv.includes("--dev") || config.NODE_ENV !== "production";
  const httpServer = createServer();
  const monitor = createHealthMonitor({
    config,
    checkJaegerUi,
    probes: {
      ...brokerRegistry.brokerProbes(config),
      jaeger: () => probes.probeJaeger(config),
    },
  });
  monitor.start();
  // Every run is recorded in the run history (BROKERLAB_RUN_STORE_MB=0 turns it off).
  const runStore = runStoreFromConfig(config);
  const recorder = runStore ? createRunRecorder(runStore, (message, error) => console.error(`[runs] ${message}`, error ?? "")) : undefined;
  const engine = createEngine(engineContextFrom(config, { createRabbitAdmin: brokers.createRabbitAdmin, createKafkaAdmin: brokers.createKafkaAdmin }), { recorder });

  const nextHandler = config.BROKERLAB_PAGES === "off" ? withoutPages() : await createNextHandler({ dev, hostname: config.HOST, port: config.PORT, dir: path.join(__dirname, ".."), httpServer });
  const jaeger = createJaegerQueryClient({ baseUrl: config.JAEGER_QUERY_URL });
  const auth = createTokenAuth(config.BROKERLAB_TOKEN);
  const classroom = createClassroom({
    mode: config.BROKERLAB_MODE,
    auth,
    dataDir: config.BROKERLAB_DATA_DIR,
    ...(config.BROKERLAB_CLASS_CODE ? { classCode: config.BROKERLAB_CLASS_CODE } : {}),
    ...(config.BROKERLAB_SESSION_SECRET ? { sessionSecret: config.BROKERLAB_SESSION_SECRET } : {}),
    activeRunIds: () => engine.list().filter((run) => isActive(run.status())).map((run) => run.id),
    progressOf: (learnerId) => lessonServiceFor(engine).progressOf(learnerId),
  });
  const app = createApplication(httpServer, { monitor, engine, jaeger, auth, classroom, handleNext: nextHandler.handleNext, allowedHosts: config.BROKERLAB_ALLOWED_HOSTS, runStore });

  shutdownOnSignals([
    { name: "socket.io", run: () => app.closeRealtime() },
    { name: "http", run: async () => void (await Promise.all([closeHttp(httpServer), nextHandler.close()])) },
    { name: "runs", run: async () => { await engine.shutdown(); await recorder?.settled(); runStore?.close(); await classroom.flush(); } },
    { name: "health monitor", run: () => monitor.stop() },
    { name: "telemetry", run: () => telemetry.shutdown() },
  ]);

  const port = await listen(httpServer, config.PORT, config.HOST);
  const tracing = telemetry.enabled ? `traces to ${config.OTEL_EXPORTER_OTLP_ENDPOINT}` : "tracing off";
  const access = config.BROKERLAB_TOKEN ? ", token required" : "";
  console.log(`Brokerlab is ready on http://${config.HOST}:${port} (${dev ? "development" : "production"}, ${tracing}${access})`);
  // On a line of its own, for the board; the teacher's token is never printed.
  if (classroom.code) console.log(`Classroom mode: learners open http://${config.HOST}:${port}/join and type the code ${classroom.code}`);
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EADDRINUSE") console.error(`Brokerlab could not start: the port is already in use (set PORT to another one).`);
  else if (error instanceof Error && /production build/i.test(error.message)) console.error(`Brokerlab could not start: ${error.message}\nRun \`npx next build\` first, or start in development with \`npm run dev\`.`);
  else console.error("Brokerlab could not start:", error);
  process.exit(1);
});
