// The brokers' own benchmark tools, from the cached jars that stack/install fetches from Maven
// Central (the first call downloads them; later calls print the cached folder at once).
import { execFileSync } from "node:child_process";
import path from "node:path";
import { repoRoot } from "../lib/spawn";

const cached = new Map<string, string>();

function libs(installer: string): string {
  let folder = cached.get(installer);
  if (!folder) {
    const out = execFileSync("bash", [path.join(repoRoot, "stack", "install", installer)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    folder = out.trim().split("\n").at(-1)!;
    cached.set(installer, folder);
  }
  return folder;
}

/** `java -cp <jars> <mainClass> …` arguments for a tool. Heap capped so tools stay civil on a shared machine. */
export const javaArgs = (installer: "perf-test.sh" | "kafka.sh", mainClass: string, args: string[]) => ["-Xmx512m", "-cp", `${libs(installer)}/*`, mainClass, ...args];
