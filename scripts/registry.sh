#!/usr/bin/env bash
# Start two local registries (Debian's docker-registry, the CNCF distribution registry); idempotent.
#   127.0.0.1:5000  plain HTTP, no auth
#   127.0.0.1:5443  TLS (self-signed CA, trusted by the engine via /etc/docker/certs.d) + htpasswd
# The TLS registry's user is "dockwright"; its password is generated once and kept, mode 0600, in
#   $DOCKWRIGHT_STATE/registry/password    (the CA is $DOCKWRIGHT_STATE/registry/ca.crt)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

# skopeo: the peer tool of bench/publish_bench.py
apt_install docker-registry apache2-utils openssl curl skopeo

dir="$DOCKWRIGHT_STATE/registry"
mkdir -p "$dir"
: "${PLAIN_PORT:=5000}" "${TLS_PORT:=5443}"

if [ ! -f "$dir/ca.crt" ]; then
  log "making a CA and a certificate for 127.0.0.1/localhost"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=dockwright test CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$dir/san.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 3650 -extfile "$dir/san.ext" -out "$dir/server.crt" 2>/dev/null
fi
if [ ! -f "$dir/password" ]; then
  (umask 077; openssl rand -hex 16 >"$dir/password")
  htpasswd -Bbn dockwright "$(cat "$dir/password")" >"$dir/htpasswd" 2>/dev/null
fi
for host in "127.0.0.1:$TLS_PORT" "localhost:$TLS_PORT"; do
  mkdir -p "/etc/docker/certs.d/$host"
  cp "$dir/ca.crt" "/etc/docker/certs.d/$host/ca.crt"
done

write_config() { # name port extra-yaml
  cat >"$dir/$1.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/$1-data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$2
  headers:
    X-Content-Type-Options: [nosniff]
$3
YAML
}
write_config plain "$PLAIN_PORT" ""
write_config tls "$TLS_PORT" "  tls:
    certificate: $dir/server.crt
    key: $dir/server.key
auth:
  htpasswd:
    realm: dockwright
    path: $dir/htpasswd"

start() { # name probe-url curl-args...
  local name=$1 url=$2; shift 2
  if curl --silent --output /dev/null "$@" "$url"; then
    log "registry $name already running"
    return 0
  fi
  log "starting registry $name"
  setsid docker-registry serve "$dir/$name.yml" >"$dir/$name.log" 2>&1 </dev/null &
  echo $! >"$dir/$name.pid"
  if ! wait_for curl --silent --output /dev/null "$@" "$url"; then
    tail -n 20 "$dir/$name.log" >&2
    exit 1
  fi
}
start plain "http://127.0.0.1:$PLAIN_PORT/v2/"
start tls "https://127.0.0.1:$TLS_PORT/v2/" --cacert "$dir/ca.crt"
log "registries ready: 127.0.0.1:$PLAIN_PORT (plain) 127.0.0.1:$TLS_PORT (TLS + htpasswd, user dockwright)"
