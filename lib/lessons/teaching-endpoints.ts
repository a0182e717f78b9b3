// Endpoints the built-in lessons point a broker at on purpose: a port where nothing listens, to show
// a refused connection. They join the endpoint allowlist (server/engine/endpoints.ts) because they
// are Brokerlab's own content, not a learner's input; the URL carries its own well-known
// credentials, so the configured brokers' secrets never go there.

/** RabbitMQ's AMQP port is 5672; nothing of Brokerlab's listens on 5999. */
export const wrongPortRabbitUrl = "amqp://guest:guest@127.0.0.1:5999";

/** `host:port` of every endpoint above, as BROKERLAB_ALLOWED_ENDPOINTS would list it. */
export const teachingEndpoints: readonly string[] = ["127.0.0.1:5999"];
