// Where the Pub/Sub emulator is: PUBSUB_EMULATOR_HOST (host:port, the variable Google's own clients
// read) and PUBSUB_PROJECT_ID (the project its topics and subscriptions live in). Read here, not in
// server/config.ts, so the broker's settings stay in its own files; bad values are errors that
// name the variable and what to write.
import { z } from "zod";

export const defaultEmulatorHost = "127.0.0.1:8085";
export const defaultProject = "brokerlab";

/** host:port with a port 1–65535, as PUBSUB_EMULATOR_HOST is written. */
export const hostPortSchema = z.string().trim().regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, "must be host:port, e.g. 127.0.0.1:8085")
  .refine((value) => Number(value.slice(value.lastIndexOf(":") + 1)) <= 65_535, "must name a port from 1 to 65535");

/** Google's project id rule: 6–30 characters, lowercase letters, digits and hyphens, starting with a letter. */
export const projectIdSchema = z.string().trim().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "must be 6–30 lowercase letters, digits or hyphens, starting with a letter (Google's project id rule), e.g. brokerlab");

export interface PubsubSettings {
  emulatorHost: string;
  project: string;
}

export function pubsubSettings(env: NodeJS.ProcessEnv = process.env): PubsubSettings {
  const read = (name: string, schema: z.ZodType<string>, fallback: string) => {
    const value = env[name]?.trim();
    if (!value) return fallback;
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new Error(`${name}=${JSON.stringify(value)} ${parsed.error.issues[0]?.message ?? "is not valid"}`);
    return parsed.data;
  };
  return { emulatorHost: read("PUBSUB_EMULATOR_HOST", hostPortSchema, defaultEmulatorHost), project: read("PUBSUB_PROJECT_ID", projectIdSchema, defaultProject) };
}

/** The emulator's port, from its host:port. */
export const emulatorPort = (hostPort: string): number => Number(hostPort.slice(hostPort.lastIndexOf(":") + 1));
export const emulatorHostname = (hostPort: string): string => hostPort.slice(0, hostPort.lastIndexOf(":")).replace(/^\[|\]$/g, "");
