"use client";
// The lab's keyboard shortcuts (listed in shortcuts-help.tsx). Keys typed into a field or the YAML
// editor are theirs; only Ctrl/⌘+Enter (run) works everywhere.
import { useEffect, useRef } from "react";

export interface ShortcutHandlers {
  addService(): void;
  addProducer(): void;
  addConsumer(): void;
  addResource(kind: "queue" | "exchange" | "topic"): void;
  remove(): void;
  edit(): void;
  clear(): void;
  undo(): void;
  redo(): void;
  toggleRun(): void;
  tidy(): void;
  showYaml(): void;
  help(): void;
}

const typingTarget = (target: EventTarget | null) =>
  target instanceof HTMLElement && Boolean(target.closest("input, textarea, select, [contenteditable='true'], .cm-editor"));

export function useShortcuts(handlers: ShortcutHandlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const h = ref.current;
      const mod = event.ctrlKey || event.metaKey;
      if (mod && event.key === "Enter") return void (event.preventDefault(), h.toggleRun());
      if (typingTarget(event.target) || event.defaultPrevented) return;
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      if (mod && key === "z") return void (event.preventDefault(), event.shiftKey ? h.redo() : h.undo());
      if (mod && key === "y") return void (event.preventDefault(), h.redo());
      if (mod || event.altKey) return;
      const target = event.target as HTMLElement;
      const onCanvasItem = Boolean(target.closest?.(".react-flow__node"));
      const actions: Record<string, () => void> = {
        s: h.addService, p: h.addProducer, c: h.addConsumer,
        q: () => h.addResource("queue"), e: () => h.addResource("exchange"), t: () => h.addResource("topic"),
        l: h.tidy, y: h.showYaml, "?": h.help,
        Delete: h.remove, Backspace: h.remove, Escape: h.clear,
      };
      if (key === "Enter") {
        // Enter on a toolbar button presses it; on the canvas (or nowhere) it opens the editor.
        if (onCanvasItem || target === document.body) return void (event.preventDefault(), h.edit());
        return;
      }
      const action = actions[key];
      if (action) {
        event.preventDefault();
        action();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
