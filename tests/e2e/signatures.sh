#!/usr/bin/env bash
# Signed manifests: a good signature (prehashed or legacy, from
# scripts/sign-manifest or plain minisign) is accepted; an unsigned manifest,
# a bad, truncated or altered signature, a key xtc does not trust, a
# replayed older manifest and a manifest swapped under another's signature
# are each refused with one error line before any artifact is downloaded.
# Every verdict is cross-checked against the reference minisign tool.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command minisign clang
e2e_setup
keys=$XTC_SOURCE_DIR/tests/data/minisign
sign=$XTC_SOURCE_DIR/scripts/sign-manifest
cases=0

# A private copy of the mirror's manifest whose archive URLs carry a marker,
# so the access log shows whether xtc requested any artifact.
marker=sigtest-$$-$RANDOM
mkdir -p "$WORK/m"
sed "s|\(\.tar\.[a-z]*\)\"|\1?$marker\"|g" "$XTC_TEST_MIRROR_DIR/manifest.toml" >"$WORK/m/manifest.toml"
m=$WORK/m/manifest.toml

# refused MESSAGE_PREFIX [MANIFEST]: `target add` fails with that error line,
# downloads nothing and leaves no install behind.
refused() {
  local expected=$1 manifest=${2:-$m}
  run_xtc --manifest "$manifest" target add x86_64-linux-musl --no-config --no-rustup
  assert_eq "$STATUS" 1 "exit status (expecting '$expected')"
  local first
  first=$(printf '%s\n' "$ERR" | grep '^xtc: error:' | head -n 1)
  assert_contains "$first" "xtc: error: $expected"
  if grep -q "$marker" "$XTC_TEST_ACCESS_LOG"; then
    fail "an artifact was requested despite: $first"
  fi
  assert_absent "$XTC_HOME/toolchains/sysroot-x86_64-linux-musl"
  cases=$((cases + 1))
}
minisign_accepts() { minisign -V -q -p "$keys/test.pub" -m "$1" -x "${2:-$1.minisig}" >/dev/null 2>&1; }

# 1. The mirror's own manifest (signed by the fixture) is accepted, and
#    minisign agrees.
minisign_accepts "$XTC_TEST_MIRROR_DIR/manifest.toml" || fail "minisign rejects the mirror's signature"
xtc_ok target list
assert_contains "$OUT" "x86_64-linux-musl"
cases=$((cases + 1))

# 2. Unsigned: a URL without .minisig, a local file without one.
cp "$m" "$XTC_TEST_MIRROR_DIR/unsigned-$$.toml"
run_xtc --manifest "$XTC_TEST_MIRROR/unsigned-$$.toml" target add x86_64-linux-musl --no-config --no-rustup
assert_eq "$STATUS" 1
assert_contains "$ERR" "xtc: error: manifest '$XTC_TEST_MIRROR/unsigned-$$.toml' is not signed:"
assert_contains "$ERR" "xtc: hint: xtc installs only from signed manifests"
rm -f "$XTC_TEST_MIRROR_DIR/unsigned-$$.toml"
cases=$((cases + 1))
refused "manifest '$m' is not signed: no signature file '$m.minisig'"

# 3. --allow-unsigned: only for a local file, with a warning every time.
run_xtc --allow-unsigned --manifest "$XTC_TEST_MIRROR/manifest.toml" target list
assert_eq "$STATUS" 2 "exit status of --allow-unsigned with a URL"
assert_contains "$ERR" "xtc: error: --allow-unsigned applies only to a local manifest file"
for _ in 1 2; do
  xtc_ok --allow-unsigned --manifest "$m" target list
  assert_contains "$ERR" "xtc: warning: manifest '$m' is used without checking its signature (--allow-unsigned)"
done
cases=$((cases + 2))

# 4. A good signature from scripts/sign-manifest.
"$sign" --timestamp 2000 "$keys/test.key" "$m" >/dev/null
minisign_accepts "$m" || fail "minisign rejects sign-manifest's signature"
xtc_ok --manifest "$m" target list
cases=$((cases + 1))

# 5. One byte of the manifest changed: both refuse.
cp "$m" "$WORK/m.orig"
sed -i 's/^version = "\(.*\)"/version = "\1x"/;T;:a;n;ba' "$m"
cmp -s "$m" "$WORK/m.orig" && fail "the manifest was not altered"
minisign_accepts "$m" && fail "minisign accepts an altered manifest"
refused "bad signature for manifest '$m': its content does not match '$m.minisig' (key 20C836B41F983E23)"
cp "$WORK/m.orig" "$m"

