#!/usr/bin/env bash
# glibc targets: aarch64-linux-gnu through the gcc flavor (a complete GNU
# cross toolchain from Debian's packages) and x86_64-linux-gnu through the
# llvm flavor (glibc sysroot). C, C++ with exceptions, and -lm.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command clang ld.lld qemu-aarch64-static readelf cmake
e2e_setup

xtc_ok target add aarch64-linux-gnu x86_64-linux-gnu --no-config --no-rustup
assert_contains "$ERR" "added aarch64-linux-gnu (gcc flavor, glibc "
assert_contains "$ERR" "added x86_64-linux-gnu (llvm flavor, glibc "
export LIBRARY_PATH=/usr/lib/x86_64-linux-gnu

a=aarch64-linux-gnu
aarch64_root=$(target_sysroot $a)/usr/aarch64-linux-gnu
aarch64-linux-gnu-gcc -DTARGET='"aarch64-linux-gnu"' "$PROGRAMS/hello.c" -o "$WORK/hello-a"
aarch64-linux-gnu-g++ -O2 "$PROGRAMS/hello.cpp" -o "$WORK/hello-cpp-a"
aarch64-linux-gnu-gcc "$PROGRAMS/math.c" -o "$WORK/math-a" -lm
assert_contains "$(readelf -h "$WORK/hello-a")" "AArch64" "machine of the aarch64 program"
assert_eq "$(QEMU_LD_PREFIX=$aarch64_root run_target $a "$WORK/hello-a")" "hello from aarch64-linux-gnu"
assert_eq "$(QEMU_LD_PREFIX=$aarch64_root run_target $a "$WORK/hello-cpp-a")" "c++ sum 42 caught 1"
assert_eq "$(QEMU_LD_PREFIX=$aarch64_root run_target $a "$WORK/math-a")" "sqrt 1.414"

x86_64-linux-gnu-gcc -DTARGET='"x86_64-linux-gnu"' "$PROGRAMS/hello.c" -o "$WORK/hello-x"
x86_64-linux-gnu-g++ "$PROGRAMS/hello.cpp" -o "$WORK/hello-cpp-x"
x86_64-linux-gnu-gcc "$PROGRAMS/math.c" -o "$WORK/math-x" -lm
assert_eq "$("$WORK/hello-x")" "hello from x86_64-linux-gnu"
assert_eq "$("$WORK/hello-cpp-x")" "c++ sum 42 caught 1"
assert_eq "$("$WORK/math-x")" "sqrt 1.414"

# Both flavors are warning-free on compile-only calls.
for t in aarch64-linux-gnu x86_64-linux-gnu; do
  why=$(compiler_checks "$t") || fail "$why"
done

# `xtc which` names the real program and the flags the shim adds.
xtc_ok which aarch64-linux-gnu-g++
assert_contains "$OUT" "aarch64-linux-gnu-g++-12 --sysroot=$XTC_HOME/toolchains/"
xtc_ok which x86_64-linux-gnu-gcc
assert_contains "$OUT" "--target=x86_64-unknown-linux-gnu"
assert_contains "$OUT" "-fuse-ld=lld"
# The binutils beside the compiler have shims too (objdump, readelf,
# c++filt, the preprocessor, gcc's LTO archiver), and xtc's CMake file names
# them; LLVM's where the llvm flavor found them. A tool the toolchain lacks
# (the fixture ships no ld.gold) has no shim, so autotools fall back to the
# host's.
assert_contains "$(aarch64-linux-gnu-objdump -f "$WORK/hello-a")" "file format elf64-littleaarch64"
assert_contains "$(aarch64-linux-gnu-readelf -h "$WORK/hello-a")" "AArch64"
assert_eq "$(aarch64-linux-gnu-c++filt _ZN3xtc4mainEv)" "xtc::main()"
assert_contains "$(aarch64-linux-gnu-cpp -dM /dev/null)" "#define __aarch64__ 1"
assert_contains "$(aarch64-linux-gnu-gcc-ar --version)" "GNU ar"
assert_absent "$XTC_HOME/bin/aarch64-linux-gnu-ld.gold"
cmake_file=$WORK/compiler-checks-$a/cmake/xtc-$a.cmake
assert_contains "$(cat "$cmake_file")" "set(CMAKE_OBJDUMP \"$XTC_HOME/bin/$a-objdump\""
assert_contains "$(cat "$cmake_file")" "set(CMAKE_C_COMPILER_AR \"$XTC_HOME/bin/$a-gcc-ar\""
assert_contains "$(x86_64-linux-gnu-objdump -f "$WORK/hello-x")" "file format elf64-x86-64"
xtc_ok doctor aarch64-linux-gnu

# Link-time optimisation: LTO objects archived with gcc-ar (ar with gcc's
# LTO plugin, which indexes their symbols) and linked with -flto; gcc-nm
# reads their symbols through the same plugin.
printf 'int twice(int x) { return 2 * x; }\n' >"$WORK/twice.c"
printf '#include <stdio.h>\nint twice(int);\nint main(void) { printf("lto %%d\\n", twice(21)); return 0; }\n' >"$WORK/lto.c"
aarch64-linux-gnu-gcc -O2 -flto -c "$WORK/twice.c" -o "$WORK/twice.o"
assert_contains "$(aarch64-linux-gnu-gcc-nm "$WORK/twice.o")" " T twice"
aarch64-linux-gnu-gcc-ar rcs "$WORK/libtwice.a" "$WORK/twice.o"
aarch64-linux-gnu-gcc -O2 -flto "$WORK/lto.c" -L"$WORK" -ltwice -o "$WORK/lto-a"
assert_eq "$(QEMU_LD_PREFIX=$aarch64_root run_target $a "$WORK/lto-a")" "lto 42" "an LTO program"
echo "PASS: glibc targets build and run"
