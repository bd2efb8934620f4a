#!/usr/bin/env bash
# The manifest xtc ships is signed with the release key built into xtc: with
# no key configured and no manifest named, `xtc target list` accepts it and
# shows what it offers this host; a copy changed by one byte is refused.
set -euo pipefail
. "$XTC_SOURCE_DIR/tests/e2e/lib.sh"
e2e_setup
unset XTC_MANIFEST XTC_TRUSTED_KEYS

shipped=$(dirname "$(dirname "$XTC_BIN")")/share/xtc/manifests/xtc.toml
[ -f "$shipped" ] && [ -f "$shipped.minisig" ] ||
  fail "the build tree has no shipped manifest and signature at $shipped"

xtc_ok --verbose target list
assert_contains "$ERR" "signed by key 0F4C44AD365A84F1" "verbose output"
case "$(uname -s)-$(uname -m)" in
Linux-x86_64)
  # Bootlin builds all ten targets for this host; zig too.
  for triple in x86_64-linux-gnu x86_64-linux-musl aarch64-linux-gnu \
    aarch64-linux-musl armv7-linux-gnueabihf armv7-linux-musleabihf \
    riscv64-linux-gnu riscv64-linux-musl i686-linux-gnu i686-linux-musl; do
    line=$(printf '%s\n' "$OUT" | grep -E "^ *$triple " || true)
    [ -n "$line" ] || fail "target list does not offer $triple: $OUT"
    assert_contains "$line" "gcc" "$triple offered"
    assert_contains "$line" "zig" "$triple offered"
  done ;;
esac

# The same bytes elsewhere verify too; one changed byte does not.
cp "$shipped" "$shipped.minisig" "$WORK/"
xtc_ok target list --manifest "$WORK/xtc.toml"
assert_eq "$(printf '%s\n' "$ERR" | grep -c warning || true)" 0 "warnings for the copy"
# A changed byte: refused before anything is fetched (this manifest's URLs
# are on the internet, which no test may try).
printf '\n' >>"$WORK/xtc.toml"
run_xtc target add x86_64-linux-musl --manifest "$WORK/xtc.toml" --no-config --no-rustup
[ "$STATUS" -ne 0 ] || fail "a changed shipped manifest was accepted"
assert_absent "$XTC_HOME/cache"
assert_contains "$ERR" "signature" "error for a changed manifest"
[ "$(printf '%s\n' "$ERR" | grep -c .)" -le 2 ] || fail "more than an error line and a hint: $ERR"
echo "ok: the shipped manifest verifies under the built-in key"
