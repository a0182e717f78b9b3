// Tells the real Jaeger UI from the placeholder page that a Go-module build of Jaeger serves at
// its root: only the real single-page app loads a JavaScript bundle.
import type { JaegerUiCheck } from "./service-advice";

const bundleScript = /<script\b[^>]*\bsrc=["'][^"']+\.js["']/i;

export function classifyJaegerUiPage(html: string): JaegerUiCheck {
  if (bundleScript.test(html) || html.includes('id="jaeger-ui-root"')) return { kind: "ui" };
  return { kind: "placeholder" };
}

export async function checkJaegerUi(url: string, timeoutMs = 2000): Promise<JaegerUiCheck> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
    if (!response.ok) return { kind: "unreachable", detail: `HTTP ${response.status}` };
    return classifyJaegerUiPage(await response.text());
  } catch (error) {
    const reason = error instanceof Error && error.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : "connection failed";
    return { kind: "unreachable", detail: reason };
  }
}
