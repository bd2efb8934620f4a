# Helpers for the download tests against tests/e2e/fault_server.py (sourced
# after lib.sh). Each test gets its own server on a free loopback port,
# stopped by the EXIT trap, and small archives it builds itself.

# fault_setup: a work dir, a fresh XTC_HOME, the fault server started.
fault_setup() {
  : "${XTC_BIN:?}" "${XTC_SOURCE_DIR:?}"
  require_command python3 tar xz sha256sum clang ld.lld
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/xtc-fault.XXXXXX")
  FAULT_STATE=$WORK/server
  mkdir -p "$FAULT_STATE" "$WORK/files"
  python3 "$XTC_SOURCE_DIR/tests/e2e/fault_server.py" "$WORK/files" "$FAULT_STATE" \
    2>"$FAULT_STATE/stderr" &
  FAULT_PID=$!
  trap 'kill "$FAULT_PID" 2>/dev/null || true; wait "$FAULT_PID" 2>/dev/null || true; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
  local i
  for i in $(seq 100); do
    [ -s "$FAULT_STATE/port" ] && break
    kill -0 "$FAULT_PID" 2>/dev/null || fail "fault server died: $(cat "$FAULT_STATE/stderr")"
    sleep 0.05
  done
  [ -s "$FAULT_STATE/port" ] || fail "fault server did not start"
  FAULT=http://127.0.0.1:$(cat "$FAULT_STATE/port")
  export XTC_LOW_SPEED_TIME=1 XTC_JOBS=4
  unset XTC_MANIFEST XTC_MIRROR http_proxy https_proxy HTTP_PROXY HTTPS_PROXY
  fresh_home
}

fresh_home() {
  export XTC_HOME=$WORK/home.$RANDOM$RANDOM
  : >"$FAULT_STATE/requests.log"
}

# make_archive NAME: WORK/files/NAME.tar.xz (about 1 MB, mostly random, so
# it does not compress) from WORK/src/NAME; sets ARCHIVE_SHA and ARCHIVE_SIZE.
make_archive() {
  local name=$1 src=$WORK/src/$1
  mkdir -p "$src/usr/include" "$src/usr/lib"
  head -c 1100000 /dev/urandom >"$src/usr/lib/libblob.a"
  printf '#define %s 1\n' "$(echo "$name" | tr -c 'a-zA-Z0-9\n' _)" >"$src/usr/include/$name.h"
  ln -s libblob.a "$src/usr/lib/libalias.a"
  tar -C "$src" -cJf "$WORK/files/$name.tar.xz" .
  ARCHIVE_SHA=$(sha256sum "$WORK/files/$name.tar.xz" | cut -d' ' -f1)
  ARCHIVE_SIZE=$(stat -c %s "$WORK/files/$name.tar.xz")
}

# manifest_entry TRIPLE LIBC URL…: appends a sysroot artifact for TRIPLE,
# made by make_archive "sysroot-TRIPLE", to WORK/manifest.toml.
manifest_entry() {
  local triple=$1 libc=$2; shift 2
  local urls="" u
  for u in "$@"; do urls="$urls${urls:+, }\"$u\""; done
  [ -f "$WORK/manifest.toml" ] || echo "schema_version = 1" >"$WORK/manifest.toml"
  cat >>"$WORK/manifest.toml" <<TOML

[[artifact]]
id = "sysroot-$triple"
kind = "sysroot"
target = "$triple"
host = "any"
version = "1.0"
libc = "$libc"
libc_version = "$([ "$libc" = musl ] && echo 1.2.3 || echo 2.36)"
urls = [$urls]
sha256 = "$ARCHIVE_SHA"
size = $ARCHIVE_SIZE
format = "tar.xz"
strip_components = 0
sysroot = "."
TOML
}

# add_target TRIPLE [ARGS…]: xtc target add through the test manifest.
add_target() {
  sign_test_manifest "$WORK/manifest.toml"
  run_xtc --manifest "$WORK/manifest.toml" target add "$@" --flavor llvm --no-config --no-rustup
}

# The store holds exactly the verified artifact, unpacked byte for byte.
assert_installed() {
  local name=$1
  [ "$STATUS" -eq 0 ] || fail "xtc exited $STATUS: $ERR"
  diff -r "$WORK/src/$name" "$XTC_HOME/toolchains/$name" -x receipt.toml >/dev/null ||
    fail "$name: installed tree differs from the archive"
  assert_clean_cache
}

# Nothing under a final name in the cache unless it is verified, no staging.
assert_clean_cache() {
  local f
  for f in "$XTC_HOME"/cache/*; do
    [ -e "$f" ] || continue
    case $f in
    *.part) ;;
    *) [ "$(sha256sum "$f" | cut -d' ' -f1)" = "$(basename "$f")" ] ||
      fail "unverified bytes under a final name: $f" ;;
    esac
  done
  [ -z "$(ls -A "$XTC_HOME/tmp" 2>/dev/null)" ] || fail "staging left behind: $(ls -A "$XTC_HOME/tmp")"
}

# A failed command left the store as it was: no install, no target.
assert_store_unchanged() {
  [ -z "$(ls -A "$XTC_HOME/toolchains" 2>/dev/null)" ] || fail "store changed: $(ls -A "$XTC_HOME/toolchains")"
  [ -z "$(ls -A "$XTC_HOME/targets" 2>/dev/null)" ] || fail "targets changed: $(ls -A "$XTC_HOME/targets")"
  assert_clean_cache
}

# requests PATH-SUBSTRING: the log lines of requests for it.
requests() { grep -F -- "$1" "$FAULT_STATE/requests.log" || true; }
# action NAME: the log lines of requests that performed action NAME.
action() { awk -v a="$1" '$4 == a' "$FAULT_STATE/requests.log"; }
