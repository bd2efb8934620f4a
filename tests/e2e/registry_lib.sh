# Helpers for the tests against a real OCI registry (sourced after lib.sh,
# after e2e_setup): CNCF distribution 2.8 (Debian's docker-registry) on
# 127.0.0.1 over HTTPS, anonymous, behind htpasswd (Basic) or behind a token
# service (tests/e2e/token_issuer.py); skopeo pushes blobs into it.
#
#   registry_setup                 certificates, the EXIT trap; once per test
#   start_registry MODE [NAME]     MODE: anonymous, htpasswd or token
#   push_blob_with_skopeo FILE REPO TAG
#   set_token_lifetime SECONDS [TOKEN_STATE]
#   start_registry_faults NAME ROLE ARGS…   tests/e2e/registry_faults.py
#   stop_registries                (the EXIT trap calls it)
#
# The registry's server certificate (127.0.0.1 and localhost) is issued by
# the loopback mirror's throwaway CA, which XTC_CA_BUNDLE already trusts. If
# that CA's key is not at hand, the harness makes its own CA and exports a
# bundle of both as XTC_CA_BUNDLE.
#
# start_registry exports, for the registry it started:
#   REGISTRY        127.0.0.1:<port>
#   REGISTRY_STATE  its directory under $WORK
#   REGISTRY_LOG    its access log: one line per request, Apache combined
#                   format ('"GET /v2/<repo>/blobs/sha256:<hex> HTTP/1.1" 200')
#   REGISTRY_USER, REGISTRY_PASSWORD   the account (htpasswd and token)
#   TOKEN_STATE, TOKEN_LOG, TOKEN_REALM   (token mode) the token service's
#                   directory, its log ("<time> <who> <status> <scope>…",
#                   who: a user, anonymous or bad-credentials:<user>) and URL
# Token mode reads TOKEN_ANONYMOUS (pull, the default, or refuse) and
# TOKEN_LIFETIME (seconds, default 300).

readonly REGISTRY_BIN=/usr/bin/docker-registry

# registry_setup: the TLS material every registry of this test shares, and
# an EXIT trap that stops them before $WORK goes.
registry_setup() {
  : "${WORK:?e2e_setup first}"
  [ -x "$REGISTRY_BIN" ] || missing "$REGISTRY_BIN (Debian package docker-registry)"
  require_command skopeo htpasswd openssl curl python3
  export REGISTRY_TLS=$WORK/registry-tls
  mkdir -p "$REGISTRY_TLS/certs.d"
  : >"$WORK/registry-pids"
  trap 'stop_registries; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
  local ca=$XTC_TEST_CA ca_key
  ca_key=$(dirname "$XTC_TEST_CA")/ca.key
  if [ ! -r "$ca_key" ]; then
    # scripts/mirror no longer keeps its CA's key: a CA of our own, and a
    # bundle that trusts both the mirror and the registries.
    ca=$REGISTRY_TLS/ca.pem ca_key=$REGISTRY_TLS/ca.key
    openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
      -keyout "$ca_key" -out "$ca" -days 2 -subj "/CN=xtc registry test CA" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null || fail "cannot make a CA"
    cat "$XTC_TEST_CA" "$ca" >"$REGISTRY_TLS/bundle.pem"
    export XTC_CA_BUNDLE=$REGISTRY_TLS/bundle.pem
  fi
  openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -keyout "$REGISTRY_TLS/server.key" -out "$REGISTRY_TLS/server.csr" \
    -subj "/CN=127.0.0.1" 2>/dev/null || fail "cannot make the registry's key"
  printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth" >"$REGISTRY_TLS/server.ext"
  openssl x509 -req -in "$REGISTRY_TLS/server.csr" -CA "$ca" -CAkey "$ca_key" \
    -set_serial "0x$(openssl rand -hex 8)" -days 2 -extfile "$REGISTRY_TLS/server.ext" \
    -out "$REGISTRY_TLS/server.pem" 2>/dev/null || fail "cannot issue the registry's certificate"
  # What the clients trust: xtc through XTC_CA_BUNDLE, curl through
  # --cacert, skopeo through a certificate directory (*.crt are CAs).
  REGISTRY_CA=${XTC_CA_BUNDLE:-$XTC_TEST_CA}
  cp "$REGISTRY_CA" "$REGISTRY_TLS/certs.d/ca.crt"
  # The key that signs tokens: RSA (RS256), self-signed; the registry trusts
  # it through its rootcertbundle, the token carries it in x5c.
  openssl req -x509 -new -nodes -newkey rsa:2048 -keyout "$REGISTRY_TLS/sign.key" \
    -out "$REGISTRY_TLS/sign.pem" -days 2 -subj "/CN=xtc test token issuer" \
    2>/dev/null || fail "cannot make the token signing key"
}

