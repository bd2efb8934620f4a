#!/usr/bin/env bash
# musl targets through the llvm flavor (host clang + lld, musl sysroots):
# C programs built by the shims run, dynamically and statically linked,
# natively (x86_64) and under qemu (aarch64). A host LIBRARY_PATH full of
# bogus libraries must not leak into the cross link. Compile-only calls,
# and CMake's check of -Werror, draw no warning from the driver.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command clang ld.lld qemu-aarch64-static cmake
e2e_setup

xtc_ok target add x86_64-linux-musl aarch64-unknown-linux-musl --no-config --no-rustup
assert_contains "$ERR" "added x86_64-linux-musl (llvm flavor, musl "
assert_contains "$ERR" "added aarch64-linux-musl (llvm flavor, musl "

# The musl sysroots hold no C++ library: the g++ shim says so in one line
# and names the flavor that has one, instead of clang's "'atomic' file not
# found" halfway through a build.
status=0
x86_64-linux-musl-g++ "$PROGRAMS/hello.cpp" -o "$WORK/hello-cxx" 2>"$WORK/err" || status=$?
assert_eq "$status" 1 "g++ without a C++ library"
assert_eq "$(cat "$WORK/err")" "xtc: error: the 'x86_64-linux-musl' toolchain has no C++ compiler: it has no C++ standard library
xtc: hint: the zig flavor brings libc++ for every target: xtc target add x86_64-linux-musl --flavor zig"

# A poisoned search path: if the shim let LIBRARY_PATH through, clang would
# pass it to the linker and these empty "libraries" would break the link.
mkdir -p "$WORK/poison"
: >"$WORK/poison/libc.so"; : >"$WORK/poison/libc.a"
export LIBRARY_PATH=$WORK/poison CPATH=$WORK/poison

for t in x86_64-linux-musl aarch64-linux-musl; do
  "$t-gcc" -O2 -DTARGET="\"$t\"" "$PROGRAMS/hello.c" -o "$WORK/hello-$t"
  "$t-gcc" -static -DTARGET="\"$t static\"" "$PROGRAMS/hello.c" -o "$WORK/hello-static-$t"
  "$t-gcc" "$PROGRAMS/math.c" -o "$WORK/math-$t" -lm
  sysroot=$(target_sysroot "$t")
  [ -d "$sysroot/usr/include" ] || fail "sysroot of $t not found: '$sysroot'"
  assert_eq "$(QEMU_LD_PREFIX=$sysroot run_target "$t" "$WORK/hello-$t")" "hello from $t" "$t dynamic"
  assert_eq "$(run_target "$t" "$WORK/hello-static-$t")" "hello from $t static" "$t static"
  assert_eq "$(QEMU_LD_PREFIX=$sysroot run_target "$t" "$WORK/math-$t")" "sqrt 1.414" "$t libm"
  # The dynamic program asks for musl's loader, proof it linked the sysroot.
  interp=$(readelf -l "$WORK/hello-$t" | sed -n 's/.*interpreter: \(.*\)]/\1/p')
  assert_contains "$interp" "ld-musl-" "$t interpreter"
done

# Compile-only calls are warning-free: the linker flags go only to links.
for t in x86_64-linux-musl aarch64-linux-musl; do
  why=$(compiler_checks "$t") || fail "$why"
done
# The full path (taken with a trace) does the same as the fast path.
XTC_SHIM_TRACE=$WORK/trace x86_64-linux-musl-gcc -c -DTARGET='"t"' "$PROGRAMS/hello.c" -o "$WORK/t.o"
XTC_SHIM_TRACE=$WORK/trace x86_64-linux-musl-gcc "$WORK/t.o" -o "$WORK/t"
compile_line=$(sed -n 1p "$WORK/trace") link_line=$(sed -n 2p "$WORK/trace")
case $compile_line in *-fuse-ld=*) fail "a compile-only call got the linker flags: $compile_line" ;; esac
assert_contains "$link_line" " -fuse-ld=lld --ld-path=" "the link's command"
xtc_ok which --json x86_64-linux-musl-gcc
assert_contains "$OUT" '"link_only": ['
assert_contains "$OUT" '"-fuse-ld=lld",'

# The archiver shims work too.
x86_64-linux-musl-gcc -c -DTARGET='"lib"' "$PROGRAMS/hello.c" -o "$WORK/lib.o"
x86_64-linux-musl-ar rcs "$WORK/libhello.a" "$WORK/lib.o"
assert_contains "$(x86_64-linux-musl-nm "$WORK/libhello.a")" "T main" "nm of the archive"
echo "PASS: musl targets build and run"
