#!/usr/bin/env bash
# Set up everything the tests need on a fresh Debian machine (as root) and run them all:
# ruff, mypy --strict, the unit tests, then the integration tests against the real engines (Docker, Podman) and registries.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
cd "$here/.."

ensure_venv .venv test
"$here/engine.sh"
"$here/registry.sh"
"$here/base-images.sh"
"$here/podman.sh"

log "ruff"
.venv/bin/ruff check
.venv/bin/ruff format --check
log "mypy --strict"
.venv/bin/mypy
log "unit tests"
.venv/bin/pytest -q -m "not integration" "$@"
log "integration tests (engine + registries)"
# Tests that run containers for each corpus file take a fixed sample of it unless told
# otherwise (DOCKWRIGHT_CORPUS_SAMPLE=all runs every file: about half an hour more).
export DOCKWRIGHT_CORPUS_SAMPLE="${DOCKWRIGHT_CORPUS_SAMPLE:-16}"
.venv/bin/pytest -q -m integration "$@"
