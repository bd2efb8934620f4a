#!/usr/bin/env bash
# Real CMake and Meson builds with the files `xtc config cmake|meson` writes:
# a C and C++ project for aarch64-linux-gnu (gcc flavor) and a C project for
# aarch64-linux-musl (llvm flavor; Debian has no C++ runtime for musl), each
# with a static library (ar, ranlib). The programs run under qemu, directly
# and through the emulator the files name (ctest, meson test). The shims are
# off PATH for the builds: the files name them by absolute path. A target
# that is not installed is an error that writes nothing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command cmake meson ninja clang ld.lld qemu-aarch64-static readelf
e2e_setup

# The project: main.c calls a function from a static library; hello.cpp
# (exceptions, iostream, vector) when C++ is on.
make_project() {
  local dir=$1
  mkdir -p "$dir"
  cp "$PROGRAMS/hello.cpp" "$dir/hello.cpp"
  printf 'int twice(int x) { return 2 * x; }\n' >"$dir/twice.c"
  printf '#include <stdio.h>\nint twice(int);\nint main(void) {\n  printf("%%s %%d\\n", BUILT_BY, twice(21));\n  return 0;\n}\n' >"$dir/main.c"
  cat >"$dir/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.16)
project(hello LANGUAGES C)
option(WITH_CXX "build the C++ program" ON)
enable_testing()
add_library(twice STATIC twice.c)
add_executable(hello_c main.c)
target_compile_definitions(hello_c PRIVATE BUILT_BY="cmake")
target_link_libraries(hello_c PRIVATE twice)
add_test(NAME c COMMAND hello_c)
set_tests_properties(c PROPERTIES PASS_REGULAR_EXPRESSION "^cmake 42\n$")
if(WITH_CXX)
  enable_language(CXX)
  add_executable(hello_cpp hello.cpp)
  add_test(NAME cpp COMMAND hello_cpp)
  set_tests_properties(cpp PROPERTIES PASS_REGULAR_EXPRESSION "^c\\+\\+ sum 42 caught 1\n$")
endif()
CMAKE
  cat >"$dir/meson.build" <<'MESON'
project('hello', 'c')
twice = static_library('twice', 'twice.c')
hello_c = executable('hello_c', 'main.c', c_args: '-DBUILT_BY="meson"',
                     link_with: twice)
test('c', hello_c)
if get_option('cxx')
  add_languages('cpp', native: false)
  test('cpp', executable('hello_cpp', 'hello.cpp'))
endif
MESON
  printf "option('cxx', type: 'boolean', value: true)\n" >"$dir/meson_options.txt"
}

cd "$WORK"
make_project "$WORK/proj"
cd "$WORK/proj"

# Not installed: one error line with the fixing command, nothing written.
for kind in cmake meson; do
  run_xtc config "$kind" aarch64-linux-gnu
  assert_eq "$STATUS" 1 "exit status of config $kind before the install"
  assert_eq "$ERR" "xtc: error: target 'aarch64-linux-gnu' is not installed
xtc: hint: run 'xtc target add aarch64-linux-gnu' first" "stderr of config $kind"
  assert_eq "$OUT" "" "stdout of config $kind"
done
assert_absent cmake
assert_absent xtc-aarch64-linux-gnu.ini
run_xtc config cmake no-such-triple
assert_eq "$STATUS" 2 "exit status for an unknown triple"

