#!/usr/bin/env bash
# The shim is a faithful proxy: the tool replaces it (exec: same process, so
# its exit status and signals are the caller's), awkward arguments arrive
# byte for byte, a shim that resolves to itself is stopped, an uninstalled
# target names its fix, and the shims outlive the xtc that made them.
# `xtc env` prints variables that evaluate to the shim paths.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/toolchain_fixture.sh"
shim_setup

# Install with a copy of xtc that is deleted afterwards: the shims live in
# $XTC_HOME/bin on their own.
mkdir -p "$WORK/xtc-copy"
cp "$XTC_BIN" "$(dirname "$XTC_BIN")/xtc-shim" "$WORK/xtc-copy/"
"$WORK/xtc-copy/xtc" target add $T --no-config --no-rustup 2>"$WORK/err" ||
  fail "install with a copied xtc: $(cat "$WORK/err")"
rm -rf "$WORK/xtc-copy"
assert_eq "$($T-gcc hi)" "gcc-2.36 hi" "shim after its xtc was deleted"

# Exit status and signals pass through.
set +e; $T-ar --exit 42; status=$?; set -e
assert_eq "$status" 42 "exit status through the shim"
set +e; $T-ar --term; status=$?; set -e
assert_eq "$status" 143 "SIGTERM through the shim (128 + 15)"
# exec, not spawn: the tool's parent is this shell.
$T-ar --ppid >"$WORK/ppid"
assert_eq "$(cat "$WORK/ppid")" "$$" "parent of the tool"

# Awkward arguments arrive byte-identical.
args=("a b" "'single'" '"double"' $'line\nbreak' "" $'\xff\xfe raw' '$HOME' '*' '\')
printf '%s\0' "${args[@]}" >"$WORK/expected"
$T-ar --argv "${args[@]}" >"$WORK/got"
cmp "$WORK/expected" "$WORK/got" ||
  fail "arguments changed: $(od -c "$WORK/got" | head -n 5)"

# The environment passes, minus the documented leak-stoppers.
cat >"$WORK/printenv-tool" <<'SH'
#!/bin/sh
printf '%s|%s|%s|%s|%s\n' "${KEEP_ME-unset}" "${LIBRARY_PATH-unset}" "${CPATH-unset}" \
  "${BR_COMPILER_PARANOID_UNSAFE_PATH-unset}" "${FROM_XTC-unset}"
SH
chmod +x "$WORK/printenv-tool"
printf 'xtc-shim-resolution 1\nar\t%s\n@env\tFROM_XTC=1\n' "$WORK/printenv-tool" >"$XTC_HOME/targets/$T.shim"
# The common call (the shim's fast path) and a traced one (its full path)
# hand the tool the same environment.
for trace in "" "$WORK/trace"; do
  assert_eq "$(XTC_SHIM_TRACE=$trace KEEP_ME='x y' LIBRARY_PATH=/host/lib CPATH=/host/inc \
    BR_COMPILER_PARANOID_UNSAFE_PATH=1 $T-ar)" "x y|unset|unset|unset|1" "environment (trace '$trace')"
  assert_eq "$(FROM_XTC=mine XTC_SHIM_TRACE=$trace $T-ar)" "unset|unset|unset|unset|mine" \
    "the caller's value wins (trace '$trace')"
done

# Recursion: a resolution that points at a shim is refused at once …
printf 'xtc-shim-resolution 1\nar\t%s\n' "$XTC_HOME/bin/$T-gcc" >"$XTC_HOME/targets/$T.shim"
set +e; $T-ar x 2>"$WORK/err"; status=$?; set -e
assert_eq "$status" 1 "shim resolving to a shim"
assert_contains "$(cat "$WORK/err")" "xtc: error: '$T-ar' resolves to an xtc shim ('$XTC_HOME/bin/$T-gcc')"
# … and a loop through PATH (tool -> shim -> tool …) is stopped by depth.
mkdir -p "$WORK/loop"
printf '#!/bin/sh\nexec %s-ar "$@"\n' "$T" >"$WORK/loop/ar"
chmod +x "$WORK/loop/ar"
printf 'xtc-shim-resolution 1\nar\t%s\n' "$WORK/loop/ar" >"$XTC_HOME/targets/$T.shim"
set +e; timeout 20 $T-ar x 2>"$WORK/err"; status=$?; set -e
assert_eq "$status" 1 "PATH loop"
assert_eq "$(cat "$WORK/err")" "xtc: error: '$T-ar' calls itself through xtc's shims
xtc: hint: a toolchain's tool points back at a shim; reinstall the target or check PATH for a loop"

# A shim for a target that is not installed names the fix.
ln "$XTC_HOME/bin/.xtc-shim" "$XTC_HOME/bin/aarch64-linux-musl-gcc"
set +e; aarch64-linux-musl-gcc -c x.c 2>"$WORK/err"; status=$?; set -e
assert_eq "$status" 1 "uninstalled target"
assert_eq "$(cat "$WORK/err")" "xtc: error: target 'aarch64-linux-musl' is not installed (called as 'aarch64-linux-musl-gcc')
xtc: hint: run 'xtc target add aarch64-linux-musl'"

# `xtc env`: variables cc-rs and cargo read, quoted for each shell, even
# for a home with a space and a quote in its name.
export XTC_HOME="$WORK/it's home"
xtc_ok env riscv64gc-unknown-linux-gnu
eval "$OUT"
assert_eq "$CC_riscv64gc_unknown_linux_gnu" "$XTC_HOME/bin/$T-gcc" "CC from xtc env"
assert_eq "$CXX_riscv64gc_unknown_linux_gnu" "$XTC_HOME/bin/$T-g++" "CXX from xtc env"
assert_eq "$AR_riscv64gc_unknown_linux_gnu" "$XTC_HOME/bin/$T-ar" "AR from xtc env"
assert_eq "$CARGO_TARGET_RISCV64GC_UNKNOWN_LINUX_GNU_LINKER" "$XTC_HOME/bin/$T-gcc" "cargo linker"
# This host runs riscv64 programs only under qemu-user: cargo's runner.
if command -v qemu-riscv64-static >/dev/null; then
  assert_contains "$CARGO_TARGET_RISCV64GC_UNKNOWN_LINUX_GNU_RUNNER" "/xtc run riscv64-linux-gnu" "cargo runner"
fi
assert_contains "$ERR" "xtc: warning: target '$T' is not installed"
xtc_ok env $T --shell fish
assert_contains "$OUT" "set -gx CC_riscv64gc_unknown_linux_gnu '$WORK/it\\'s home/bin/$T-gcc'"
xtc_ok env $T --shell powershell
assert_contains "$OUT" "\$env:CARGO_TARGET_RISCV64GC_UNKNOWN_LINUX_GNU_LINKER = '$WORK/it''s home/bin/$T-gcc'"
run_xtc env $T --shell csh
assert_eq "$STATUS" 2 "unknown shell"
echo "PASS: the shim proxies faithfully"
