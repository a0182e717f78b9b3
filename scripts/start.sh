#!/usr/bin/env bash
# `npm start`: dependencies, the stack (RabbitMQ, Kafka, Jaeger, moto), a production build, then the
# server in the foreground. The stack keeps running after the server stops: `npm run stack:down`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
bash scripts/install-deps.sh
echo "==> stack"
npx tsx stack/cli.ts up
echo "==> next build"
npx next build
echo "==> server"
NODE_ENV=production exec node_modules/.bin/tsx server/index.ts
