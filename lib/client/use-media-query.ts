// Whether a CSS media query matches now, kept up to date (false while rendering on the server).
import { useCallback, useSyncExternalStore } from "react";

export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback((onChange: () => void) => {
    const list = window.matchMedia(query);
    list.addEventListener("change", onChange);
    return () => list.removeEventListener("change", onChange);
  }, [query]);
  return useSyncExternalStore(subscribe, () => window.matchMedia(query).matches, () => false);
}

/** Phones: the lab's canvas flows top to bottom and its panels stack. */
export const narrowScreen = "(max-width: 640px)";
