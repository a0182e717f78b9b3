#!/usr/bin/env bash
# Installs the Debian packages the local stack and the browser tests need, when they are missing.
set -euo pipefail
missing=()
command -v rabbitmq-server >/dev/null || [[ -x /usr/sbin/rabbitmq-server ]] || missing+=(rabbitmq-server)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
# Redis for the redis broker kind; Brokerlab starts redis-server itself, without persistence.
command -v redis-server >/dev/null || missing+=(redis-server)
command -v mvn >/dev/null || missing+=(maven)
# moto's server runs in a virtual environment; Debian ships python3's venv module separately.
python3 -c "import ensurepip" 2>/dev/null || missing+=(python3-venv)
[[ ${#missing[@]} -eq 0 ]] && exit 0
SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
echo "[debian] installing: ${missing[*]}…" >&2
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d keeps the packages from starting their own rabbitmq and redis services; Brokerlab starts them itself.
if [[ ! -e /usr/sbin/policy-rc.d ]]; then printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null; $SUDO chmod +x /usr/sbin/policy-rc.d; CLEAN_POLICY=1; fi
$SUDO apt-get update -q >&2
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
[[ -n "${CLEAN_POLICY:-}" ]] && $SUDO rm -f /usr/sbin/policy-rc.d
exit 0
