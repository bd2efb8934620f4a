#!/usr/bin/env bash
# A glibc pin is a floor, met by a real toolchain: with two real glibc
# sysroots in the fixture manifest (Debian 11's glibc 2.31 and Debian 12's
# 2.36), `target add x86_64-linux-gnu.2.31` and `.2.33` install the 2.31
# one, `.2.36` the 2.36 one, and `.2.28` is refused naming the zig flavor.
# What each builds is checked by `xtc check` against its floor, and run.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command clang ld.lld python3
e2e_setup
grep -q '^id = "sysroot-x86_64-linux-gnu-2.31"$' "$XTC_TEST_MIRROR_DIR/manifest.toml" ||
  missing "the glibc 2.31 sysroot fixture (scripts/build-fixtures)"
cd "$WORK"
cat >hello.c <<'C'
#include <stdio.h>
#include <gnu/libc-version.h>
int main(void) { printf("built for %d.%d\n", __GLIBC__, __GLIBC_MINOR__); return 0; }
C
cat >hello.cpp <<'CPP'
#include <iostream>
#include <string>
int main() { std::cout << std::string("c++ ok") << std::endl; }
CPP

add_floor() { # PIN EXPECTED-GLIBC
  xtc_ok target add "x86_64-linux-gnu.$1" --no-config --no-rustup
  assert_contains "$ERR" "added x86_64-linux-gnu.$1 (llvm flavor, glibc $2)" "add .$1"
  assert_contains "$ERR" "x86_64-linux-gnu.$1: probe programs needs" "probe of .$1"
  assert_contains "$ERR" "within glibc $1" "probe of .$1"
  # What the shims now build: checked against the floor, and run.
  XTC_TOOLCHAIN_X86_64_LINUX_GNU="llvm-$1" x86_64-linux-gnu-gcc hello.c -o "hello-$1"
  XTC_TOOLCHAIN_X86_64_LINUX_GNU="llvm-$1" x86_64-linux-gnu-g++ hello.cpp -o "hello-cpp-$1"
  run_xtc check --target "x86_64-linux-gnu.$1" "hello-$1" "hello-cpp-$1"
  [ "$STATUS" -eq 0 ] || fail "a .$1 program does not fit its floor: $OUT"
  assert_eq "$(run_target "x86_64-linux-gnu.$1" "./hello-$1")" "built for $2" "the .$1 program"
  assert_eq "$(run_target "x86_64-linux-gnu.$1" "./hello-cpp-$1")" "c++ ok" "the .$1 C++ program"
}
add_floor 2.31 2.31
add_floor 2.33 2.31
add_floor 2.36 2.36
# The 2.31 build needs nothing newer than 2.31; the 2.36 one may.
xtc_ok check hello-2.31 --target x86_64-linux-gnu.2.31
assert_contains "$OUT" "fits         x86_64-linux-gnu.2.31"

# Below every sysroot: refused before anything is downloaded, naming zig.
before=$(ls "$XTC_HOME/toolchains")
run_xtc target add x86_64-linux-gnu.2.28 --no-config --no-rustup
assert_eq "$STATUS" 1 "exit status below every glibc"
assert_contains "$ERR" "xtc: error: nothing in manifest '$XTC_MANIFEST' meets the glibc floor of 'x86_64-linux-gnu.2.28' on host x86_64-linux: the oldest glibc offered is 2.31 ('sysroot-x86_64-linux-gnu-2.31')"
assert_contains "$ERR" "xtc: hint: the zig flavor builds against any glibc from 2.17 up: xtc target add x86_64-linux-gnu.2.28 --flavor zig"
assert_eq "$(ls "$XTC_HOME/toolchains")" "$before" "installs after a refused floor"

# Each installed variant says its glibc.
xtc_ok target list --installed --json
python3 - "$OUT" <<'PY' || fail "target list --json: $OUT"
import json, sys
rows = {r["target"]: r for r in json.loads(sys.argv[1])}
assert rows["x86_64-linux-gnu"]["installed"]["libc_version"] == "2.36", rows
PY
xtc_ok which x86_64-linux-gnu-gcc --json
assert_contains "$OUT" '"libc_version": "2.36"'
XTC_TOOLCHAIN_X86_64_LINUX_GNU=llvm-2.31 run_xtc which x86_64-linux-gnu-gcc --json
assert_contains "$OUT" '"libc_version": "2.31"'
xtc_ok show
assert_contains "$OUT" "glibc 2.36"
run_xtc doctor x86_64-linux-gnu
[ "$STATUS" -eq 0 ] || fail "doctor: $OUT"
assert_contains "$OUT" "ok    x86_64-linux-gnu.2.36: floor: probe programs needs GLIBC_"
echo "PASS: glibc pins pick the newest sysroot that meets them, and what they build fits"
