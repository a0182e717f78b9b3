"use client";
// On a narrow screen the run panel sits below the whole step; this button, pinned to the bottom
// of the screen while the panel is out of sight, jumps to it and says how the run is doing.
import { useEffect, useState } from "react";

export function RunJump({ status }: { status: string }) {
  const [panelVisible, setPanelVisible] = useState(true);
  useEffect(() => {
    const panel = document.querySelector("[data-testid=run-panel]");
    if (!panel || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(([entry]) => setPanelVisible(Boolean(entry?.isIntersecting)), { threshold: 0.05 });
    observer.observe(panel);
    return () => observer.disconnect();
  }, []);
  if (panelVisible) return null;
  const jump = () => {
    const heading = document.getElementById("run-heading");
    heading?.scrollIntoView({ behavior: "smooth", block: "start" });
    heading?.focus({ preventScroll: true });
  };
  return (
    <button type="button" className="lesson-run-jump" onClick={jump} data-testid="run-jump">
      <span aria-hidden="true">▶</span> Run <span className="lesson-run-jump__status">{status}</span>
    </button>
  );
}
