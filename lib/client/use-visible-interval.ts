// Calls `tick` every `everyMs` while the tab is visible, and once at once when it becomes visible
// again: a page that polls costs nothing in a background tab and is fresh when looked at.
import { useEffect, useRef } from "react";

export function useVisibleInterval(tick: () => void, everyMs: number): void {
  const latest = useRef(tick);
  latest.current = tick;

  useEffect(() => {
    let timer: ReturnType<typeof setInterval> | undefined;
    const start = () => {
      if (timer === undefined) timer = setInterval(() => latest.current(), everyMs);
    };
    const stop = () => {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    };
    const onVisibility = () => {
      if (document.visibilityState !== "visible") return stop();
      latest.current();
      start();
    };
    if (document.visibilityState === "visible") start();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      stop();
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [everyMs]);
}
