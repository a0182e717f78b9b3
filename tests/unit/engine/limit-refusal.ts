// What the cap and quota tests share: the LIMIT_REACHED refusal an action throws.
import assert from "node:assert/strict";
import { RunError } from "../../../server/engine/run";

/** The RunError LIMIT_REACHED `action` throws; fails the test when it throws nothing or something else. */
export function refusal(action: () => void): RunError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof RunError, `expected a RunError, got ${String(error)}`);
    assert.equal(error.code, "LIMIT_REACHED");
    return error;
  }
  assert.fail("expected LIMIT_REACHED");
}
