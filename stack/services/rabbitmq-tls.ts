// RabbitMQ's TLS listener: a certificate authority Brokerlab makes once for this stack, and a server
// certificate it signs for 127.0.0.1 and localhost. The files stay under the stack's folder (never in
// the repository); the keys are readable by their owner only and are never printed.
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stackDir } from "../paths";
import { run, StepError } from "../process";

export interface TlsFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** The TLS listener's port: the one below the plain AMQP port (5671 beside 5672, as RabbitMQ's defaults are). */
export const stackTlsPort = (amqpPort: number): number => amqpPort - 1;

/** Where the stack keeps the CA and the server's certificate (the CA's certificate is what clients trust). */
export function tlsFiles(): TlsFiles {
  const dir = path.join(stackDir, "rabbitmq", "tls");
  return { caFile: path.join(dir, "ca.pem"), certFile: path.join(dir, "server.pem"), keyFile: path.join(dir, "server-key.pem") };
}

async function openssl(args: string[], cwd: string): Promise<void> {
  const result = await run("openssl", args, { cwd, timeoutMs: 30_000 }).catch((error: Error) => {
    throw new StepError("configure", `openssl could not run (${error.message}); install it (on Debian/Ubuntu: apt-get install openssl)`);
  });
  // Only the exit code is reported: openssl's output may quote what it was given.
  if (result.code !== 0) throw new StepError("configure", `openssl ${args[0]} failed with exit code ${result.code} while making RabbitMQ's TLS certificates`);
}

/**
 * Makes the CA and the server certificate unless both exist. The CA's key is deleted once it has
 * signed: nothing else is ever signed with it, so a stolen copy of the folder cannot mint more.
 */
export async function ensureTlsFiles(say: (line: string) => void): Promise<TlsFiles> {
  const files = tlsFiles();
  if ([files.caFile, files.certFile, files.keyFile].every((file) => existsSync(file))) return files;
  const dir = path.dirname(files.caFile);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  say("making a local certificate authority and a server certificate for RabbitMQ's TLS listener (once)");
  const caKey = path.join(dir, "ca-key.pem");
  const request = path.join(dir, "server.csr");
  const extensions = path.join(dir, "server.ext");
  await openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey, "-out", files.caFile, "-days", "3650", "-subj", "/CN=Brokerlab local CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"], dir);
  await openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", files.keyFile, "-out", request, "-subj", "/CN=localhost"], dir);
  writeFileSync(extensions, "subjectAltName = IP:127.0.0.1, DNS:localhost\nextendedKeyUsage = serverAuth\nbasicConstraints = CA:FALSE\n");
  await openssl(["x509", "-req", "-in", request, "-CA", files.caFile, "-CAkey", caKey, "-CAcreateserial", "-out", files.certFile, "-days", "825", "-extfile", extensions], dir);
  for (const used of [caKey, request, extensions, path.join(dir, "ca.srl")]) rmSync(used, { force: true });
  chmodSync(files.keyFile, 0o600);
  return files;
}

/** The rabbitmq.conf lines of the TLS listener; the plain listener is configured apart and unchanged. */
export function tlsConfigLines(port: number, files: TlsFiles): string[] {
  return [
    `listeners.ssl.default = 127.0.0.1:${port}`,
    `ssl_options.cacertfile = ${files.caFile}`,
    `ssl_options.certfile = ${files.certFile}`,
    `ssl_options.keyfile = ${files.keyFile}`,
    // Clients prove who they are with a user and password; client certificates are not asked for.
    "ssl_options.verify = verify_none",
    "ssl_options.fail_if_no_peer_cert = false",
    "ssl_options.versions.1 = tlsv1.3",
    "ssl_options.versions.2 = tlsv1.2",
  ];
}
