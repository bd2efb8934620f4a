#!/usr/bin/env bash
# `xtc mirror DIR`: the artifacts a team picks are copied into a directory
# served by nginx, with a manifest naming the copies first and the
# producers' URLs after them, signed with the team's key. Machines that
# trust that key install from the mirror with the producers gone; a second
# run copies nothing; a bad key or password leaves nothing written.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_setup

served=t-mirror-dir-$$
serve_dir=$XTC_TEST_MIRROR_DIR/$served
trap 'rm -rf "$serve_dir"; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
mkdir -p "$serve_dir/producer"

# The "producers": the fixture archives under a path of their own, so they
# can disappear after the mirror is made.
for file in "$XTC_TEST_MIRROR_DIR"/*.tar.* "$XTC_TEST_MIRROR_DIR"/*.zip; do
  [ -f "$file" ] && ln "$file" "$serve_dir/producer/"
done
source_manifest=$serve_dir/producer/manifest.toml
sed "s|$XTC_TEST_MIRROR/|$XTC_TEST_MIRROR/$served/producer/|g" \
  "$XTC_TEST_MIRROR_DIR/manifest.toml" >"$source_manifest"
sign_test_manifest "$source_manifest"
export XTC_MANIFEST=$XTC_TEST_MIRROR/$served/producer/manifest.toml

# The team's key: one without a password, one with.
minisign -G -W -p "$WORK/team.pub" -s "$WORK/team.key" >/dev/null
printf 'hunter2\nhunter2\n' | minisign -G -p "$WORK/locked.pub" -s "$WORK/locked.key" >/dev/null 2>&1

mirror_dir=$serve_dir/m
mirror_url=$XTC_TEST_MIRROR/$served/m
xtc_ok mirror "$mirror_dir" --url "$mirror_url" --key "$WORK/team.key" \
  --host x86_64-linux --target x86_64-linux-musl
assert_contains "$ERR" "mirrored 2 artifacts to $mirror_dir (2 copied, "
sysroot_sha=$(sha256sum "$XTC_TEST_MIRROR_DIR/sysroot-x86_64-linux-musl.tar.xz" | cut -d' ' -f1)
cmp "$mirror_dir/artifacts/$sysroot_sha/sysroot-x86_64-linux-musl.tar.xz" \
  "$XTC_TEST_MIRROR_DIR/sysroot-x86_64-linux-musl.tar.xz" ||
  fail "the mirrored sysroot differs from the producer's"
minisign -Vq -p "$WORK/team.pub" -m "$mirror_dir/xtc.toml" ||
  fail "minisign does not accept the mirror manifest's signature"
ids=$(grep "^id = " "$mirror_dir/xtc.toml" | sort | tr '\n' ' ')
assert_eq "$ids" "id = 'sysroot-x86_64-linux-musl' id = 'zig-0.11.0' " "mirrored artifacts"
first_url=$(grep -A1 "^urls = \[" "$mirror_dir/xtc.toml" | sed -n 2p)
assert_contains "$first_url" "'$mirror_url/artifacts/"
grep -q "'$XTC_TEST_MIRROR/$served/producer/sysroot-x86_64-linux-musl.tar.xz'" "$mirror_dir/xtc.toml" ||
  fail "the producer's URL is not kept as a fallback"
first_stamp=$(sed -n 's/^trusted comment: timestamp:\([0-9]*\) file:xtc.toml$/\1/p' "$mirror_dir/xtc.toml.minisig")
[ -n "$first_stamp" ] || fail "the signature's trusted comment has no timestamp and file name"

# Again: nothing to copy, a newer signature (so clients never see a replay).
requests_before=$(wc -l <"$XTC_TEST_ACCESS_LOG")
xtc_ok mirror "$mirror_dir" --url "$mirror_url" --key "$WORK/team.key" \
  --host x86_64-linux --target x86_64-linux-musl
assert_contains "$ERR" "mirrored 2 artifacts to $mirror_dir (0 copied, 0 B)"
second_stamp=$(sed -n 's/^trusted comment: timestamp:\([0-9]*\) .*/\1/p' "$mirror_dir/xtc.toml.minisig")
[ "$second_stamp" -gt "$first_stamp" ] || fail "the second signature ($second_stamp) is not newer than the first ($first_stamp)"
if tail -n +"$((requests_before + 1))" "$XTC_TEST_ACCESS_LOG" | grep -q "GET /$served/producer/[^ ]*\.tar"; then
  fail "the second run downloaded an artifact again"
fi

# The producers are gone; another machine (an empty XTC_HOME) that trusts
# the team's key installs from the mirror.
rm -rf "$serve_dir/producer"
export XTC_MANIFEST=$mirror_url/xtc.toml
export XTC_HOME=$WORK/client PATH=$WORK/client/bin:$PATH
run_xtc target add x86_64-linux-musl --no-config --no-rustup
assert_eq "$STATUS" 1 "exit status when the team's key is not trusted"
assert_eq "$(printf '%s\n' "$ERR" | grep -c '^xtc: error:')" 1 "error lines for an untrusted mirror key"
export XTC_TRUSTED_KEYS=$WORK/team.pub
xtc_ok target add x86_64-linux-musl --no-config --no-rustup
grep -q "GET /$served/m/artifacts/$sysroot_sha/sysroot-x86_64-linux-musl.tar.xz HTTP/1.1\" 200" "$XTC_TEST_ACCESS_LOG" ||
  fail "the sysroot did not come from the mirror"
x86_64-linux-musl-gcc -static -DTARGET='"mirror"' "$PROGRAMS/hello.c" -o "$WORK/hello"
assert_contains "$(run_target x86_64-linux-musl "$WORK/hello")" "mirror"
# Offline from then on: the cache and the saved manifest suffice.
xtc_ok target remove x86_64-linux-musl
XTC_OFFLINE=1 xtc_ok target add x86_64-linux-musl --no-config --no-rustup

# Bad keys: one error line each, nothing written.
bad_dir=$serve_dir/bad
export XTC_MANIFEST=$XTC_TEST_MIRROR/manifest.toml
export XTC_TRUSTED_KEYS=$XTC_SOURCE_DIR/tests/data/minisign/test.pub
check_refused() { # EXPECTED-ERROR ARGS…
  local expected=$1; shift
  run_xtc mirror "$bad_dir" --target x86_64-linux-musl "$@"
  [ "$STATUS" -ne 0 ] || fail "xtc mirror $* succeeded"
  assert_eq "$(printf '%s\n' "$ERR" | grep -c '^xtc: error:')" 1 "error lines for $*"
  assert_contains "$ERR" "$expected"
  [ ! -e "$bad_dir/xtc.toml" ] || fail "xtc mirror $* wrote a manifest"
  [ ! -e "$bad_dir/artifacts" ] || fail "xtc mirror $* copied artifacts"
}
check_refused "cannot open secret key '$WORK/none.key'" --key "$WORK/none.key"
check_refused "the secret key '$WORK/locked.key' is password-protected" --key "$WORK/locked.key"
# (scrypt with minisign's default cost: seconds per try, so tried once;
# the unit tests sign with such keys.)
XTC_KEY_PASSWORD=wrong check_refused "wrong password for minisign secret key" --key "$WORK/locked.key"
check_refused "invalid minisign secret key" --key "$WORK/team.pub"
check_refused "has no artifact for the hosts, targets and flavors asked for" \
  --key "$WORK/team.key" --host sparc-plan9 --flavor gcc
echo "ok"
