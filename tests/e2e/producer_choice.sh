#!/usr/bin/env bash
# Choosing a toolchain's producer. The fixture manifest offers two gcc
# toolchains for riscv64-linux-gnu, from "messense" (first) and "bootlin",
# and a zig one from "zig"; each tool prints its producer's name.
#   - By default `target add` takes the first row (messense).
#   - `target add --producer bootlin` installs bootlin's, and show, which,
#     target list (text and JSON) and the shim all say so; a pin of "{}"
#     then keeps bootlin's (`xtc install` downloads nothing else).
#   - A pin { producer = "bootlin" }: the shim refuses another producer's
#     install in one line; `xtc install` installs bootlin's, in a fresh home
#     and beside an installed messense default, which stays the default.
#   - An unknown producer: one error line, exit 1, nothing installed, the
#     pin file untouched; a producer without the target names who has it.
# Needs no mirror: the archives are tiny shell-script toolchains.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/toolchain_fixture.sh"
: "${XTC_BIN:?}" "${XTC_SOURCE_DIR:?}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/xtc-e2e.XXXXXX")
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
unset XTC_SHIM_DEPTH XTC_SHIM_TRACE
for v in $(compgen -v XTC_TOOLCHAIN_); do unset "$v"; done
T=riscv64-linux-gnu
host=$(uname -m)-linux
shape() { python3 "$XTC_SOURCE_DIR/tests/e2e/json_shape.py" "$XTC_SOURCE_DIR/docs/json.md" "$1"; }

fix=$WORK/fixture
mkdir -p "$fix"
printf 'schema_version = 1\n' >"$fix/manifest.toml"
fixture_artifact "$fix" fixture-messense gcc "$T" "" messense
fixture_artifact "$fix" fixture-bootlin gcc "$T" "" bootlin
fixture_artifact "$fix" fixture-zig zig "$T" "" zig
for p in messense bootlin zig; do
  sed -i "/^id = \"fixture-$p\"\$/a producer = \"$p\"" "$fix/manifest.toml"
done
sign_test_manifest "$fix/manifest.toml"
export XTC_MANIFEST=$fix/manifest.toml

fresh_home() { export XTC_HOME=$WORK/$1; export PATH="$XTC_HOME/bin:$PATH"; }
json() { # JSON EXPRESSION: prints a Python expression over the parsed `d`
  python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"
}
one_error() { # WHAT EXPECTED-LINE
  [ "$STATUS" -eq 1 ] || fail "$1: exit $STATUS, expected 1: $ERR"
  local errors
  errors=$(printf '%s\n' "$ERR" | grep '^xtc: error:' || true)
  assert_eq "$(printf '%s\n' "$errors" | grep -c .)" 1 "$1: error lines"
  assert_eq "$errors" "$2" "$1"
}

# 1. Without --producer, the manifest's order decides: messense.
fresh_home default
xtc_ok target add "$T" --no-config --no-rustup
assert_contains "$ERR" "added $T (gcc flavor, from messense)" "default add"
assert_eq "$("$T-gcc" x)" "messense x" "the default shim"
xtc_ok show --json
assert_eq "$(json "$OUT" 'd["targets"][0]["artifacts"]')" "['fixture-messense']" "default artifacts"
assert_eq "$(json "$OUT" 'd["targets"][0]["producer"]')" "messense" "default producer"

# 2. --producer bootlin installs the second row, and every view says so.
fresh_home chosen
xtc_ok target add "$T" --producer bootlin --no-config --no-rustup
assert_contains "$ERR" "added $T (gcc flavor, from bootlin)" "add --producer"
assert_absent "$XTC_HOME/toolchains/fixture-messense"
assert_eq "$("$T-gcc" x)" "bootlin x" "the shim after --producer"
xtc_ok show --json
printf '%s' "$OUT" | shape "xtc show --json" || fail "show --json shape"
assert_eq "$(json "$OUT" '[(t["artifacts"], t["producer"], t["variant"]) for t in d["targets"]]')" \
  "[(['fixture-bootlin'], 'bootlin', 'gcc+bootlin')]" "show --json"
xtc_ok show
assert_contains "$OUT" "(fixture-bootlin, from bootlin)" "show"
xtc_ok which "$T-gcc" --json
printf '%s' "$OUT" | shape "xtc which TOOL --json" || fail "which --json shape"
assert_eq "$(json "$OUT" '(d["producer"], d["variant"])')" "('bootlin', 'gcc+bootlin')" "which --json"
xtc_ok target list --json
printf '%s' "$OUT" | shape "xtc target list --json" || fail "target list --json shape"
assert_eq "$(json "$OUT" '[(r["installed"]["producer"], r["available"], [(o["flavor"], o["producer"]) for o in r["offers"]]) for r in d if r["target"] == "'$T'"]')" \
  "[('bootlin', ['gcc', 'zig'], [('gcc', 'messense'), ('gcc', 'bootlin'), ('zig', 'zig')])]" \
  "target list --json"
