#!/usr/bin/env bash
# Ctrl-C (SIGINT) while downloading and while unpacking: xtc unwinds, exits
# 130 with one "interrupted" error line, removes its staging directory,
# leaves no install, no target record and no held lock; the next add
# succeeds (resuming the partial download) and is intact.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command python3 flock minisign
e2e_setup

# A private mirror capped at 12 MB/s, so the download lasts long enough to
# be interrupted; its manifest is signed with the test key.
# (scripts/mirror serves its own root of links, so the fixture directory
# behind the shared mirror can be served a second time.)
fixtures=$(dirname "$(readlink -f "$XTC_TEST_MIRROR_DIR/fixtures.env")")
trap '"$XTC_SOURCE_DIR/scripts/mirror" stop "$WORK/nginx" >/dev/null 2>&1; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
eval "$("$XTC_SOURCE_DIR/scripts/mirror" start --rate 12m \
  --sign "$XTC_SOURCE_DIR/tests/data/minisign/test.key" "$fixtures" "$WORK/nginx" 2>/dev/null)"
export XTC_MANIFEST=$XTC_TEST_MIRROR/manifest.toml XTC_CA_BUNDLE=$XTC_TEST_CA

# interrupt PHASE PATTERN: starts an add of aarch64-linux-gnu (a 28 MB GNU
# toolchain), sends SIGINT once PATTERN exists, and checks the aftermath.
interrupt() {
  local phase=$1 pattern=$2 pid status
  "$XTC_BIN" target add aarch64-linux-gnu --no-config --no-rustup \
    >"$WORK/out" 2>"$WORK/err" &
  pid=$!
  for _ in $(seq 3000); do
    compgen -G "$pattern" >/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$WORK/err" >&2; break; }
    sleep 0.01
  done
  compgen -G "$pattern" >/dev/null || fail "$phase: '$pattern' never appeared"
  kill -INT "$pid"
  wait "$pid" && status=0 || status=$?
  assert_eq "$status" 130 "exit status after SIGINT while ${phase}"
  assert_contains "$(grep '^xtc: error:' "$WORK/err")" "interrupted" "the error after SIGINT while $phase"
  [ -z "$(ls -A "$XTC_HOME/tmp")" ] || fail "$phase: staging left behind: $(ls -A "$XTC_HOME/tmp")"
  assert_absent "$XTC_HOME/toolchains/gcc-aarch64-linux-gnu"
  assert_absent "$XTC_HOME/targets/aarch64-linux-gnu.toml"
  for lock in "$XTC_HOME"/locks/*.lock; do
    flock -n "$lock" true || fail "$phase: lock still held: $lock"
  done
  echo "$phase: $(grep '^xtc: error:' "$WORK/err")" >&2
}

interrupt downloading "$XTC_HOME/cache/*.part"
interrupt unpacking "$XTC_HOME/tmp/xtc-stage.gcc-aarch64-linux-gnu-*"
xtc_ok target add aarch64-linux-gnu --no-config --no-rustup
"$XTC_SOURCE_DIR/scripts/check-install" "$XTC_HOME" aarch64-linux-gnu
echo "PASS: SIGINT unwinds, cleans up and exits 130"
