"use client";
// One trace at /traces/<traceId>: the timeline with its critical path marked and the conventions
// verdict, and a field to compare it with another trace.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useJaegerUiUrl } from "../../lib/client/use-jaeger-ui";
import { TraceTimeline } from "../run/trace-timeline";

export function TracePageView({ traceId }: { traceId: string }) {
  const router = useRouter();
  const jaegerUiUrl = useJaegerUiUrl();
  const [other, setOther] = useState("");
  return (
    <>
      <TraceTimeline traceId={traceId} showCriticalPath {...(jaegerUiUrl ? { jaegerUiUrl } : {})} />
      <form
        className="traces-form traces-form--inline"
        onSubmit={(event) => {
          event.preventDefault();
          if (other.trim()) router.push(`/traces/compare?a=${encodeURIComponent(traceId)}&b=${encodeURIComponent(other.trim())}`);
        }}
      >
        <label className="traces-form__field">
          <span>Compare with trace</span>
          <input value={other} onChange={(event) => setOther(event.target.value)} placeholder="another trace id" data-testid="compare-with" />
        </label>
        <button type="submit" className="button" disabled={!other.trim()}>Compare</button>
      </form>
    </>
  );
}