# free_port: a port the kernel just handed out and released. Another process
# may take it before we bind, so callers retry a failed bind.
free_port() {
  python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# remember_pid PID: stopped by stop_registries.
remember_pid() { echo "$1" >>"$WORK/registry-pids"; }
# alive PID: running, not a zombie (a child that exited stays one until it
# is waited for, and kill -0 still reaches it).
alive() {
  [ -e "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}

stop_registries() {
  [ -f "${WORK:-}/registry-pids" ] || return 0
  local pid _
  while read -r pid; do
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do
      alive "$pid" || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done <"$WORK/registry-pids"
  : >"$WORK/registry-pids"
}

# start_registry MODE [NAME]: a registry in $WORK/registry-NAME (NAME
# defaults to MODE), answering on https://$REGISTRY/v2/ when it returns.
start_registry() {
  local mode=$1 name=${2:-$1}
  [ -n "${REGISTRY_TLS:-}" ] || fail "registry_setup first"
  local dir=$WORK/registry-$name
  mkdir -p "$dir/data"
  export REGISTRY_STATE=$dir REGISTRY_LOG=$dir/access.log
  export REGISTRY_USER=xtc-tester
  export REGISTRY_PASSWORD=pw-$RANDOM$RANDOM$RANDOM
  local auth=""
  case $mode in
  anonymous) ;;
  htpasswd)
    htpasswd -Bbn "$REGISTRY_USER" "$REGISTRY_PASSWORD" >"$dir/htpasswd" 2>/dev/null ||
      fail "htpasswd failed"
    auth="auth:
  htpasswd:
    realm: xtc-test-registry
    path: $dir/htpasswd" ;;
  token)
    start_token_issuer "$dir/token"
    auth="auth:
  token:
    realm: $TOKEN_REALM
    service: xtc-test-registry
    issuer: xtc-test-issuer
    rootcertbundle: $REGISTRY_TLS/sign.pem" ;;
  *) fail "start_registry: unknown mode '$mode' (anonymous, htpasswd or token)" ;;
  esac
  local port pid code deadline variable _
  local -a scrub=()
  for variable in $(compgen -e); do
    case $variable in REGISTRY_*) scrub+=(-u "$variable") ;; esac
  done
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: info
  formatter: text
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  tls:
    certificate: $REGISTRY_TLS/server.pem
    key: $REGISTRY_TLS/server.key
$auth
YAML
    # The access log goes to stdout, the registry's own log to stderr. The
    # registry reads REGISTRY_<SECTION>_<KEY> variables as configuration
    # (REGISTRY_LOG would replace the log section): none reach it.
    env "${scrub[@]}" "$REGISTRY_BIN" serve "$dir/config.yml" \
      >>"$REGISTRY_LOG" 2>"$dir/registry.log" &
    pid=$!
    remember_pid "$pid"
    code=000 deadline=$((SECONDS + 30))
    while [ "$SECONDS" -lt "$deadline" ]; do
      alive "$pid" || break
      code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$REGISTRY_CA" \
        "https://127.0.0.1:$port/v2/" || true)
      [ "$code" != 000 ] && break
      sleep 0.05
    done
    if [ "$code" != 000 ]; then
      export REGISTRY=127.0.0.1:$port
      return 0
    fi
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    grep -q 'address already in use' "$dir/registry.log" ||
      fail "the registry ($mode) did not start: $(tail -n 5 "$dir/registry.log")"
  done
  fail "the registry ($mode) found no free port"
}

# start_token_issuer DIR: tests/e2e/token_issuer.py in DIR; sets TOKEN_STATE,
# TOKEN_LOG and TOKEN_REALM.
start_token_issuer() {
  local dir=$1 pid _
  mkdir -p "$dir"
  export TOKEN_STATE=$dir TOKEN_LOG=$dir/requests.log
  : >"$TOKEN_LOG"
  python3 - "$dir/config.json" <<'PY'
import json, os, sys
tls = os.environ["REGISTRY_TLS"]
json.dump({"tls_cert": tls + "/server.pem", "tls_key": tls + "/server.key",
           "sign_cert": tls + "/sign.pem", "sign_key": tls + "/sign.key",
           "issuer": "xtc-test-issuer", "service": "xtc-test-registry",
           "user": os.environ["REGISTRY_USER"],
           "password": os.environ["REGISTRY_PASSWORD"],
           "anonymous": os.environ.get("TOKEN_ANONYMOUS", "pull"),
           "lifetime": int(os.environ.get("TOKEN_LIFETIME", "300"))},
          open(sys.argv[1], "w"))
PY
  python3 "$XTC_SOURCE_DIR/tests/e2e/token_issuer.py" "$dir" 2>"$dir/stderr" &
  pid=$!
  remember_pid "$pid"
  for _ in $(seq 200); do
    [ -s "$dir/port" ] && break
    alive "$pid" || fail "the token issuer died: $(cat "$dir/stderr")"
    sleep 0.05
  done
  [ -s "$dir/port" ] || fail "the token issuer did not start"
  TOKEN_REALM=https://127.0.0.1:$(cat "$dir/port")/token
  export TOKEN_REALM
}

