"use client";
// A shell command in a code block with a button that copies it.
import { useEffect, useState } from "react";

export function CopyCommand({ command }: { command: string }) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    if (copied === "idle") return;
    const reset = setTimeout(() => setCopied("idle"), 2000);
    return () => clearTimeout(reset);
  }, [copied]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(command);
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
  }

  return (
    <div className="copy-command">
      <code data-testid="fix-command">
        <span className="copy-command__prompt" aria-hidden="true">$ </span>
        {command}
      </code>
      <button type="button" className="copy-command__button" onClick={copy} aria-label={`Copy the command: ${command}`}>
        {copied === "copied" ? "Copied" : copied === "failed" ? "Select & copy" : "Copy"}
      </button>
      <span className="visually-hidden" aria-live="polite">
        {copied === "copied" ? "Command copied to the clipboard." : ""}
      </span>
    </div>
  );
}
