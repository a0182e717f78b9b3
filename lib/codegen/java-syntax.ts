// Java syntax for generated programs: literals, template expressions, the helpers they call, the
// opening comment, the simulated work, and the W3C trace context carried by hand.
import type { Consumer } from "../scenario/schema";
import { summary, wrap } from "./describe";
import { javaComment, javaQuote, numberLiteral } from "./escape";
import type { Expr } from "./expression";
import { placeholdersIn } from "./expression";
import type { CodePlan } from "./plan";
import { indent, lines } from "./source";

export const java = (block: string, depth: number) => indent(block, depth, "    ");

/** A JSON value as a Java expression: objects and arrays through the `object(...)`/`list(...)` helpers. */
export function javaLiteral(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "null";
    if (!Number.isInteger(value)) return String(value);
    if (Math.abs(value) <= 2 ** 31 - 1) return String(value);
    return Number.isSafeInteger(value) ? `${value}L` : `${value.toExponential()}`;
  }
  if (typeof value === "string") return javaQuote(value);
  if (Array.isArray(value)) return `list(${value.map(javaLiteral).join(", ")})`;
  return `object(${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${javaQuote(k)}, ${javaLiteral(v)}`).join(", ")})`;
}

/** The expression in Java; `source` names the Map<String, Object> that fields are read from. */
export function javaExpr(expr: Expr, source = "payload"): string {
  switch (expr.kind) {
    case "value":
      return javaLiteral(expr.value);
    case "field":
      return `${source}.getOrDefault(${javaQuote(expr.name)}, "")`;
    case "placeholder": {
      const [a, b] = expr.args;
      switch (expr.name) {
        case "seq": return "seq";
        case "uuid": return "UUID.randomUUID().toString()";
        case "now": return "now()";
        case "timestamp": return "System.currentTimeMillis()";
        case "randomInt": return `randomInt(${numberLiteral(a ?? "")}, ${numberLiteral(b ?? "")})`;
        case "randomFloat": return `randomFloat(${numberLiteral(a ?? "")}, ${numberLiteral(b ?? "")})`;
        case "pick": return `pick(${expr.args.map(javaQuote).join(", ")})`;
        default: return javaQuote(expr.name);
      }
    }
    case "concat":
      return ['""', ...expr.parts.map((part) => (part.kind === "value" ? javaQuote(String(part.value)) : `text(${javaExpr(part, source)})`))].join(" + ");
    case "array":
      return `list(${expr.items.map((item) => javaExpr(item, source)).join(", ")})`;
    case "object":
      if (expr.entries.length === 0) return "object()";
      return `object(\n${java(expr.entries.map(([key, value], i) => `${javaQuote(key)}, ${javaExpr(value, source)}${i < expr.entries.length - 1 ? "," : ""}`).join("\n"), 1)}\n)`;
  }
}

/** A string-valued expression (keys, routing keys, header values). */
export const javaString = (expr: Expr, source = "payload") => (expr.kind === "value" ? javaQuote(String(expr.value)) : expr.kind === "concat" ? javaExpr(expr, source) : `text(${javaExpr(expr, source)})`);

/** `headers.put(...)` lines; Kafka header values are strings, RabbitMQ's keep their JSON type. */
export function javaHeaderPuts(target: string, headers: [string, Expr][], source: string, stringsOnly: boolean): string[] {
  return headers.map(([name, value]) => `${target}.put(${javaQuote(name)}, ${value.kind === "value" && !stringsOnly ? javaLiteral(value.value) : javaString(value, source)});`);
}

const usedPlaceholders = (exprs: (Expr | undefined)[]) => {
  const used = new Set<string>();
  for (const expr of exprs) for (const name of placeholdersIn(expr)) used.add(name);
  return used;
};

/** The imports every program shares, plus the client library's. */
export function javaImports(exprs: (Expr | undefined)[], library: string[]): string {
  const used = usedPlaceholders(exprs);
  return lines(
    ...library,
    "import com.fasterxml.jackson.databind.ObjectMapper;",
    "import java.nio.charset.StandardCharsets;",
    used.has("now") && "import java.time.Instant;",
    used.has("now") && "import java.time.ZoneOffset;",
    used.has("now") && "import java.time.format.DateTimeFormatter;",
    "import java.util.ArrayList;",
    "import java.util.Arrays;",
    "import java.util.HashMap;",
    "import java.util.LinkedHashMap;",
    "import java.util.List;",
    "import java.util.Map;",
    "import java.util.Set;",
    used.has("uuid") && "import java.util.UUID;",
    "import java.util.concurrent.ConcurrentHashMap;",
    "import java.util.concurrent.CountDownLatch;",
    "import java.util.concurrent.ThreadLocalRandom;",
    "import java.util.concurrent.atomic.AtomicLong;",
  );
}

/** Static helpers: JSON, the template functions the program uses, sleeping and trace context. */
export function javaHelpers(exprs: (Expr | undefined)[]): string {
  const used = usedPlaceholders(exprs);
  return lines(
    "static final ObjectMapper JSON = new ObjectMapper();",
    "",
    "static Map<String, Object> object(Object... keysAndValues) {",
    "    Map<String, Object> map = new LinkedHashMap<>();",
    "    for (int i = 0; i + 1 < keysAndValues.length; i += 2) map.put((String) keysAndValues[i], keysAndValues[i + 1]);",
    "    return map;",
    "}",
    "",
    "static List<Object> list(Object... items) {",
    "    return new ArrayList<>(Arrays.asList(items));",
    "}",
    "",
    "// Like JavaScript's String(x): 3, not 3.0, for a whole number read from JSON.",
    "static String text(Object value) {",
    "    if (value instanceof Double number && number == Math.rint(number) && !Double.isInfinite(number)) return String.valueOf(number.longValue());",
    "    return String.valueOf(value);",
    "}",
    "",
    "@SuppressWarnings(\"unchecked\")",
    "static Map<String, Object> parse(byte[] body) throws java.io.IOException {",
    "    Object value = JSON.readValue(body, Object.class);",
    "    return value instanceof Map ? (Map<String, Object>) value : new HashMap<>();",
    "}",
    "",
    "static void sleep(double ms) throws InterruptedException {",
    "    if (ms > 0) Thread.sleep((long) ms);",
    "}",
    "",
    "// W3C trace context, by hand: a new trace for each message sent, a child span for each copy.",
    "static String traceparent(String parent) {",
    "    ThreadLocalRandom random = ThreadLocalRandom.current();",
    '    String traceId = parent != null && parent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}") ? parent.substring(3, 35) : String.format("%016x%016x", random.nextLong(), random.nextLong());',
    '    return "00-" + traceId + "-" + String.format("%016x", random.nextLong() | 1L) + "-01";',
    "}",
    used.has("now") && lines("", 'static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd\'T\'HH:mm:ss.SSS\'Z\'").withZone(ZoneOffset.UTC);', "", "static String now() {", "    return ISO.format(Instant.now());", "}"),
    used.has("randomInt") && lines("", "static long randomInt(double min, double max) {", "    return (long) Math.floor(min + Math.random() * (max - min + 1));", "}"),
    used.has("randomFloat") && lines("", "static double randomFloat(double min, double max) {", "    return Math.round((min + Math.random() * (max - min)) * 100) / 100.0;", "}"),
    used.has("pick") && lines("", "static String pick(String... choices) {", "    return choices[ThreadLocalRandom.current().nextInt(choices.length)];", "}"),
  );
}

/** A Java class name from the service and part names: letters and digits, starting with a capital. */
export function javaClassName(plan: { service: string; name: string }): string {
  const words = `${plan.service} ${plan.name}`.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join("");
  return /^[A-Za-z]/.test(name) ? name : `Program${name}`;
}

export const javaPackage = "brokerlab.generated";

/** Opening comment: what the program does, and how to build and run it. */
export function javaPreamble(plan: CodePlan, run: string[]): string {
  return lines(
    javaComment(`${plan.service} / ${plan.name}, generated by Brokerlab from the scenario "${plan.scenario}".`),
    ...summary(plan).flatMap((text) => wrap(text).map(javaComment)),
    "//",
    "// Runs as is against the local stack (npm run stack:up), from the folder holding pom.xml:",
    ...run.map((command) => `//   ${command}`),
    "//",
    "// The trace context travels by hand in the W3C traceparent header (no OpenTelemetry SDK, to keep",
    "// the project small): Brokerlab's own services and any OpenTelemetry consumer continue the trace.",
  );
}

