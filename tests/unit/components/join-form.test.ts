// The join form against a stubbed /api/classroom/join: the refusal lands beside the field it is
// about (with focus), a joined learner is sent on to a same-site page only.
import "./setup";
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { createElement } from "react";
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { JoinForm } from "../../../components/classroom/join-form";
import { safeNext } from "../../../lib/client/classroom-call";

const realFetch = globalThis.fetch;
afterEach(() => {
  cleanup();
  globalThis.fetch = realFetch;
});

function answer(status: number, body: unknown) {
  const sent: unknown[] = [];
  globalThis.fetch = (async (_url: string, init: RequestInit) => {
    sent.push(JSON.parse(String(init.body)));
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  }) as typeof fetch;
  return sent;
}

async function fillAndSubmit(code: string, name: string) {
  fireEvent.change(screen.getByLabelText("Class code"), { target: { value: code } });
  fireEvent.change(screen.getByLabelText("Your name"), { target: { value: name } });
  await act(async () => void fireEvent.submit(screen.getByTestId("join-form")));
}

describe("JoinForm", () => {
  it("a wrong code is shown beside the code field, which gets the focus", async () => {
    const sent = answer(403, { error: { code: "FORBIDDEN", message: "That join code is wrong; type the code your teacher shows.", retriable: false } });
    render(createElement(JoinForm, {}));
    await fillAndSubmit("nope", "Ada");
    assert.deepEqual(sent, [{ code: "nope", name: "Ada" }]);
    const code = screen.getByLabelText("Class code");
    await waitFor(() => assert.equal(code.getAttribute("aria-invalid"), "true"));
    assert.match(document.getElementById("join-code-error")!.textContent!, /join code is wrong/);
    assert.equal(document.activeElement, code);
  });

  it("a bad name is shown beside the name field", async () => {
    answer(400, { error: { code: "INVALID_INPUT", message: "name is empty: type the name your class knows you by.", retriable: false, problems: [{ path: "name", message: "is empty" }] } });
    render(createElement(JoinForm, {}));
    await fillAndSubmit("ABCD-2345", " ");
    await waitFor(() => assert.match(document.getElementById("join-name-error")?.textContent ?? "", /name is empty/));
    assert.equal(document.activeElement, screen.getByLabelText("Your name"));
    assert.equal(screen.getByLabelText("Class code").getAttribute("aria-invalid"), null);
  });

  it("an expired session says so before anything is typed", () => {
    render(createElement(JoinForm, { expired: true }));
    assert.match(screen.getByRole("alert").textContent!, /session has ended/);
  });

  it("after joining, only a path on this site is followed", () => {
    assert.equal(safeNext("/lab?x=1"), "/lab?x=1");
    for (const unsafe of ["https://evil.example/", "//evil.example", "/\\evil.example", "", undefined, null, "/join?next=/lab"]) assert.equal(safeNext(unsafe), "/lessons", String(unsafe));
  });
});
