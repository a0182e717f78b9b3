// A client of an asynchronous HTTP API: POSTs a body with a callback_url (a webhook receiver of
// the run) at the part's pace, and counts what the API answered. The callbacks arrive later, at
// the receiver. Waits until the engine has announced the API's (and the receiver's) URLs.
import type { ApiCall } from "../../../lib/scenario/patterns";
import type { RenderContext } from "../../../lib/scenario/template";
import { compilePayload, fieldsOf } from "../templates";
import { postJson } from "./http";
import { createPacer } from "./pace";
import type { PartContext, PatternPart } from "./part";

export async function startApiCalls(part: PartContext, call: ApiCall): Promise<PatternPart> {
  const { launch, recorder } = part;
  const service = launch.service.name;
  const counters = recorder.apiCall(call.name);
  const renderBody = compilePayload(call.body);
  let inFlight = 0;

  async function send(seq: number): Promise<boolean> {
    const ready = await part.untilEndpoints((e) => (e.api[call.api]?.length ?? 0) > 0 && (call.callbackTo === undefined || (e.webhook[call.callbackTo]?.length ?? 0) > 0));
    if (!ready) return false;
    const endpoints = part.endpoints();
    const apis = endpoints.api[call.api]!;
    const receivers = call.callbackTo === undefined ? [] : endpoints.webhook[call.callbackTo]!;
    const ctx: RenderContext = { seq, service, producer: call.name, replica: launch.replica, runId: launch.runId, now: Date.now() };
    const body = { ...fieldsOf(renderBody(ctx)), ...(receivers.length ? { callback_url: receivers[seq % receivers.length] } : {}) };
    counters.sent += 1;
    inFlight += 1;
    // A new trace per call: nothing is active here, so the CLIENT span is its root.
    void postJson(apis[seq % apis.length]!, JSON.stringify(body), {
      timeoutMs: call.timeout,
      attributes: { "brokerlab.api_call": `${service}/${call.name}`, "brokerlab.seq": seq },
    }).then((result) => {
      inFlight -= 1;
      if (result.status === 202 || (result.status >= 200 && result.status < 300)) counters.accepted += 1;
      else if (result.status >= 400 && result.status < 500) counters.rejected += 1;
      else counters.failed += 1;
    });
    return true;
  }

  const pacer = createPacer({
    rate: call.rate, count: call.count, startAfter: call.startAfter, replica: launch.replica, replicas: launch.replicas,
    send, onExhausted: () => {},
  });

  return {
    name: call.name,
    start: () => pacer.start(),
    sendNow: (count) => pacer.sendNow(count),
    stop: () => pacer.stop(),
    done() {
      counters.done = pacer.exhausted() && inFlight === 0;
      return counters.done;
    },
    async settle(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    close: async () => {},
  };
}
