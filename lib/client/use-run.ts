// React access to the lab's run: every component shares one store on the page's one socket.
// Components select the slice they draw, so a frame only re-renders what shows frames.
import { useSyncExternalStore } from "react";
import { createRunStore } from "./run-store";
import type { RunStore, RunView } from "./run-store";
import { getSocket } from "./socket";

export const runStore: RunStore = createRunStore(getSocket);

export function useRun<T>(select: (view: RunView) => T): T {
  return useSyncExternalStore(
    runStore.subscribe,
    () => select(runStore.getSnapshot()),
    () => select(runStore.getServerSnapshot()),
  );
}
