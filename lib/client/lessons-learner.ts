// Who the learner is, to the lesson service: a random id kept in this browser's localStorage, so
// progress (saved on the server) follows the browser across reloads without an account.
const storageKey = "brokerlab.learner";

function randomId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function learnerId(): string {
  try {
    const existing = window.localStorage.getItem(storageKey);
    if (existing && /^[A-Za-z0-9_-]{8,64}$/.test(existing)) return existing;
    const fresh = randomId();
    window.localStorage.setItem(storageKey, fresh);
    return fresh;
  } catch {
    // Storage disabled (private mode, policy): progress lasts as long as the page.
    return (globalThis as { __brokerlabLearner?: string }).__brokerlabLearner ??= randomId();
  }
}

const scenarioKey = (lessonId: string) => `brokerlab.lesson.${lessonId}.scenario`;

/** The learner's editor text for a lesson, and the step it was loaded for. */
export function savedScenario(lessonId: string): { stepId: string; text: string } | undefined {
  try {
    const raw = window.localStorage.getItem(scenarioKey(lessonId));
    const parsed: unknown = raw ? JSON.parse(raw) : undefined;
    if (parsed && typeof parsed === "object" && typeof (parsed as { stepId?: unknown }).stepId === "string" && typeof (parsed as { text?: unknown }).text === "string") {
      return parsed as { stepId: string; text: string };
    }
  } catch {
    // A corrupt entry is as good as none.
  }
  return undefined;
}

export function saveScenario(lessonId: string, stepId: string, text: string): void {
  try {
    window.localStorage.setItem(scenarioKey(lessonId), JSON.stringify({ stepId, text }));
  } catch {
    // Not saved; the editor still holds it.
  }
}
