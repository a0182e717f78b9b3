"use client";
// The join form: the class code and a display name, each with its own label and its error beside it;
// Enter submits, the field at fault gets the focus, and a joined learner goes where they were headed.
import { useRef, useState, type FormEvent, type InputHTMLAttributes, type RefObject } from "react";
import { joinClass, safeNext } from "../../lib/client/classroom-call";

type Field = "code" | "name";
type Problem = { field?: Field; message: string };

interface JoinFieldProps extends InputHTMLAttributes<HTMLInputElement> {
  name: Field;
  label: string;
  inputRef: RefObject<HTMLInputElement | null>;
  error: string | undefined;
  hint?: string;
}

function JoinField({ name, label, inputRef, error, hint, ...input }: JoinFieldProps) {
  const describedBy = error ? `join-${name}-error` : hint ? `join-${name}-hint` : undefined;
  return (
    // The error and the hint sit outside the label, so the field's accessible name is its label alone.
    <div className="join-form__field">
      <label htmlFor={`join-${name}`}>{label}</label>
      <input ref={inputRef} id={`join-${name}`} name={name} required aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {error ? (
        <span id={`join-${name}-error`} className="join-form__error" role="alert">
          {error}
        </span>
      ) : (
        hint && (
          <span id={`join-${name}-hint`} className="join-form__hint">
            {hint}
          </span>
        )
      )}
    </div>
  );
}

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

  const errorFor = (field: Field) => (problem?.field === field ? problem.message : undefined);
  return (
    <form className="join-form" onSubmit={submit} noValidate data-testid="join-form">
      <JoinField
        name="code"
        label="Class code"
        inputRef={codeInput}
        error={errorFor("code")}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        placeholder="K7PM-4QXD"
        maxLength={64}
        autoFocus
      />
      <JoinField
        name="name"
        label="Your name"
        inputRef={nameInput}
        error={errorFor("name")}
        hint="The name your teacher will see, up to 40 characters."
        value={name}
        onChange={(e) => setName(e.target.value)}
        autoComplete="nickname"
        maxLength={80}
      />
      {problem && !problem.field && (
        <p className="join-form__error" role="alert">
          {problem.message}
        </p>
      )}
      <button className="button button--primary" type="submit" disabled={busy}>
        {busy ? "Joining…" : "Join the class"}
      </button>
    </form>
  );
}
