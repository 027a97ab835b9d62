#!/usr/bin/env bash
# Make the local base images the examples and tests build FROM; nothing is pulled from a registry.
#   dockwright.local/debian:bookworm   debootstrap --variant=minbase, imported
#   dockwright.local/busybox:1.35      busybox-static, imported
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
"$here/engine.sh"

docker_() { /usr/bin/docker "$@"; }
has_image() { docker_ image inspect "$1" >/dev/null 2>&1; }

if ! has_image dockwright.local/busybox:1.35; then
  apt_install busybox-static
  log "making dockwright.local/busybox:1.35"
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  chmod 1777 "$root/tmp"
  tar -C "$root" -c . | docker_ import \
    --change 'ENV PATH=/bin' --change 'CMD ["/bin/sh"]' - dockwright.local/busybox:1.35 >/dev/null
  rm -rf "$root"
fi

if ! has_image dockwright.local/debian:bookworm; then
  apt_install debootstrap
  log "making dockwright.local/debian:bookworm (debootstrap, about a minute)"
  root=$(mktemp -d)
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >"$DOCKWRIGHT_STATE/debootstrap.log" 2>&1 \
    || { tail -n 30 "$DOCKWRIGHT_STATE/debootstrap.log" >&2; exit 1; }
  # Trim what a container image does not need, as the official images do.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  printf 'deb http://deb.debian.org/debian bookworm main\ndeb http://deb.debian.org/debian-security bookworm-security main\n' \
    >"$root/etc/apt/sources.list"
  tar -C "$root" --numeric-owner -c . | docker_ import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' - dockwright.local/debian:bookworm >/dev/null
  rm -rf "$root"
fi
log "base images ready: dockwright.local/busybox:1.35 dockwright.local/debian:bookworm"
