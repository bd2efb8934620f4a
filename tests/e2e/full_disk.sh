#!/usr/bin/env bash
# Full disk: XTC_HOME on a small tmpfs. With an install already in the store,
# an add that runs out of space while downloading, and one that runs out
# while unpacking, each fail with one clear "No space left on device" error
# naming the path; no staging is left, the store is unchanged (the earlier
# install intact, no new toolchain, no target record).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command python3 clang mount umount df
e2e_setup
mkdir -p "$XTC_HOME"
if ! mount -t tmpfs -o size=64m xtc-full-disk "$XTC_HOME" 2>"$WORK/mount.err"; then
  missing "mounting a tmpfs as XTC_HOME ($(cat "$WORK/mount.err"); needs root)"
fi
trap 'umount "$XTC_HOME" 2>/dev/null; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

xtc_ok target add aarch64-linux-musl --no-config --no-rustup
"$XTC_SOURCE_DIR/scripts/check-install" "$XTC_HOME" aarch64-linux-musl >/dev/null
snapshot() { (cd "$XTC_HOME" && find toolchains targets bin -printf '%p %s\n' | sort); }
snapshot >"$WORK/before"

# resize KIB_FREE: leave about that much room on the file system.
resize() {
  local used
  used=$(df --output=used -k "$XTC_HOME" | tail -n 1 | tr -d ' ')
  mount -o remount,size=$((used + $1))k "$XTC_HOME"
}

# full PHASE: the add of x86_64-linux-musl fails for lack of space.
full() {
  run_xtc target add x86_64-linux-musl --no-config --no-rustup
  assert_eq "$STATUS" 1 "exit status ($1)"
  local first
  first=$(printf '%s\n' "$ERR" | grep '^xtc: error:' | head -n 1)
  assert_contains "$first" "No space left on device" "the error ($1)"
  assert_contains "$first" "'$XTC_HOME/" "the error ($1)"
  [ -z "$(find "$XTC_HOME/tmp" -mindepth 1 -maxdepth 1 -type d)" ] ||
    fail "staging left behind ($1): $(ls -A "$XTC_HOME/tmp")"
  snapshot >"$WORK/after"
  diff "$WORK/before" "$WORK/after" >&2 || fail "the store changed ($1)"
  "$XTC_SOURCE_DIR/scripts/check-install" "$XTC_HOME" aarch64-linux-musl >/dev/null
  assert_absent "$XTC_HOME/targets/x86_64-linux-musl.toml"
  echo "$1: $first" >&2
}

# The musl sysroot's archive is 1.9 MB and unpacks to several times that.
resize 512
full "download"
rm -f "$XTC_HOME"/cache/*.part
resize 3072
full "unpack"
echo "PASS: a full disk fails cleanly and leaves the store as it was"
