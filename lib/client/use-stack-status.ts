// React access to the stack's health: every component calling this shares one socket and one store.
import { useSyncExternalStore } from "react";
import { getSocket } from "./socket";
import { createStackStatusStore } from "./stack-status-store";
import type { StackView } from "./stack-status-store";

const store = createStackStatusStore(getSocket);

export function useStackStatus(): StackView & { refresh: () => void } {
  const view = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getServerSnapshot);
  return { ...view, refresh: store.refresh };
}
