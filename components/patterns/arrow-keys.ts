// Moving through a row of tabs or radio chips with the keyboard: ← → wrap around, Home and End.
import type { KeyboardEvent } from "react";

/** The index the key moves to, or undefined when the key is not one of them (and is left alone). */
export function arrowTarget(event: KeyboardEvent, index: number, length: number): number | undefined {
  const next = event.key === "ArrowRight" || event.key === "ArrowDown" ? index + 1
    : event.key === "ArrowLeft" || event.key === "ArrowUp" ? index - 1
    : event.key === "Home" ? 0
    : event.key === "End" ? length - 1
    : undefined;
  if (next === undefined) return undefined;
  event.preventDefault();
  return (next + length) % length;
}
