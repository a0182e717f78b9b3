// The health probe of the Pub/Sub emulator: its REST face lists the project's topics (GET
// /v1/projects/<project>/topics), which proves the Pub/Sub API answers, not merely some server on
// the port. When the local emulator is not installed, the detail says how to install it.
import { existsSync, readdirSync } from "node:fs";
import { httpRequest, isLoopbackHost, reason, type ProbeResult } from "../../health/probes";
import { emulatorHostname, pubsubSettings, type PubsubSettings } from "./settings";

/** Where Debian's google-cloud-cli-pubsub-emulator package puts the emulator. */
export const emulatorLibDir = "/usr/lib/google-cloud-sdk/platform/pubsub-emulator/lib";
export const installHint = "install it with: apt-get install google-cloud-cli-pubsub-emulator openjdk-17-jre-headless (Google's Cloud SDK apt repository), or run the Docker compose service";

/** The emulator's version, read from its jar's name (cloud-pubsub-emulator-0.8.20-all.jar); undefined when not installed. */
export function installedEmulatorVersion(dir = emulatorLibDir): string | undefined {
  if (!existsSync(dir)) return undefined;
  const jar = readdirSync(dir).find((name) => /^cloud-pubsub-emulator-.*\.jar$/.test(name));
  return jar ? /^cloud-pubsub-emulator-(\d+(\.\d+)*)/.exec(jar)?.[1] ?? "unknown" : undefined;
}

export async function probePubsub(settings: PubsubSettings = pubsubSettings()): Promise<ProbeResult> {
  const url = `http://${settings.emulatorHost}`;
  try {
    const response = await httpRequest(`${url}/v1/projects/${settings.project}/topics`);
    const body = await response.text();
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${body.slice(0, 80)}`);
    const parsed = JSON.parse(body) as { topics?: unknown[] };
    const count = Array.isArray(parsed.topics) ? parsed.topics.length : 0;
    const local = isLoopbackHost(emulatorHostname(settings.emulatorHost));
    return { up: true, url, version: local ? installedEmulatorVersion() : undefined, detail: `Pub/Sub answered (${count} topic${count === 1 ? "" : "s"} in project ${settings.project})` };
  } catch (error) {
    const missing = isLoopbackHost(emulatorHostname(settings.emulatorHost)) && !installedEmulatorVersion();
    return { up: false, url, detail: missing ? `the Pub/Sub emulator is not installed: ${installHint}` : `Pub/Sub ${url}: ${reason(error)}` };
  }
}
