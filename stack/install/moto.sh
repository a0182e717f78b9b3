#!/usr/bin/env bash
# Installs moto's server (an emulator of Amazon SQS, SNS and EventBridge) into its own Python
# virtual environment in the per-user cache, pinned by version. Prints the moto_server binary.
set -euo pipefail
VERSION="${MOTO_VERSION:-5.2.5}"
CACHE="${BROKERLAB_CACHE:-$HOME/.cache/brokerlab}/moto-$VERSION"
BIN="$CACHE/bin/moto_server"
# A venv counts as installed only once moto itself imports at the pinned version.
installed() { [[ -x "$BIN" ]] && [[ "$("$CACHE/bin/python" -c 'import moto; print(moto.__version__)' 2>/dev/null)" == "$VERSION" ]]; }
if installed; then echo "$BIN"; exit 0; fi
command -v python3 >/dev/null || { echo "[moto] no python3 on the PATH: install Python 3.9 or newer (with its venv module) to run moto's server" >&2; exit 1; }
mkdir -p "$CACHE"
# Checkouts share the cache: a second install waits for the first instead of racing it.
if command -v flock >/dev/null; then
  exec 9>"$CACHE.lock"
  flock -n 9 || { echo "[moto] another install is running; waiting for it…" >&2; flock 9; }
  if installed; then echo "$BIN"; exit 0; fi
fi
echo "[moto] creating a Python virtual environment (first time only)…" >&2
rm -rf "$CACHE"
python3 -m venv "$CACHE" >&2 || { echo "[moto] python3 -m venv failed: install the venv module (on Debian/Ubuntu: apt-get install python3-venv)" >&2; exit 1; }
echo "[moto] installing moto[server]==$VERSION from PyPI (first time only, about a minute)…" >&2
"$CACHE/bin/python" -m pip install -q --disable-pip-version-check "moto[server]==$VERSION" >&2 \
  || { rm -rf "$CACHE"; echo "[moto] pip could not install moto[server]==$VERSION (see above); SQS, SNS and EventBridge stay unavailable" >&2; exit 1; }
installed || { echo "[moto] moto_server is missing after the install" >&2; exit 1; }
echo "[moto] installed moto $VERSION" >&2
echo "$BIN"
