#!/usr/bin/env bash
# Install Podman (Debian's podman) and start its Docker-compatible API service without systemd;
# idempotent. Run after registry.sh and base-images.sh: it trusts the local registries and
# copies the base images from Docker into Podman's storage.
#   /etc/containers/containers.conf.d/dockwright.conf  ulimits a container may get (see below)
#   /etc/containers/registries.conf.d/dockwright.conf  127.0.0.1:5000 is plain HTTP
#   /etc/containers/certs.d/{127.0.0.1,localhost}:5443/ca.crt  the TLS registry's CA
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
unset CONTAINER_HOST  # this script sets up the local service: podman must not talk to another

apt_install podman runc conmon containernetworking-plugins iptables curl

sock=/run/podman/podman.sock
answers() { curl --silent --fail --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1; }

# Podman sets RLIMIT_NOFILE and RLIMIT_NPROC in every container to its own limits or more; in a
# container without CAP_SYS_RESOURCE runc may not raise them and every run fails with
# "error setting rlimit type 7: operation not permitted". Pin them to what the service itself
# holds (podman lowers its own RLIMIT_NPROC when it starts: read it from the running service).
conf=/etc/containers/containers.conf.d/dockwright.conf
limits_conf() { # pid
  awk '/^Max open files/ {n="nofile=" $5 ":" $5} /^Max processes/ {p="nproc=" $4 ":" $4}
       END {printf "[containers]\ndefault_ulimits = [\"%s\", \"%s\"]\n", n, p}' "/proc/$1/limits"
}

mkdir -p /etc/containers/registries.conf.d /etc/containers/containers.conf.d
registries=/etc/containers/registries.conf.d/dockwright.conf
if [ ! -f "$registries" ]; then
  printf '[[registry]]\nlocation = "127.0.0.1:5000"\ninsecure = true\n\n[[registry]]\nlocation = "localhost:5000"\ninsecure = true\n' >"$registries"
fi
ca="$DOCKWRIGHT_STATE/registry/ca.crt"
if [ -f "$ca" ]; then
  for host in 127.0.0.1:5443 localhost:5443; do
    mkdir -p "/etc/containers/certs.d/$host"
    cp "$ca" "/etc/containers/certs.d/$host/ca.crt"
  done
fi

start() {
  mkdir -p "$(dirname "$sock")"
  # setsid: the service must outlive the calling shell (and pytest's process group).
  setsid podman system service --time=0 "unix://$sock" >"$DOCKWRIGHT_STATE/podman.log" 2>&1 </dev/null &
  echo $! >"$DOCKWRIGHT_STATE/podman.pid"
  if ! wait_for answers; then
    log "the podman service did not answer on $sock; its log:"
    tail -n 40 "$DOCKWRIGHT_STATE/podman.log" >&2
    exit 1
  fi
}

if answers; then
  log "podman service already running"
else
  log "starting the podman service"
  start
  want=$(limits_conf "$(cat "$DOCKWRIGHT_STATE/podman.pid")")
  if [ "$(cat "$conf" 2>/dev/null)" != "$want" ]; then
    log "pinning container ulimits to the service's own; restarting it"
    printf '%s\n' "$want" >"$conf"
    kill "$(cat "$DOCKWRIGHT_STATE/podman.pid")"
    wait_for sh -c "! curl --silent --fail --unix-socket $sock http://localhost/_ping"
    start
  fi
fi

# The base images, from Docker (nothing is pulled from a registry); again when Docker's changed.
for image in dockwright.local/busybox:1.35 dockwright.local/debian:bookworm; do
  want=$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null) || continue
  have=$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null) || have=none
  if [ "sha256:${have#sha256:}" != "$want" ]; then
    log "copying $image from docker into podman"
    docker save "$image" | podman load --quiet >/dev/null
  fi
done
if ! podman run --rm dockwright.local/busybox:1.35 true; then
  log "podman cannot run a container here"
  exit 1
fi
log "podman service ready on $sock"
