#!/usr/bin/env bash
# Which toolchain a shim runs: XTC_TOOLCHAIN_<TRIPLE> beats the project's
# xtc.toml (found from a subdirectory), which beats the default install;
# `xtc show` and `xtc which` report the same choice and why; `xtc install`
# installs exactly what the pin file names; a missing variant is one error
# naming the command that installs it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/toolchain_fixture.sh"
shim_setup
export LC_ALL=C
VAR=XTC_TOOLCHAIN_RISCV64_LINUX_GNU

# No pin file: `xtc install` says where it looked.
mkdir -p "$WORK/proj/src/deep"
cd "$WORK/proj/src/deep"
run_xtc install
assert_eq "$STATUS" 1 "xtc install without a pin file"
assert_contains "$ERR" "xtc: error: no pin file 'xtc.toml' in '$WORK/proj/src/deep' or any directory above it"

# Two variants; the last `target add` is the default install.
xtc_ok target add $T --flavor zig --no-config --no-rustup
xtc_ok target add $T --no-config --no-rustup
assert_eq "$($T-gcc hi)" "gcc-2.36 hi" "default install"
[ -f "$XTC_HOME/targets/$T@gcc.shim" ] && [ -f "$XTC_HOME/targets/$T@zig.shim" ] ||
  fail "variant resolution files missing: $(ls "$XTC_HOME/targets")"
assert_eq "$(stat -c %i "$XTC_HOME/bin/$T-gcc")" "$(stat -c %i "$XTC_HOME/bin/.xtc-shim")" "shim is a hard link"
xtc_ok show
assert_contains "$OUT" "$T"
assert_contains "$OUT" "default install"

# A pin file two levels up wins over the default install.
printf '# pins\n[targets]\n%s = { flavor = "zig" }  # zig here\n' "$T" >"$WORK/proj/xtc.toml"
assert_eq "$($T-gcc hi)" "zig cc -target riscv64-linux-gnu hi" "pinned from a subdirectory"
xtc_ok which $T-gcc --json
assert_contains "$OUT" '"source": "pin file"'
assert_contains "$OUT" "\"origin\": \"$WORK/proj/xtc.toml\""
assert_contains "$OUT" '"variant": "zig"'
xtc_ok show
assert_contains "$OUT" "pin file $WORK/proj/xtc.toml"
xtc_ok show --json
assert_contains "$OUT" '"source": "pin file"'

# The variable wins over the pin file.
export $VAR=gcc
assert_eq "$($T-gcc hi)" "gcc-2.36 hi" "variable beats the pin file"
xtc_ok which $T-ar --json
assert_contains "$OUT" '"source": "environment"'
assert_contains "$OUT" "\"origin\": \"$VAR\""
xtc_ok show
assert_contains "$OUT" "$VAR=gcc"
# … and names what to install when it selects a missing variant.
export $VAR=gcc-2.31
set +e; $T-gcc hi >"$WORK/out" 2>"$WORK/err"; status=$?; set -e
assert_eq "$status" 1 "shim for a missing variant"
assert_eq "$(cat "$WORK/err")" "xtc: error: $VAR=gcc-2.31 selects a toolchain of '$T' that is not installed (called as '$T-gcc')
xtc: hint: run 'xtc target add $T.2.31 --flavor gcc', or unset $VAR"
export $VAR=clang
set +e; $T-gcc hi 2>"$WORK/err"; status=$?; set -e
assert_eq "$status" 1 "shim with a bad variable"
assert_contains "$(cat "$WORK/err")" "xtc: error: $VAR='clang' names no toolchain of '$T'"
unset $VAR

# Outside the project the default install is back.
cd "$WORK"
assert_eq "$($T-gcc hi)" "gcc-2.36 hi" "default outside the project"
cd "$WORK/proj/src"

