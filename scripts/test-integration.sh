#!/usr/bin/env bash
# `npm run test:integration`: every integration test on the real stack, in two parts.
#
# 1. The lesson sweep (every lesson step's "Show me", about half the time, mostly waiting on runs)
#    and the other tests side by side: two test processes, each taking its files one at a time.
#    The sweep's report is kept in a file and printed when both are done, so the two never mix.
# 2. Then, one at a time, the tests that stop and start a broker or an emulator of the stack (or the
#    lesson broker): a restart in the middle of another test's run would fail that test.
#
# With file arguments, those files run one at a time, as before (handy while developing).
set -uo pipefail
cd "$(dirname "$0")/.."

run() { node --import tsx --test --test-force-exit --test-concurrency=1 --test-reporter=spec "$@"; }

if [[ $# -gt 0 ]]; then
  run "$@"
  exit
fi

sweep=tests/integration/lessons/solutions.test.ts
# Stop or start a broker, an emulator or the lesson broker (some only to see the stop refused).
restarts=(
  tests/integration/faults/broker-restart.test.ts
  tests/integration/faults/broker-not-ours.test.ts
  tests/integration/faults/emulator-restart.test.ts
  tests/integration/faults/lesson-broker.test.ts
  tests/integration/faults/redis-faults.test.ts
)
mapfile -t others < <(find tests/integration -name '*.test.ts' | sort | grep -vxF -e "$sweep" "${restarts[@]/#/-e}")
for file in "$sweep" "${restarts[@]}"; do
  [[ -f $file ]] || { echo "scripts/test-integration.sh names $file, which does not exist; update the list" >&2; exit 2; }
done

report=$(mktemp -t brokerlab-sweep-XXXXXX.txt)
trap 'rm -f "$report"' EXIT
echo "==> integration: the lesson sweep in the background (its report follows the other tests)"
run "$sweep" >"$report" 2>&1 &
sweeping=$!

echo "==> integration: ${#others[@]} files, one at a time"
run "${others[@]}"
others_rc=$?

began=$SECONDS
wait "$sweeping"
sweep_rc=$?
echo "==> integration: the lesson sweep (waited $((SECONDS - began)) s for it after the other tests)"
cat "$report"

echo "==> integration: ${#restarts[@]} files that stop and start brokers, one at a time"
run "${restarts[@]}"
restarts_rc=$?

echo "==> integration: other files exit $others_rc, lesson sweep exit $sweep_rc, broker restarts exit $restarts_rc"
[[ $others_rc -eq 0 && $sweep_rc -eq 0 && $restarts_rc -eq 0 ]]
