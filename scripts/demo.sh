#!/usr/bin/env bash
# Set up a fresh Debian machine (as root) and run the whole pipeline on examples/hello:
# lint -> build -> test -> publish to the local registries, as a release tagged v1.4.2.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
root=$(cd "$here/.." && pwd)

ensure_venv "$root/.venv" ""
"$here/engine.sh"
"$here/registry.sh"
"$here/base-images.sh"
apt_install git

# The example as its own repository at a release tag, as a user's checkout would be.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$root/examples/hello/." "$work/"
git -C "$work" init -q -b main
git -C "$work" -c user.name=dockwright -c user.email=demo@dockwright.invalid add -A
git -C "$work" -c user.name=dockwright -c user.email=demo@dockwright.invalid commit -q -m "hello 1.4.2"
git -C "$work" tag v1.4.2

# The TLS registry's login, read from the files scripts/registry.sh made; never printed.
export REGISTRY_USERNAME=dockwright
REGISTRY_PASSWORD=$(cat "$DOCKWRIGHT_STATE/registry/password")
export REGISTRY_PASSWORD
cd "$work"
"$root/.venv/bin/dockwright" run "$@"
