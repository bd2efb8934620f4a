#!/usr/bin/env bash
# A manifest whose sha256 does not match the served archive installs
# nothing: one error line naming the artifact, the URL and both digests;
# no staging directory, no partial download, no target, config unchanged,
# no lock held.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command flock
e2e_setup

good=$(awk '/^id = "sysroot-x86_64-linux-musl"/{f=1} f && /^sha256/{gsub(/"/,"",$3); print $3; exit}' "$XTC_TEST_MIRROR_DIR/manifest.toml")
[ ${#good} -eq 64 ] || fail "could not read the fixture's sha256"
bad=$(printf '%s' "$good" | tr '0-9a-f' '1-9a-f0')
sed "s/$good/$bad/" "$XTC_TEST_MIRROR_DIR/manifest.toml" >"$WORK/bad.toml"

mkdir -p "$WORK/proj/.cargo" && cd "$WORK/proj"
printf '[package]\nname = "p"\nversion = "0.1.0"\n' >Cargo.toml
printf '# my settings\n[build]\njobs = 2\n' >.cargo/config.toml
cp .cargo/config.toml "$WORK/config.before"

run_xtc --allow-unsigned --manifest "$WORK/bad.toml" target add x86_64-linux-musl
assert_eq "$STATUS" 1 "exit status"
first=$(printf "%s\n" "$ERR" | grep "^xtc: error:")
assert_eq "$first" "xtc: error: checksum mismatch for 'sysroot-x86_64-linux-musl' from '$XTC_TEST_MIRROR/sysroot-x86_64-linux-musl.tar.xz': expected $bad, got $good"
cmp -s .cargo/config.toml "$WORK/config.before" || fail "cargo config changed"
assert_absent "$XTC_HOME/toolchains/sysroot-x86_64-linux-musl"
assert_absent "$XTC_HOME/targets/x86_64-linux-musl.toml"
assert_absent "$XTC_HOME/bin/x86_64-linux-musl-gcc"
[ -z "$(ls -A "$XTC_HOME/tmp")" ] || fail "staging left behind: $(ls -A "$XTC_HOME/tmp")"
[ -z "$(ls -A "$XTC_HOME/cache")" ] || fail "unverified bytes left in the cache: $(ls -A "$XTC_HOME/cache")"
for lock in "$XTC_HOME"/locks/*.lock; do
  flock -n "$lock" true || fail "lock still held: $lock"
done
echo "PASS: a bad checksum installs nothing"
