"use client";
// A button that opens a small panel (menus, explanations). Escape or a click elsewhere closes
// it and gives focus back to the button.
import { useEffect, useId, useRef, useState } from "react";
import type { ReactNode } from "react";

export function Popover({
  label, title, className, panelClassName, align = "start", testId, children, open: controlled, onOpenChange,
}: {
  label: ReactNode; title?: string; className?: string; panelClassName?: string; align?: "start" | "end"; testId?: string;
  children: ReactNode | ((close: () => void) => ReactNode);
  /** Controlled use (e.g. a keyboard shortcut opens it). */
  open?: boolean; onOpenChange?(open: boolean): void;
}) {
  const [own, setOwn] = useState(false);
  const open = controlled ?? own;
  const setOpen = (next: boolean) => (onOpenChange ? onOpenChange(next) : setOwn(next));
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    // Escape closes it wherever the focus is (a shortcut may have opened it).
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      event.preventDefault();
      setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey, true);
    const panel = root.current?.querySelector<HTMLElement>(".lab-popover__panel");
    (panel?.querySelector<HTMLElement>("button, a, input") ?? panel)?.focus();
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey, true);
    };
  }, [open]);

  return (
    <div className="lab-popover" ref={root} onKeyDown={(e) => e.key === "Escape" && open && (e.stopPropagation(), close())}>
      <button ref={button} type="button" className={className ?? "button"} aria-expanded={open} aria-controls={id} title={title} onClick={() => setOpen(!open)} data-testid={testId}>
        {label}
      </button>
      {open ? (
        <div id={id} className={`lab-popover__panel lab-popover__panel--${align} ${panelClassName ?? ""}`} role="dialog" aria-label={title} tabIndex={-1}>
          {typeof children === "function" ? children(close) : children}
        </div>
      ) : null}
    </div>
  );
}