# 6. The trusted comment altered (a later timestamp pasted in): both refuse.
cp "$m.minisig" "$WORK/sig.orig"
sed -i 's/^trusted comment: timestamp:2000 /trusted comment: timestamp:9000 /' "$m.minisig"
minisign_accepts "$m" && fail "minisign accepts an altered trusted comment"
refused "bad signature for manifest '$m': the trusted comment of '$m.minisig' was altered"

# 7. Truncated signatures: both refuse.
for size in 0 30 60 150 200; do
  head -c "$size" "$WORK/sig.orig" >"$m.minisig"
  minisign_accepts "$m" && fail "minisign accepts a signature truncated to $size bytes"
  refused "invalid signature '$m.minisig':"
done
cp "$WORK/sig.orig" "$m.minisig"

# 8. Signed by a key xtc does not trust; trusted once added; refused again
#    once removed.
"$sign" --timestamp 2000 "$keys/other.key" "$m" >/dev/null
minisign_accepts "$m" && fail "minisign accepts the other key's signature with the test key"
refused "manifest '$m' is signed by key"
other_id=$(sed -n 's/^untrusted comment: minisign public key //p' "$keys/other.pub")
assert_contains "$ERR" "$other_id, which xtc does not trust"
xtc_ok key add "$keys/other.pub"
xtc_ok key list
assert_contains "$OUT" "$other_id"
assert_contains "$OUT" "20C836B41F983E23"
xtc_ok --manifest "$m" target list
xtc_ok key remove "$other_id"
refused "manifest '$m' is signed by key $other_id, which xtc does not trust"
run_xtc key remove "$other_id"
assert_eq "$STATUS" 1 "removing a key twice"
run_xtc key remove 9ACC1EA5BD91B267
assert_contains "$ERR" "xtc: error: key 9ACC1EA5BD91B267 is built into xtc and cannot be removed"
cases=$((cases + 2))

# 9. Legacy (non-prehashed) signatures and minisign's own default trusted
#    comment ("timestamp:N<TAB>file:NAME<TAB>hashed") are accepted.
minisign -S -l -s "$keys/test.key" -m "$m" -t "timestamp:2000 file:manifest.toml" >/dev/null
minisign_accepts "$m" || fail "minisign rejects its own legacy signature"
xtc_ok --manifest "$m" target list
minisign -S -s "$keys/test.key" -m "$m" >/dev/null
minisign_accepts "$m" || fail "minisign rejects its own signature"
xtc_ok --manifest "$m" target list
cases=$((cases + 2))

# 10. A trusted comment without a timestamp or file name is refused.
minisign -S -s "$keys/test.key" -m "$m" -t "file:manifest.toml" >/dev/null
refused "signature '$m.minisig' has no 'timestamp:' in its trusted comment"
minisign -S -s "$keys/test.key" -m "$m" -t "timestamp:2000" >/dev/null
refused "signature '$m.minisig' has no 'file:' in its trusted comment"

# 11. Swapped: another manifest served under this one's signature (the
#     bytes and signature are genuine, the name is not).
cp "$m" "$WORK/m/other.toml"
"$sign" --timestamp 2000 "$keys/test.key" "$m" >/dev/null
cp "$m.minisig" "$WORK/m/other.toml.minisig"
minisign_accepts "$WORK/m/other.toml" || fail "minisign should accept the bytes (it does not check names)"
refused "manifest '$WORK/m/other.toml' carries the signature of 'manifest.toml', not of 'other.toml' (swapped manifest?)" "$WORK/m/other.toml"

# 12. Replay: once a manifest signed at 2000 was used for an install, one
#     signed at 1000 is refused, for the same key and file name.
sed -i "s|?$marker||" "$m"
"$sign" --timestamp 2000 "$keys/test.key" "$m" >/dev/null
xtc_ok --manifest "$m" target add x86_64-linux-musl --no-config --no-rustup
grep -q "^'manifest.toml' = 2000$" "$XTC_HOME/manifests/accepted.toml" || fail "the accepted manifest was not recorded"
"$sign" --timestamp 1000 "$keys/test.key" "$m" >/dev/null
minisign_accepts "$m" || fail "minisign rejects the older, genuine signature"
run_xtc --manifest "$m" target add x86_64-linux-musl --no-config --no-rustup
assert_eq "$STATUS" 1 "exit status for a replayed manifest"
assert_contains "$ERR" "xtc: error: manifest '$m' is older than one already accepted: signed at timestamp 1000, but 'manifest.toml' from timestamp 2000 was accepted before (replayed or downgraded manifest?)"
"$sign" --timestamp 3000 "$keys/test.key" "$m" >/dev/null
xtc_ok --manifest "$m" target add x86_64-linux-musl --no-config --no-rustup
cases=$((cases + 2))

echo "PASS: manifest signatures ($cases cases, each cross-checked with minisign)"
