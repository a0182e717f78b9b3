#!/usr/bin/env bash
# Builds the Jaeger v2 all-in-one binary from its Go module and caches it by version.
# A wrapper module pins the version and repeats the replace line Jaeger's own go.mod needs.
set -euo pipefail
VERSION="${JAEGER_MODULE_VERSION:-v1.76.0}"
CACHE="${BROKERLAB_CACHE:-$HOME/.cache/brokerlab}/jaeger/$VERSION"
BIN="$CACHE/jaeger"
if [[ -x "$BIN" ]]; then echo "$BIN"; exit 0; fi
mkdir -p "$CACHE"
# Checkouts share the cache: a second build waits for the first instead of starting its own.
if command -v flock >/dev/null; then
  exec 9>"$CACHE/.lock"
  flock -n 9 || { echo "[jaeger] another build is running; waiting for it…" >&2; flock 9; }
  if [[ -x "$BIN" ]]; then echo "$BIN"; exit 0; fi
fi
# The checksum database is not reachable from every network; module hashes still come from the proxy.
export GOSUMDB="${GOSUMDB:-off}" GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
command -v go >/dev/null || { echo "Go is required to build Jaeger (install Go 1.26)" >&2; exit 1; }
mkdir -p "$CACHE/src"
cd "$CACHE/src"
cat > go.mod <<MOD
module brokerlab.local/jaeger-build

go 1.26

require github.com/jaegertracing/jaeger $VERSION

replace github.com/Shopify/sarama => github.com/Shopify/sarama v1.33.0
MOD
echo "[jaeger] resolving module github.com/jaegertracing/jaeger@$VERSION (first time only)…" >&2
GOFLAGS=-mod=mod go get "github.com/jaegertracing/jaeger/cmd/jaeger@$VERSION" >&2
echo "[jaeger] building cmd/jaeger (several minutes on 2 cores, first time only)…" >&2
( while sleep 30; do echo "[jaeger] still building… $(date +%T)" >&2; done ) &
TICKER=$!
trap 'kill $TICKER 2>/dev/null || true' EXIT
GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w" -o "$BIN.tmp" github.com/jaegertracing/jaeger/cmd/jaeger >&2
mv "$BIN.tmp" "$BIN"
echo "$BIN"
