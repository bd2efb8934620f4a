#!/usr/bin/env bash
# A manifest row with the producer's minisign key (as zig's rows have): the
# archive must come with <url>.minisig by that key. Good signature: installed.
# Missing, altered, by another key, or naming another file: one error line
# naming the artifact, nothing installed, and the download not kept.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/toolchain_fixture.sh"
require_command minisign
: "${XTC_BIN:?}" "${XTC_SOURCE_DIR:?}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/xtc-e2e.XXXXXX")
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
export XTC_HOME=$WORK/home
data=$XTC_SOURCE_DIR/tests/data/minisign
fix=$WORK/fixture
mkdir -p "$fix"
printf 'schema_version = 1\n' >"$fix/manifest.toml"
fixture_artifact "$fix" fixture-zig zig riscv64-linux-gnu "" zig
producer_key=$(tail -n 1 "$data/other.pub")
sed -i "/^id = \"fixture-zig\"\$/a minisign_key = \"$producer_key\"" "$fix/manifest.toml"
sign_test_manifest "$fix/manifest.toml"
export XTC_MANIFEST=$fix/manifest.toml
archive=$fix/fixture-zig.tar.gz
add() { run_xtc target add riscv64-linux-gnu --flavor zig --no-config --no-rustup; }
sign_archive() { # KEY [TRUSTED COMMENT]
  rm -f "$archive.minisig"
  minisign -S -s "$1" -m "$archive" -t "${2:-timestamp:1 file:fixture-zig.tar.gz}" </dev/null >/dev/null
}
refused() { # WHAT EXPECTED-TEXT
  add
  [ "$STATUS" -eq 1 ] || fail "$1: exit $STATUS, expected 1: $ERR"
  local errors
  errors=$(printf '%s\n' "$ERR" | grep '^xtc: error:' || true)
  assert_eq "$(printf '%s\n' "$errors" | grep -c .)" 1 "$1: error lines"
  assert_contains "$errors" "$2" "$1"
  assert_absent "$XTC_HOME/toolchains/fixture-zig"
  assert_absent "$XTC_HOME/targets/riscv64-linux-gnu.toml"
  [ -z "$(ls -A "$XTC_HOME/cache" 2>/dev/null | grep -v '^zig$' || true)" ] ||
    fail "$1: the refused download stayed in the cache: $(ls -A "$XTC_HOME/cache")"
}

refused "no signature" "xtc: error: no producer signature for 'fixture-zig'"
sign_archive "$data/test.key"
refused "another key" "is by key 20C836B41F983E23, not by the producer's key"
sign_archive "$data/other.key" "timestamp:1 file:something-else.tar.gz"
refused "another file" "signs 'something-else.tar.gz', not 'fixture-zig.tar.gz'"
sign_archive "$data/other.key"
cp "$archive.minisig" "$WORK/good.minisig"
# One character of the signature changed (base64 character 20: a byte of
# the Ed25519 signature, after the algorithm and the key id).
python3 - "$archive.minisig" <<'PY'
import sys
path = sys.argv[1]
lines = open(path).read().split("\n")
c = lines[1][20]
lines[1] = lines[1][:20] + ("A" if c != "A" else "B") + lines[1][21:]
open(path, "w").write("\n".join(lines))
PY
refused "altered signature" "xtc: error: bad producer signature for 'fixture-zig'"
cp "$WORK/good.minisig" "$archive.minisig"
add
[ "$STATUS" -eq 0 ] || fail "a good producer signature was refused: $ERR"
[ -f "$XTC_HOME/toolchains/fixture-zig/receipt.toml" ] || fail "not installed"
# Legacy (not prehashed) signatures verify too.
"$XTC_BIN" target remove riscv64-linux-gnu >/dev/null 2>&1
"$XTC_BIN" gc >/dev/null 2>&1
rm -f "$archive.minisig"
minisign -S -l -s "$data/other.key" -m "$archive" -t "timestamp:1 file:fixture-zig.tar.gz" </dev/null >/dev/null
add
[ "$STATUS" -eq 0 ] || fail "a good legacy producer signature was refused: $ERR"
echo "PASS: producer signatures are required, checked and enforced"