# A pin of a variant that is not installed: the shim says to run xtc install.
printf '[targets]\n%s = { libc_version = "2.31" }\n' "$T" >"$WORK/proj/xtc.toml"
set +e; $T-gcc hi 2>"$WORK/err"; status=$?; set -e
assert_eq "$status" 1 "shim for a pinned but missing variant"
assert_eq "$(cat "$WORK/err")" "xtc: error: pin file '$WORK/proj/xtc.toml' asks for $T = { libc_version = \"2.31\" }, which is not installed (called as '$T-gcc')
xtc: hint: run 'xtc install' in '$WORK/proj'"
xtc_ok show --json
assert_contains "$OUT" '"installed": false'

# `xtc install` installs exactly that, and leaves the default alone.
ls "$XTC_HOME/targets" >"$WORK/before"
xtc_ok install
assert_contains "$ERR" "installed $T (gcc-2.31, glibc 2.31)"
ls "$XTC_HOME/targets" >"$WORK/after"
assert_eq "$(comm -13 "$WORK/before" "$WORK/after" | tr '\n' ' ')" "$T@gcc-2.31.shim $T@gcc-2.31.toml " "files xtc install added"
assert_eq "$($T-gcc hi)" "gcc-2.31 hi" "pinned glibc version"
cd "$WORK"
assert_eq "$($T-gcc hi)" "gcc-2.36 hi" "default unchanged by xtc install"

# A fresh home: `xtc install` of a pin file with two entries installs those
# two variants and nothing else, and makes them the defaults.
export XTC_HOME=$WORK/home2 PATH="$WORK/home2/bin:$PATH"
printf '[targets]\n%s = { flavor = "zig" }\nx86_64-linux-gnu = { flavor = "zig" }\n' "$T" >"$WORK/proj/xtc.toml"
# The fixture's zig serves any glibc target of its arch only: add one for x86_64.
sed -e 's/^id = "fixture-zig"/id = "fixture-zig-x86"/; s/target = "riscv64-linux-gnu"/target = "x86_64-linux-gnu"/' \
  <(awk '/^\[\[artifact\]\]/{n++} n==3' "$XTC_MANIFEST") >>"$XTC_MANIFEST"
sign_test_manifest "$XTC_MANIFEST"
cd "$WORK/proj"
xtc_ok install
assert_eq "$(ls "$XTC_HOME/targets" | tr '\n' ' ')" \
  "$T.shim $T.toml $T@zig.shim $T@zig.toml x86_64-linux-gnu.shim x86_64-linux-gnu.toml x86_64-linux-gnu@zig.shim x86_64-linux-gnu@zig.toml " \
  "targets after xtc install"
assert_eq "$(ls "$XTC_HOME/toolchains" | tr '\n' ' ')" "fixture-zig fixture-zig-x86 " "installed artifacts"
assert_eq "$(x86_64-linux-gnu-gcc hi)" "zig cc -target x86_64-linux-gnu hi" "second pinned target"

# A pin file the shims cannot read is refused by both, with the line.
printf '[targets]\n%s.2.31 = {}\n' "$T" >"$WORK/proj/xtc.toml"
set +e; $T-gcc hi 2>"$WORK/err"; status=$?; set -e
assert_eq "$status" 1 "shim with an unreadable pin file"
assert_contains "$(cat "$WORK/err")" "xtc: error: cannot read pin file '$WORK/proj/xtc.toml', line 2: dotted key '$T.2.31' is not supported"
run_xtc install
assert_eq "$STATUS" 1 "xtc install with an unreadable pin file"
assert_contains "$ERR" "line 2: dotted key"
printf '[targets]\nriscv64-unknown-linux-gnu = {}\n' >"$WORK/proj/xtc.toml"
run_xtc install
assert_eq "$STATUS" 1 "xtc install with a Rust spelling"
assert_contains "$ERR" "write the target 'riscv64-unknown-linux-gnu' as 'riscv64-linux-gnu'"
echo "PASS: resolution sources, show, which, install"
