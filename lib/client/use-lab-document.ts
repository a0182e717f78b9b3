// The lab's document state: the scenario text (the single source of truth) with its analysis,
// undo and redo, the positions a user placed by hand, and an autosaved draft in localStorage.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { analyse } from "../lab/document";
import type { Analysis } from "../lab/document";
import { buildGraph } from "../lab/graph";
import type { Point } from "../lab/layout";
import { readModel } from "../lab/model";
import { labStorage } from "./lab-storage";

interface State {
  analysis: Analysis;
  past: string[];
  future: string[];
  lastEditAt: number;
  positions: Record<string, Point>;
  /** Bumped when another document is loaded (the canvas fits it into view). */
  loadCount: number;
}

export type EditKind = "structure" | "typing";
const historyLimit = 100;
const coalesceMs = 800;

export function useLabDocument(initialText: string) {
  const [state, setState] = useState<State>(() => ({ analysis: analyse(initialText), past: [], future: [], lastEditAt: 0, positions: {}, loadCount: 0 }));
  const ready = useRef(false);

  /** Replaces the text; typing within a short time counts as one step of undo. */
  const setText = useCallback((text: string, kind: EditKind = "structure") => {
    setState((s) => {
      if (text === s.analysis.text) return s;
      const now = Date.now();
      const coalesce = kind === "typing" && now - s.lastEditAt < coalesceMs && s.past.length > 0;
      const past = coalesce ? s.past : [...s.past, s.analysis.text].slice(-historyLimit);
      return { ...s, analysis: analyse(text, s.analysis), past, future: [], lastEditAt: kind === "typing" ? now : 0 };
    });
  }, []);

  /** Applies an edit to the current text (edits of text that does not parse return it unchanged). */
  const apply = useCallback((edit: (text: string) => string, kind: EditKind = "structure") => {
    setState((s) => {
      const text = edit(s.analysis.text);
      if (text === s.analysis.text) return s;
      const now = Date.now();
      const coalesce = kind === "typing" && now - s.lastEditAt < coalesceMs && s.past.length > 0;
      const past = coalesce ? s.past : [...s.past, s.analysis.text].slice(-historyLimit);
      return { ...s, analysis: analyse(text, s.analysis), past, future: [], lastEditAt: kind === "typing" ? now : 0 };
    });
  }, []);

  /** Loads another document: new history, positions from the draft or automatic. */
  const load = useCallback((text: string, positions: Record<string, Point> = {}) => {
    setState((s) => ({ analysis: analyse(text), past: [...s.past, s.analysis.text].slice(-historyLimit), future: [], lastEditAt: 0, positions, loadCount: s.loadCount + 1 }));
  }, []);

  const undo = useCallback(() => {
    setState((s) => {
      const previous = s.past[s.past.length - 1];
      if (previous === undefined) return s;
      return { ...s, analysis: analyse(previous, s.analysis), past: s.past.slice(0, -1), future: [s.analysis.text, ...s.future], lastEditAt: 0 };
    });
  }, []);

  const redo = useCallback(() => {
    setState((s) => {
      const [next, ...rest] = s.future;
      if (next === undefined) return s;
      return { ...s, analysis: analyse(next, s.analysis), past: [...s.past, s.analysis.text], future: rest, lastEditAt: 0 };
    });
  }, []);

  const move = useCallback((id: string, point: Point) => setState((s) => ({ ...s, positions: { ...s.positions, [id]: point } })), []);
  const renamePosition = useCallback((from: string, to: string) => {
    setState((s) => {
      const point = s.positions[from];
      if (!point || from === to) return s;
      const positions = { ...s.positions, [to]: point };
      delete positions[from];
      return { ...s, positions };
    });
  }, []);
  const tidy = useCallback(() => setState((s) => ({ ...s, positions: {}, loadCount: s.loadCount + 1 })), []);

  // Autosave, once the page has decided what to show first (so the empty start never overwrites a draft).
  useEffect(() => {
    if (!ready.current) return;
    const timer = setTimeout(() => labStorage.writeDraft({ text: state.analysis.text, positions: state.positions }), 300);
    return () => clearTimeout(timer);
  }, [state.analysis.text, state.positions]);

  const graph = useMemo(() => buildGraph(state.analysis.raw), [state.analysis.raw]);
  const model = useMemo(() => readModel(state.analysis.raw), [state.analysis.raw]);

  return {
    analysis: state.analysis,
    graph,
    model,
    positions: state.positions,
    loadCount: state.loadCount,
    canUndo: state.past.length > 0,
    canRedo: state.future.length > 0,
    setText, apply, load, undo, redo, move, renamePosition, tidy,
    /** Call once the first document is in place; autosave starts from then on. */
    markReady: useCallback(() => void (ready.current = true), []),
  };
}

export type LabDocument = ReturnType<typeof useLabDocument>;
