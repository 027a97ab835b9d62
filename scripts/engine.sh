#!/usr/bin/env bash
# Install and start the Docker engine (Debian's docker.io) without systemd; idempotent.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

apt_install docker.io iptables ca-certificates

sock=/var/run/docker.sock
if curl --silent --fail --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1; then
  log "docker engine already running"
  exit 0
fi
apt_install curl
log "starting dockerd"
# setsid: dockerd must outlive the calling shell (and pytest's process group).
setsid /usr/sbin/dockerd --host "unix://$sock" >"$DOCKWRIGHT_STATE/dockerd.log" 2>&1 < /dev/null &
if ! wait_for curl --silent --fail --unix-socket "$sock" http://localhost/_ping; then
  log "dockerd did not answer on $sock; its log:"
  tail -n 40 "$DOCKWRIGHT_STATE/dockerd.log" >&2
  exit 1
fi
log "docker engine ready on $sock"
