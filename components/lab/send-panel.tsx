"use client";
// Send messages by hand into the running scenario: pick a producer, edit the payload (prefilled
// from its template; an unchanged template is rendered per message, as the producer would), send.
import { useEffect, useMemo, useState } from "react";
import { runStore, useRun } from "../../lib/client/use-run";
import type { LabModel } from "../../lib/lab/model";

const templateText = (payload: unknown) => JSON.stringify(payload ?? { seq: "{{seq}}" }, null, 2);

export function SendPanel({ model, preferred }: { model: LabModel; preferred?: string }) {
  const status = useRun((v) => v.status);
  const counters = useRun((v) => v.frames[v.frames.length - 1]?.producers);
  const running = status === "running";
  const producers = useMemo(() => model.services.flatMap((s) => s.producers.map((p) => ({ key: `${s.name}/${p.name}`, service: s.name, producer: p }))), [model]);
  const [key, setKey] = useState(preferred ?? producers[0]?.key ?? "");
  const chosen = producers.find((p) => p.key === key) ?? producers[0];
  const template = templateText(chosen?.producer.raw.payload);
  const [payload, setPayload] = useState(template);
  const [count, setCount] = useState("1");
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const [sending, setSending] = useState(false);

  useEffect(() => {
    if (preferred && producers.some((p) => p.key === preferred)) setKey(preferred);
  }, [preferred, producers]);
  useEffect(() => setPayload(template), [template]);

  let parsed: { ok: true; value: unknown } | { ok: false; error: string };
  try {
    parsed = { ok: true, value: JSON.parse(payload) as unknown };
  } catch (error) {
    parsed = { ok: false, error: (error as Error).message };
  }
  const n = Number(count);
  const countOk = Number.isInteger(n) && n >= 1 && n <= 10_000;
  const unchanged = payload === template;
  // Messages sent by hand take the producer's next sequence numbers, so a producer that has sent
  // its whole `count` sends nothing more.
  const used = chosen ? counters?.[chosen.key]?.published ?? 0 : 0;
  const exhausted = chosen?.producer.count !== undefined && used >= chosen.producer.count;

  async function send() {
    if (!chosen || !parsed.ok || !countOk) return;
    setSending(true);
    const response = await runStore.send({ service: chosen.service, producer: chosen.producer.name, count: n, ...(unchanged ? {} : { payload: parsed.value }) });
    setSending(false);
    setResult("error" in response ? { ok: false, text: response.error.message } : { ok: true, text: `Sent ${response.data.sent} message${response.data.sent === 1 ? "" : "s"} from ${chosen.key}.` });
  }

  if (producers.length === 0) return <p className="lab-panel-note">This scenario has no producers to send from.</p>;
  return (
    <form className="lab-send" onSubmit={(e) => (e.preventDefault(), void send())} data-testid="send-panel">
      <p className="lab-panel-note">
        Publish messages now, through a producer of the running scenario. Set a producer’s rate to “By hand” to send only from here.
      </p>
      <div className="lab-field">
        <label className="lab-field__label" htmlFor="send-producer">Producer</label>
        <select id="send-producer" className="lab-input lab-select" value={chosen?.key} onChange={(e) => setKey(e.target.value)} data-testid="send-producer">
          {producers.map((p) => <option key={p.key} value={p.key}>{p.key}</option>)}
        </select>
      </div>
      <div className="lab-field">
        <label className="lab-field__label" htmlFor="send-payload">Payload</label>
        <textarea id="send-payload" className="lab-input lab-textarea" rows={8} value={payload} onChange={(e) => setPayload(e.target.value)} spellCheck={false} data-testid="send-payload" />
        <p className="lab-field__hint">
          {unchanged ? "The producer’s template: placeholders such as {{seq}} are filled per message." : "Sent exactly as written (placeholders are not filled)."}{" "}
          {!unchanged ? <button type="button" className="lab-link-button" onClick={() => setPayload(template)}>Back to the template</button> : null}
        </p>
        {!parsed.ok ? <ul className="lab-field__problems"><li>not valid JSON: {parsed.error}</li></ul> : null}
      </div>
      <div className="lab-field lab-field--inline">
        <label className="lab-field__label" htmlFor="send-count">Count</label>
        <input id="send-count" className="lab-input lab-input--number" inputMode="numeric" value={count} onChange={(e) => setCount(e.target.value)} data-testid="send-count" />
        {!countOk ? <ul className="lab-field__problems"><li>a whole number from 1 to 10000</li></ul> : null}
      </div>
      <button type="submit" className="button button--primary" disabled={!running || sending || !parsed.ok || !countOk || exhausted} data-testid="send-button">
        {sending ? "Sending…" : "Send"}
      </button>
      {running && exhausted ? (
        <p className="lab-field__problems" role="status" data-testid="send-exhausted">
          {chosen!.key} has already sent its count of {chosen!.producer.count}: it sends no more, by hand either. Raise or remove its count, or send from a producer whose rate is “By hand”.
        </p>
      ) : null}
      {!running ? <p className="lab-panel-note">Start a run to send. A run stops once drained, except while a producer “By hand” has no count (it stays open until you stop it); a run length (next to Start) keeps any run open.</p> : null}
      {result ? <p className={result.ok ? "lab-ok" : "lab-bad"} role="status">{result.text}</p> : null}
    </form>
  );
}