xtc_ok target list
line=$(printf '%s\n' "$OUT" | grep "^$T " || true)
assert_contains "$line" "installed (gcc, from bootlin)" "target list"
assert_contains "$line" "gcc (messense, bootlin), zig (zig)" "target list"
XTC_TOOLCHAIN_RISCV64_LINUX_GNU=gcc+bootlin xtc_ok which "$T-gcc" --json
assert_eq "$(json "$OUT" 'd["source"]')" "environment" "the variable's variant"
# A pin of "{}" keeps the default install, producer and all.
mkdir -p "$WORK/plain"
printf '[targets]\n%s = {}\n' "$T" >"$WORK/plain/xtc.toml"
(cd "$WORK/plain" && xtc_ok install &&
  assert_contains "$ERR" "installed $T (gcc+bootlin, from bootlin)" "install of {}")
assert_absent "$XTC_HOME/toolchains/fixture-messense"

# 3. A pinned producer: the pin file names bootlin; messense is the default
# install. The shim refuses in one line; `xtc install` adds bootlin's.
mkdir -p "$WORK/proj"
cd "$WORK/proj"
printf '[targets]\n%s = { producer = "bootlin" }\n' "$T" >xtc.toml
pin_sum=$(sha256sum xtc.toml)
fresh_home pinned
xtc_ok target add "$T" --no-config --no-rustup
set +e
err=$("$T-gcc" x 2>&1 >/dev/null)
status=$?
set -e
assert_eq "$status" 1 "the shim with an uninstalled pinned producer"
assert_eq "$(printf '%s\n' "$err" | grep -c '^xtc: error:')" 1 "shim error lines"
assert_contains "$err" "xtc: error: pin file '$WORK/proj/xtc.toml' asks for $T = { producer = \"bootlin\" }, which is not installed (called as '$T-gcc')"
assert_contains "$err" "xtc: hint: run 'xtc install' in '$WORK/proj'"
xtc_ok install
assert_contains "$ERR" "installed $T (gcc+bootlin, from bootlin)" "install"
assert_eq "$("$T-gcc" x)" "bootlin x" "the pinned shim"
xtc_ok which "$T-gcc" --json
assert_eq "$(json "$OUT" '(d["producer"], d["source"])')" "('bootlin', 'pin file')" "which under the pin"
(cd "$WORK" && assert_eq "$("$T-gcc" x)" "messense x" "the default outside the project")

# The same pin in a fresh home: `xtc install` alone installs bootlin's.
fresh_home pinned-fresh
xtc_ok install
assert_contains "$ERR" "installed $T (gcc+bootlin, from bootlin)" "install in a fresh home"
assert_absent "$XTC_HOME/toolchains/fixture-messense"
xtc_ok show --json
assert_eq "$(json "$OUT" '[(t["source"], t["artifacts"], t["producer"]) for t in d["targets"]]')" \
  "[('pin file', ['fixture-bootlin'], 'bootlin')]" "show --json under the pin"
assert_eq "$("$T-gcc" x)" "bootlin x" "the pinned shim in a fresh home"
assert_eq "$(sha256sum xtc.toml)" "$pin_sum" "the pin file after install"

# 4. An unknown producer: one line, exit 1, nothing written.
fresh_home refused
run_xtc target add "$T" --producer bootlni --no-config --no-rustup
one_error "unknown producer" "xtc: error: unknown producer 'bootlni' in manifest '$XTC_MANIFEST'"
assert_contains "$ERR" "xtc: hint: did you mean 'bootlin'? its producers are messense, bootlin, zig"
assert_absent "$XTC_HOME/toolchains"
assert_absent "$XTC_HOME/targets"
assert_eq "$(sha256sum xtc.toml)" "$pin_sum" "the pin file after a refused add"
printf '[targets]\n%s = { producer = "bootlni" }\n' "$T" >xtc.toml
run_xtc install
one_error "unknown pinned producer" "xtc: error: unknown producer 'bootlni' in manifest '$XTC_MANIFEST'"
assert_absent "$XTC_HOME/toolchains"
# A producer the manifest knows, without that flavor for the target.
run_xtc target add "$T" --producer zig --flavor gcc --no-config --no-rustup
one_error "producer without the flavor" "xtc: error: producer 'zig' offers no gcc toolchain for '$T' on host $host in manifest '$XTC_MANIFEST'"
assert_contains "$ERR" "xtc: hint: on $host, '$T' comes as gcc from messense or bootlin, zig from zig: choose one of them with --producer, or leave it out for the default"
assert_absent "$XTC_HOME/toolchains"
echo "PASS: --producer and a pinned producer choose that producer's toolchain"
