// Every Java code sample of the lesson catalogue as a Maven module, so the Maven run that builds the
// generated Java (tests/integration/codegen/java.test.ts) compiles the lessons' Java too. A sample
// that is a whole program (it declares a public class) is compiled as it is; a fragment is put in a
// method of a class of its own, with the imports a reader would add and the learner's own work
// (updateStock, pack, render) as empty methods.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { plugins } from "../../lib/codegen/java";
import { lessons } from "../../lib/lessons/catalogue";

export interface JavaSample {
  /** lesson/step, for messages. */
  where: string;
  className: string;
  source: string;
}

const imports = [
  "import static java.nio.charset.StandardCharsets.UTF_8;",
  "import java.io.IOException;",
  "import java.nio.charset.StandardCharsets;",
  "import java.io.UncheckedIOException;",
  "import java.util.Properties;",
  "import java.util.concurrent.Executors;",
  "import java.util.concurrent.ScheduledExecutorService;",
  "import java.util.concurrent.ScheduledFuture;",
  "import java.util.concurrent.TimeUnit;",
  "import com.rabbitmq.client.*;",
  "import org.apache.kafka.clients.producer.*;",
  "import org.apache.kafka.common.serialization.StringSerializer;",
  "import reactor.core.publisher.Flux;",
  "import reactor.core.publisher.Mono;",
  "import reactor.core.scheduler.Schedulers;",
  "import software.amazon.awssdk.services.sqs.SqsClient;",
  "import software.amazon.awssdk.services.sqs.model.Message;",
];

/** The learner's own work that fragments call. */
const learnersWork = ["updateStock", "pack", "render"].map((name) => `    static void ${name}(Object input) { }`);

const dependencies = [
  ["com.rabbitmq", "amqp-client", "5.38.0"],
  ["org.apache.kafka", "kafka-clients", "4.4.0"],
  ["io.projectreactor", "reactor-core", "3.8.8"],
  ["software.amazon.awssdk", "sqs", "2.59.1"],
];

const pluginXml = (artifact: string, version: string) => `<plugin><groupId>org.apache.maven.plugins</groupId><artifactId>${artifact}</artifactId><version>${version}</version></plugin>`;

export function lessonJavaSamples(): JavaSample[] {
  return lessons.flatMap((lesson) =>
    lesson.steps.flatMap((step) =>
      (step.code ?? [])
        .filter((sample) => sample.language === "java")
        .map((sample, index) => {
          const where = `${lesson.id}/${step.id}`;
          const declared = /public class (\w+)/.exec(sample.source)?.[1];
          if (declared) return { where, className: declared, source: sample.source };
          const className = `Sample_${lesson.id}_${step.id}_${index}`.replace(/-/g, "_");
          const body = sample.source.split("\n").map((line) => (line ? `        ${line}` : line)).join("\n");
          return { where, className, source: [...imports, "", `public class ${className} {`, "    static void run() throws Exception {", body, "    }", ...learnersWork, "}", ""].join("\n") };
        }),
    ),
  );
}

/** Writes the samples as the Maven module `name` under `dir`; returns them. */
export function writeLessonJavaSamples(dir: string, name: string): JavaSample[] {
  const samples = lessonJavaSamples();
  const sources = path.join(dir, name, "src", "main", "java");
  mkdirSync(sources, { recursive: true });
  for (const sample of samples) writeFileSync(path.join(sources, `${sample.className}.java`), sample.source);
  const dependencyXml = dependencies.map(([group, artifact, version]) => `<dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version></dependency>`).join("");
  writeFileSync(
    path.join(dir, name, "pom.xml"),
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>brokerlab.test</groupId><artifactId>${name}</artifactId><version>1</version>` +
      `<properties><maven.compiler.release>17</maven.compiler.release><project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties><dependencies>${dependencyXml}</dependencies>` +
      // The plugin versions of the generated projects, so one Maven run needs nothing more in ~/.m2.
      `<build><plugins>${pluginXml("maven-resources-plugin", plugins.resources)}${pluginXml("maven-compiler-plugin", plugins.compiler)}${pluginXml("maven-surefire-plugin", plugins.surefire)}${pluginXml("maven-jar-plugin", plugins.jar)}</plugins></build></project>`,
  );
  return samples;
}
