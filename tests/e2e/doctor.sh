#!/usr/bin/env bash
# xtc doctor on a healthy install (exit 0, hello world run natively and under
# qemu-user), on a damaged one (a file listed in a receipt deleted: exit 1,
# the file named, the fix printed, and the fix works), and the --json outputs
# of target list, show, which and doctor against docs/json.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command clang ld.lld qemu-aarch64-static python3
e2e_setup
shape() { python3 "$XTC_SOURCE_DIR/tests/e2e/json_shape.py" "$XTC_SOURCE_DIR/docs/json.md" "$1"; }

xtc_ok target add x86_64-linux-musl aarch64-linux-musl --no-config --no-rustup

run_xtc doctor
[ "$STATUS" -eq 0 ] || fail "doctor on a healthy install exited $STATUS: $OUT $ERR"
assert_contains "$OUT" "ok    PATH includes $XTC_HOME/bin"
assert_contains "$OUT" "ok    x86_64-linux-musl: shims: "
assert_contains "$OUT" "ok    x86_64-linux-musl: hello: hello world compiled and ran natively"
assert_contains "$OUT" "ok    aarch64-linux-musl: hello: hello world compiled and ran under qemu-aarch64-static"

# A host whose kernel refuses a program it should run natively (an x86_64
# kernel without 32-bit support and i686, here faked by claiming an aarch64
# host): doctor falls back to qemu-user, and without qemu it says why and
# skips instead of advising a reinstall that could not help.
XTC_HOST=aarch64-linux run_xtc doctor aarch64-linux-musl
[ "$STATUS" -eq 0 ] || fail "doctor with a refused native run exited $STATUS: $OUT $ERR"
assert_contains "$OUT" "ok    aarch64-linux-musl: hello: hello world compiled and ran under qemu-aarch64-static"
mkdir -p "$WORK/no-qemu"
for tool in /usr/bin/* /bin/*; do
  case ${tool##*/} in qemu-*) ;; *) ln -sf "$tool" "$WORK/no-qemu/${tool##*/}" ;; esac
done
XTC_HOST=aarch64-linux PATH="$XTC_HOME/bin:$WORK/no-qemu" run_xtc doctor aarch64-linux-musl
[ "$STATUS" -eq 0 ] || fail "doctor without qemu exited $STATUS: $OUT $ERR"
assert_contains "$OUT" "skip  aarch64-linux-musl: hello: hello world compiled; not run: this host does not run it natively ("
assert_contains "$OUT" "Exec format error) and no qemu-aarch64-static or qemu-aarch64 on PATH"
case $OUT in *"target remove"*) fail "doctor advised a reinstall for a host limit: $OUT" ;; esac

# JSON outputs, in the documented shapes.
xtc_ok target list --json
printf '%s' "$OUT" | shape "xtc target list --json" || fail "target list --json"
assert_contains "$OUT" '"target": "aarch64-linux-musl"'
xtc_ok show --json
printf '%s' "$OUT" | shape "xtc show --json" || fail "show --json"
xtc_ok which x86_64-linux-musl-gcc --json
printf '%s' "$OUT" | shape "xtc which TOOL --json" || fail "which --json"
xtc_ok doctor --json
printf '%s' "$OUT" | shape "xtc doctor [TRIPLE] --json" || fail "doctor --json"
assert_contains "$OUT" '"ok": true'

# Damage: delete one file the receipt lists.
receipt=$(ls "$XTC_HOME"/toolchains/*/receipt.toml | grep x86_64-linux-musl)
id=$(basename "$(dirname "$receipt")")
victim=$(python3 -c 'import sys,tomllib; print(tomllib.load(open(sys.argv[1],"rb"))["files"][0])' "$receipt" 2>/dev/null ||
  sed -n '/^files/,$p' "$receipt" | grep -o '"[^"]*"' | head -n 1 | tr -d '"')
[ -n "$victim" ] && [ -f "$XTC_HOME/toolchains/$id/$victim" ] || fail "no file to delete in $receipt"
total=$(grep -c '^ *"' "$receipt" || true)
rm "$XTC_HOME/toolchains/$id/$victim"

run_xtc doctor
assert_eq "$STATUS" 1 "doctor exit status on a damaged install"
assert_contains "$OUT" "FAIL  x86_64-linux-musl: files: 1 of "
assert_contains "$OUT" "files of '$id' are missing: $victim"
assert_contains "$OUT" "      fix: xtc target add x86_64-linux-musl"
assert_contains "$OUT" "skip  x86_64-linux-musl: hello: not run: fix the problems above first"
assert_contains "$OUT" "ok    aarch64-linux-musl: files: "
assert_eq "$ERR" "xtc: error: xtc doctor found 1 problem
xtc: hint: run the fix shown for each"
run_xtc doctor --json x86_64-linux-musl
assert_eq "$STATUS" 1 "doctor --json exit status on a damaged install"
printf '%s' "$OUT" | shape "xtc doctor [TRIPLE] --json" || fail "doctor --json (damaged)"
assert_contains "$OUT" '"fix": "xtc target add x86_64-linux-musl"'
assert_contains "$OUT" '"ok": false'

# A broken shim link: reported with the same fix.
rm "$XTC_HOME/bin/aarch64-linux-musl-g++"
run_xtc doctor aarch64-linux-musl
assert_eq "$STATUS" 1
assert_contains "$OUT" "FAIL  aarch64-linux-musl: shims: 1 not linked to $XTC_HOME/bin/.xtc-shim: aarch64-linux-musl-g++"
assert_contains "$OUT" "      fix: xtc target add aarch64-linux-musl"

# The printed fixes repair it.
xtc_ok target add x86_64-linux-musl aarch64-linux-musl --no-config --no-rustup
[ -f "$XTC_HOME/toolchains/$id/$victim" ] || fail "target add did not restore $victim"
xtc_ok doctor

# PATH without the shims: the exact line to add.
PATH=${PATH#"$XTC_HOME/bin:"} run_xtc doctor
assert_eq "$STATUS" 1
assert_contains "$OUT" "FAIL  PATH does not include $XTC_HOME/bin"
assert_contains "$OUT" "      fix: export PATH=\"$XTC_HOME/bin:\$PATH\""

run_xtc doctor x86_64-linux-gnu
assert_eq "$STATUS" 1
assert_eq "$ERR" "xtc: error: target 'x86_64-linux-gnu' is not installed
xtc: hint: run 'xtc target add x86_64-linux-gnu'"
run_xtc doctor x86_64-linux-mus
assert_eq "$STATUS" 2
assert_contains "$ERR" "did you mean 'x86_64-linux-musl'?"
echo "PASS: doctor finds damage, prints the fix, and the fix works; JSON as documented"
