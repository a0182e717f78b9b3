#!/usr/bin/env bash
# `npm test`: what CI checks, in order, stopping at the first failure. The stack is left running,
# so the next run starts at once (`npm run stack:down` stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
started=$SECONDS
timings=()

summary() {
  local out
  out=$(printf '%s, ' "${timings[@]}")
  echo "${out%, }"
}

step() {
  local name=$1 began=$SECONDS
  shift
  echo "==> $name"
  if ! "$@"; then
    echo "npm test: FAILED at $name after $((SECONDS - began)) s ($((SECONDS - started)) s in all; passed: $(summary))" >&2
    exit 1
  fi
  timings+=("$name $((SECONDS - began))s")
}

step deps bash scripts/install-deps.sh
# The browser the end-to-end tests drive, and the stack's own packages, where apt-get exists.
if [[ -x /usr/bin/apt-get ]]; then step packages bash stack/install/debian.sh; fi
# The Python clients the generated Python code needs; the code-generation tests run it.
step python bash stack/install/python.sh
step stack npx tsx stack/cli.ts up
step typecheck npm run typecheck
step lint npm run lint
step unit npm run test:unit
step integration npm run test:integration
step build npx next build
step e2e npm run test:e2e
# The benchmark harness, checked (workload 1, 100 B, 2 s; fails when a variant measured nothing).
step bench-smoke npm run bench -- --smoke
echo "npm test: all passed in $((SECONDS - started)) s ($(summary))"
