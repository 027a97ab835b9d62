# Shared helpers for the set-up scripts. Sourced, not run.
set -euo pipefail

: "${DOCKWRIGHT_STATE:=/var/lib/dockwright-dev}"
export DOCKWRIGHT_STATE
mkdir -p "$DOCKWRIGHT_STATE"

log() { printf '==> %s\n' "$*" >&2; }

# apt_install PKG...: install the Debian packages that are missing, once.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]}"
    if [ ! -f "$DOCKWRIGHT_STATE/apt-updated" ]; then
      apt-get update -qq
      touch "$DOCKWRIGHT_STATE/apt-updated"
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# wait_for CMD...: retry CMD for up to 60 s.
wait_for() {
  local i
  for i in $(seq 1 120); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  return 1
}