/** The scenario's simulated work and failures, as a static method over the consumed payload. */
export function javaWork(consumer: Consumer): string {
  const { ms, jitterMs, distribution } = consumer.work;
  const { failures } = consumer;
  const duration =
    distribution === "uniform"
      ? jitterMs > 0 ? `${ms} + (Math.random() * 2 - 1) * ${jitterMs}` : `${ms}`
      : distribution === "normal"
        ? `${ms} + ${jitterMs} * ThreadLocalRandom.current().nextGaussian()`
        : `-${ms} * Math.log(1 - Math.random())`;
  const poison = failures.poison;
  return lines(
    `// The scenario's simulated work: ${distribution} around ${ms} ms${jitterMs > 0 ? ` (± ${jitterMs} ms)` : ""}. Put your real processing here.`,
    "static void work(Map<String, Object> payload) throws InterruptedException {",
    ms > 0 || jitterMs > 0 ? `    sleep(${duration});` : "    // (no work time in the scenario)",
    poison && `    if (text(payload.get(${javaQuote(poison.field)})).equals(${javaQuote(String(poison.equals))})) {`,
    poison && `        throw new IllegalStateException(${javaQuote(`poison message (${poison.field} = ${String(poison.equals)})`)});`,
    poison && "    }",
    failures.errorRate > 0 && `    if (Math.random() < ${failures.errorRate}) throw new IllegalStateException(${javaQuote(`simulated failure (errorRate ${failures.errorRate})`)});`,
    "}",
  );
}

/**
 * A shutdown hook for Ctrl+C: it sets `stopping`, runs `onStop` (wake a blocked call), and gives
 * main() five seconds to close its connections cleanly before the JVM exits.
 */
export function javaShutdown(onStop: string): string {
  return lines(
    "Thread mainThread = Thread.currentThread();",
    "Runtime.getRuntime().addShutdownHook(new Thread(() -> {",
    "    stopping = true;",
    onStop && `    ${onStop}`,
    "    try {",
    "        mainThread.join(5_000);",
    "    } catch (InterruptedException ignored) {",
    "        Thread.currentThread().interrupt();",
    "    }",
    "}));",
  );
}
