"use client";
// The join form: the class code and a display name, each with its own label and its error beside it;
// Enter submits, the field at fault gets the focus, and a joined learner goes where they were headed.
import { useRef, useState, type FormEvent } from "react";
import { joinClass, safeNext } from "../../lib/client/classroom-call";

type Problem = { field?: "code" | "name"; message: string };

export function JoinForm({ next, expired }: { next?: string; expired?: boolean }) {
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const [problem, setProblem] = useState<Problem | undefined>(expired ? { message: "Your session has ended; join again with the class code." } : undefined);
  const [busy, setBusy] = useState(false);
  const codeInput = useRef<HTMLInputElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const result = await joinClass(code, name);
    if (result.ok) {
      // A full load, so the new session cookie reaches the server and the live connection.
      window.location.assign(safeNext(next));
      return;
    }
    setBusy(false);
    setProblem({ ...(result.field ? { field: result.field } : {}), message: result.error.message });
    (result.field === "name" ? nameInput : codeInput).current?.focus();
  }

  const errorFor = (field: "code" | "name") => (problem?.field === field ? problem.message : undefined);
  return (
    <form className="join-form" onSubmit={submit} noValidate data-testid="join-form">
      <label className="join-form__field">
        <span>Class code</span>
        <input
          ref={codeInput}
          name="code"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          placeholder="K7PM-4QXD"
          maxLength={64}
          required
          autoFocus
          aria-invalid={errorFor("code") ? true : undefined}
          aria-describedby={errorFor("code") ? "join-code-error" : undefined}
        />
        {errorFor("code") && <span id="join-code-error" className="join-form__error" role="alert">{errorFor("code")}</span>}
      </label>
      <label className="join-form__field">
        <span>Your name</span>
        <input
          ref={nameInput}
          name="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoComplete="nickname"
          maxLength={80}
          required
          aria-invalid={errorFor("name") ? true : undefined}
          aria-describedby={errorFor("name") ? "join-name-error" : "join-name-hint"}
        />
        {errorFor("name") ? (
          <span id="join-name-error" className="join-form__error" role="alert">{errorFor("name")}</span>
        ) : (
          <span id="join-name-hint" className="join-form__hint">The name your teacher will see, up to 40 characters.</span>
        )}
      </label>
      {problem && !problem.field && <p className="join-form__error" role="alert">{problem.message}</p>}
      <button className="button button--primary" type="submit" disabled={busy}>
        {busy ? "Joining…" : "Join the class"}
      </button>
    </form>
  );
}
