// TLS to RabbitMQ: the local stack's listener (amqps on the port below the plain one) and the CA
// it was signed with, which a broker entry trusts with `tlsCa: stack`. Node's built-in list of
// authorities does not know that CA, so a client that is not told about it refuses the server.
import { readFileSync } from "node:fs";
import { isLoopbackHost } from "../../health/probes";
import { stackTlsPort, tlsFiles } from "../../../stack/services/rabbitmq-tls";

/** The local stack's TLS endpoint beside a plain loopback RABBITMQ_URL (amqps://127.0.0.1:5671 beside :5672); undefined otherwise. */
export function stackTlsUrl(rabbitUrl: string): string | undefined {
  const url = new URL(rabbitUrl);
  if (url.protocol !== "amqp:" || !isLoopbackHost(url.hostname)) return undefined;
  return `amqps://127.0.0.1:${stackTlsPort(url.port ? Number(url.port) : 5672)}`;
}

/** The certificate of the CA the local stack made for its TLS listener. */
export const stackCaFile = (): string => tlsFiles().caFile;

/** amqplib's socket options for a connection that trusts `caFile` too (nothing extra without it). */
export function tlsSocketOptions(caFile: string | undefined): { ca?: Buffer[] } {
  return caFile ? { ca: [readFileSync(caFile)] } : {};
}
