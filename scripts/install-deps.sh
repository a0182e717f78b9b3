#!/usr/bin/env bash
# Installs the npm dependencies when node_modules is missing or older than package-lock.json.
# Shared by scripts/start.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# npm writes node_modules/.package-lock.json on every install: its age is the install's age.
installed=node_modules/.package-lock.json
if [[ -f package-lock.json ]]; then
  if [[ ! -f $installed || package-lock.json -nt $installed ]]; then
    echo "==> npm ci"
    npm ci --no-audit --no-fund
  fi
elif [[ ! -d node_modules ]]; then
  echo "==> npm install (no package-lock.json)"
  npm install --no-audit --no-fund
fi