xtc_ok target add aarch64-linux-gnu aarch64-linux-musl --no-config --no-rustup
export PATH=${PATH#"$XTC_HOME/bin:"}
command -v aarch64-linux-gnu-gcc >/dev/null && fail "the shims should be off PATH"

# Default locations; the path written is the result on stdout.
xtc_ok config cmake aarch64-linux-gnu
assert_eq "$OUT" "$WORK/proj/cmake/xtc-aarch64-linux-gnu.cmake" "cmake file path"
assert_contains "$ERR" "wrote CMake toolchain file"
xtc_ok config meson aarch64-linux-gnu
assert_eq "$OUT" "$WORK/proj/xtc-aarch64-linux-gnu.ini" "meson file path"
gnu_cmake=$WORK/proj/cmake/xtc-aarch64-linux-gnu.cmake
gnu_meson=$WORK/proj/xtc-aarch64-linux-gnu.ini
gnu_root=$(target_sysroot aarch64-linux-gnu)
cmake_text=$(cat "$gnu_cmake")
assert_contains "$cmake_text" "set(CMAKE_C_COMPILER \"$XTC_HOME/bin/aarch64-linux-gnu-gcc\")"
assert_contains "$cmake_text" "set(CMAKE_SYSROOT \"$gnu_root\")"
assert_contains "$cmake_text" "set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)"
assert_contains "$cmake_text" "qemu-aarch64-static;-L;$gnu_root/usr/aarch64-linux-gnu\")"
meson_text=$(cat "$gnu_meson")
assert_contains "$meson_text" "cpp = '$XTC_HOME/bin/aarch64-linux-gnu-g++'"
assert_contains "$meson_text" "sys_root = '$gnu_root'"
assert_contains "$meson_text" "cpu_family = 'aarch64'"

# A second run writes nothing new.
before=$(stat -c '%i %Y' "$gnu_cmake")
sleep 1
xtc_ok config cmake aarch64-linux-gnu
assert_contains "$ERR" "is up to date"
assert_eq "$(stat -c '%i %Y' "$gnu_cmake")" "$before" "toolchain file after a second run"

# --output and --project put the musl files elsewhere.
xtc_ok config cmake aarch64-unknown-linux-musl --output "$WORK/musl.cmake"
assert_eq "$OUT" "$WORK/musl.cmake"
xtc_ok config meson aarch64-linux-musl --project "$WORK"
assert_eq "$OUT" "$WORK/xtc-aarch64-linux-musl.ini"

gnu_prefix=$gnu_root/usr/aarch64-linux-gnu
musl_root=$(target_sysroot aarch64-linux-musl)

check_program() { # TRIPLE PREFIX PROGRAM EXPECTED
  assert_contains "$(readelf -h "$3")" "AArch64" "machine of $3"
  assert_eq "$(QEMU_LD_PREFIX=$2 run_target "$1" "$3")" "$4" "output of $3"
}

# CMake, C and C++, glibc.
cmake -S . -B "$WORK/cmake-gnu" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$gnu_cmake" >"$WORK/log" 2>&1 ||
  fail "cmake configure (gnu): $(cat "$WORK/log")"
cmake --build "$WORK/cmake-gnu" >"$WORK/log" 2>&1 || fail "cmake build (gnu): $(cat "$WORK/log")"
check_program aarch64-linux-gnu "$gnu_prefix" "$WORK/cmake-gnu/hello_c" "cmake 42"
check_program aarch64-linux-gnu "$gnu_prefix" "$WORK/cmake-gnu/hello_cpp" "c++ sum 42 caught 1"
ctest --test-dir "$WORK/cmake-gnu" --output-on-failure >"$WORK/log" 2>&1 ||
  fail "ctest through the emulator (gnu): $(cat "$WORK/log")"
assert_contains "$(cat "$WORK/log")" "100% tests passed, 0 tests failed out of 2"

# Meson, C and C++, glibc.
meson setup --cross-file "$gnu_meson" "$WORK/meson-gnu" >"$WORK/log" 2>&1 ||
  fail "meson setup (gnu): $(cat "$WORK/log")"
meson compile -C "$WORK/meson-gnu" >"$WORK/log" 2>&1 || fail "meson compile (gnu): $(cat "$WORK/log")"
check_program aarch64-linux-gnu "$gnu_prefix" "$WORK/meson-gnu/hello_c" "meson 42"
check_program aarch64-linux-gnu "$gnu_prefix" "$WORK/meson-gnu/hello_cpp" "c++ sum 42 caught 1"
meson test -C "$WORK/meson-gnu" >"$WORK/log" 2>&1 || fail "meson test (gnu): $(cat "$WORK/log")"
assert_contains "$(cat "$WORK/log")" "Ok:                 2"

# CMake and Meson, C, musl.
cmake -S . -B "$WORK/cmake-musl" -G Ninja -DWITH_CXX=OFF -DCMAKE_TOOLCHAIN_FILE="$WORK/musl.cmake" >"$WORK/log" 2>&1 ||
  fail "cmake configure (musl): $(cat "$WORK/log")"
cmake --build "$WORK/cmake-musl" >"$WORK/log" 2>&1 || fail "cmake build (musl): $(cat "$WORK/log")"
check_program aarch64-linux-musl "$musl_root" "$WORK/cmake-musl/hello_c" "cmake 42"
assert_contains "$(readelf -l "$WORK/cmake-musl/hello_c")" "ld-musl-aarch64" "musl interpreter"
ctest --test-dir "$WORK/cmake-musl" --output-on-failure >"$WORK/log" 2>&1 ||
  fail "ctest through the emulator (musl): $(cat "$WORK/log")"

meson setup -Dcxx=false --cross-file "$WORK/xtc-aarch64-linux-musl.ini" "$WORK/meson-musl" >"$WORK/log" 2>&1 ||
  fail "meson setup (musl): $(cat "$WORK/log")"
meson compile -C "$WORK/meson-musl" >"$WORK/log" 2>&1 || fail "meson compile (musl): $(cat "$WORK/log")"
check_program aarch64-linux-musl "$musl_root" "$WORK/meson-musl/hello_c" "meson 42"
meson test -C "$WORK/meson-musl" >"$WORK/log" 2>&1 || fail "meson test (musl): $(cat "$WORK/log")"
assert_contains "$(cat "$WORK/log")" "Ok:                 1"
echo "PASS: CMake and Meson build and run with xtc's files"
