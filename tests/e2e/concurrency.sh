#!/usr/bin/env bash
# Eight `xtc target add` of the same triple at once, in one XTC_HOME: one
# download (counted in nginx's access log), one install, eight successes,
# and an intact install afterwards.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command python3 clang minisign
e2e_setup

# A private, signed manifest whose archive URLs carry a marker, so only this
# test's requests are counted.
marker=concurrency-$$-$RANDOM
mkdir -p "$WORK/m"
sed "s|\(\.tar\.[a-z]*\)\"|\1?$marker\"|g" "$XTC_TEST_MIRROR_DIR/manifest.toml" >"$WORK/m/manifest.toml"
"$XTC_SOURCE_DIR/scripts/sign-manifest" "$XTC_SOURCE_DIR/tests/data/minisign/test.key" "$WORK/m/manifest.toml" >/dev/null
export XTC_MANIFEST=$WORK/m/manifest.toml

# parallel_adds N: N `xtc target add x86_64-linux-musl` at once, stderr in
# $WORK/err.<i>; every one must succeed.
parallel_adds() {
  local i pids=() failed=0
  for ((i = 1; i <= $1; i++)); do
    "$XTC_BIN" target add x86_64-linux-musl --no-config --no-rustup \
      >/dev/null 2>"$WORK/err.$i" &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || { failed=$((failed + 1)); echo "add $((i + 1)): $(cat "$WORK/err.$((i + 1))")" >&2; }
  done
  assert_eq "$failed" 0 "failed adds"
}

parallel_adds 8

gets=$(grep -c "\"GET /sysroot-x86_64-linux-musl.tar.xz?$marker " "$XTC_TEST_ACCESS_LOG" || true)
assert_eq "$gets" 1 "requests for the archive"
installs=$(cat "$WORK"/err.* | grep -c "sysroot-x86_64-linux-musl: verified, unpacked" || true)
assert_eq "$installs" 1 "installs"
added=$(cat "$WORK"/err.* | grep -c "added x86_64-linux-musl" || true)
assert_eq "$added" 8 "successful adds"
"$XTC_SOURCE_DIR/scripts/check-install" "$XTC_HOME" x86_64-linux-musl
[ -z "$(ls -A "$XTC_HOME/tmp")" ] || fail "staging left behind: $(ls -A "$XTC_HOME/tmp")"

# Sweeps racing installs: `xtc gc` (which sweeps staging directories) runs in
# a loop while four adds download and unpack; no add loses its staging
# directory to a sweep, no gc fails.
"$XTC_BIN" -q target remove x86_64-linux-musl
rm -f "$XTC_HOME"/cache/*
(
  while [ ! -e "$WORK/adds-done" ]; do
    "$XTC_BIN" -q gc >/dev/null 2>>"$WORK/gc.err" || echo "gc failed" >>"$WORK/gc.err"
  done
) &
gc_loop=$!
parallel_adds 4
touch "$WORK/adds-done"
wait "$gc_loop"
[ ! -s "$WORK/gc.err" ] || fail "gc beside adds: $(cat "$WORK/gc.err")"
"$XTC_SOURCE_DIR/scripts/check-install" "$XTC_HOME" x86_64-linux-musl
echo "PASS: 8 parallel adds: 1 download, 1 install, 8 successes; 4 adds beside a gc loop"