# set_token_lifetime SECONDS [TOKEN_STATE]: tokens issued from now on are
# refused by the registry SECONDS after they were issued.
set_token_lifetime() {
  echo "$1" >"${2:-$TOKEN_STATE}/lifetime.tmp"
  mv -f "${2:-$TOKEN_STATE}/lifetime.tmp" "${2:-$TOKEN_STATE}/lifetime"
}

# start_registry_faults NAME ROLE ARGS…: tests/e2e/registry_faults.py ROLE
# in $WORK/faults-NAME (see that file); sets FAULTS_STATE and FAULTS_PORTS
# (its port, or "REGISTRY STORAGE" for the redirect role).
start_registry_faults() {
  local name=$1 role=$2 pid _
  shift 2
  FAULTS_STATE=$WORK/faults-$name
  mkdir -p "$FAULTS_STATE"
  XTC_REGISTRY_TLS=$REGISTRY_TLS XTC_REGISTRY_CA=$REGISTRY_CA \
    python3 "$XTC_SOURCE_DIR/tests/e2e/registry_faults.py" "$role" "$FAULTS_STATE" "$@" \
    2>"$FAULTS_STATE/stderr" &
  pid=$!
  remember_pid "$pid"
  for _ in $(seq 200); do
    [ -s "$FAULTS_STATE/port" ] && break
    alive "$pid" || fail "registry_faults.py $role died: $(cat "$FAULTS_STATE/stderr")"
    sleep 0.05
  done
  [ -s "$FAULTS_STATE/port" ] || fail "registry_faults.py $role did not start"
  FAULTS_PORTS=$(cat "$FAULTS_STATE/port")
}

# push_blob_with_skopeo FILE REPO TAG: pushes an image whose one layer is
# FILE to $REGISTRY/REPO:TAG with skopeo (which answers the registry's
# challenge itself, with $REGISTRY_USER's credentials unless the registry is
# anonymous), so that the blob sha256:<sha256 of FILE> exists there. Sets
# BLOB_DIGEST to that digest.
push_blob_with_skopeo() {
  local file=$1 repo=$2 tag=$3 dir sha size config config_sha
  dir=$(mktemp -d "$WORK/push.XXXXXX")
  sha=$(sha256sum "$file" | cut -d' ' -f1)
  size=$(stat -c %s "$file")
  # skopeo's dir: transport: manifest.json, a version file, and each blob
  # under its hex digest. The layer is the file as it is; the config a small
  # image config naming it.
  printf 'Directory Transport Version: 1.1\n' >"$dir/version"
  ln "$file" "$dir/$sha" 2>/dev/null || cp "$file" "$dir/$sha"
  printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$sha" >"$dir/config.json"
  config_sha=$(sha256sum "$dir/config.json" | cut -d' ' -f1)
  config=$(stat -c %s "$dir/config.json")
  mv "$dir/config.json" "$dir/$config_sha"
  cat >"$dir/manifest.json" <<JSON
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
 "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:$config_sha","size":$config},
 "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:$sha","size":$size}]}
JSON
  local -a creds=(--dest-no-creds)
  if [ -f "$REGISTRY_STATE/htpasswd" ] || [ -d "$REGISTRY_STATE/token" ]; then
    creds=(--dest-creds "$REGISTRY_USER:$REGISTRY_PASSWORD")
  fi
  # --preserve-digests: skopeo must push the bytes as they are (it would
  # otherwise be free to recompress a layer).
  skopeo --insecure-policy --tmpdir "$WORK" copy --quiet --preserve-digests \
    --dest-cert-dir "$REGISTRY_TLS/certs.d" "${creds[@]}" \
    "dir:$dir" "docker://$REGISTRY/$repo:$tag" >"$dir.log" 2>&1 ||
    fail "skopeo could not push $file to $REGISTRY/$repo:$tag: $(tail -n 5 "$dir.log")"
  rm -rf "$dir"
  BLOB_DIGEST=sha256:$sha
  local code
  code=$(registry_get_code "/v2/$repo/blobs/$BLOB_DIGEST")
  [ "$code" = 200 ] || fail "after the push, the blob $BLOB_DIGEST answers $code"
}

# registry_get_code PATH: the status of a HEAD of PATH on $REGISTRY, with
# its credentials (a token from the token service in token mode).
registry_get_code() {
  local path=$1
  local -a auth=()
  if [ -f "$REGISTRY_STATE/htpasswd" ]; then
    auth=(-u "$REGISTRY_USER:$REGISTRY_PASSWORD")
  elif [ -d "$REGISTRY_STATE/token" ]; then
    local repo token
    repo=${path#/v2/}
    repo=${repo%%/blobs/*}
    token=$(curl -sf --cacert "$REGISTRY_CA" -u "$REGISTRY_USER:$REGISTRY_PASSWORD" \
      "$TOKEN_REALM?service=xtc-test-registry&scope=repository:$repo:pull" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])') || return 1
    auth=(-H "Authorization: Bearer $token")
  fi
  curl -s -o /dev/null -I -w '%{http_code}' --cacert "$REGISTRY_CA" "${auth[@]}" \
    "https://$REGISTRY$path" || true
}
