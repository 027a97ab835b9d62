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

# ensure_venv DIR EXTRAS: a virtualenv at DIR with dockwright installed (editable) with EXTRAS,
# re-installed only when pyproject.toml changes.
ensure_venv() {
  local venv=$1 extras=$2 root stamp want
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
    apt_install python3 python3-venv python3-pip
  fi
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  stamp="$venv/.dockwright-installed"
  want="$(sha256sum "$root/pyproject.toml" | cut -d' ' -f1) $extras"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    log "installing dockwright${extras:+[$extras]} into $venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip >/dev/null
    "$venv/bin/python" -m pip install --quiet -e "$root${extras:+[$extras]}"
    echo "$want" >"$stamp"
  fi
}
