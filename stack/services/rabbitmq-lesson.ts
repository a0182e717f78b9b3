// The lesson broker: a second RabbitMQ node that only lessons stop and start (the durability
// lesson restarts it mid-run), so no lesson ever restarts the shared broker every other run uses.
// Started on demand, by the first run that names it; `stack:down` stops it with the rest.
import { rabbitNode } from "./rabbitmq-node";

export const rabbitmqLesson = rabbitNode({
  name: "rabbitmq-lesson",
  nodeName: (port) => `brokerlab-lesson-${port}@localhost`,
  url: (config) => config.BROKERLAB_LESSON_RABBITMQ_URL,
  managementUrl: (config) => config.BROKERLAB_LESSON_RABBITMQ_MANAGEMENT_URL,
  note: "(lesson broker, started on demand)",
});
