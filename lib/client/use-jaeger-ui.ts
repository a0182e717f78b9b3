// The Jaeger UI's address when a real Jaeger UI answers there, else undefined: a Go-module build
// of Jaeger serves a placeholder page instead, and a link to it would only confuse.
import { useStackStatus } from "./use-stack-status";

export function useJaegerUiUrl(): string | undefined {
  const stack = useStackStatus();
  const link = stack.status?.services.jaeger.links.find((l) => l.label === "Jaeger UI");
  return link?.available ? link.url : undefined;
}
