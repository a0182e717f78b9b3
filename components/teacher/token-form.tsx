"use client";
// Asks for the teacher token (BROKERLAB_TOKEN) when the server wants one; it is kept for this tab only.
import { useState } from "react";

export function TokenForm({ rejected, onToken }: { rejected: boolean; onToken: (token: string) => void }) {
  const [value, setValue] = useState("");
  return (
    <form className="teacher-card token-form" onSubmit={(event) => { event.preventDefault(); if (value.trim()) onToken(value.trim()); }} data-testid="token-form">
      <h2>Teacher&apos;s dashboard</h2>
      <p>The class&apos;s progress is for the teacher. Type the teacher token: the <code>BROKERLAB_TOKEN</code> the server was started with.</p>
      {rejected ? <p className="teacher-error" role="alert">That token was not accepted; check it and try again.</p> : null}
      <label>Teacher token
        <input type="password" autoComplete="current-password" required value={value} onChange={(e) => setValue(e.target.value)} data-testid="teacher-token" />
      </label>
      <button className="button" type="submit">Open the dashboard</button>
      <p className="muted">It is kept in this tab only (session storage) and sent as a bearer header.</p>
    </form>
  );
}
