#!/usr/bin/env bash
# The target pkg-config: <triple>-pkg-config runs the host's pkg-config with
# the target sysroot's .pc files and nothing of the host's, whatever
# PKG_CONFIG_PATH says. Then real builds find a target library (libcrypt,
# in the aarch64 sysroot) through it: CMake's pkg_check_modules with the
# toolchain file, Meson's dependency() with the cross file, and a crate whose
# build.rs uses pkg-config-rs with the [env] `xtc target add` wrote. Each
# program runs under qemu and prints the same hash as the host's build.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command cmake meson ninja clang ld.lld qemu-aarch64-static pkg-config cc
[ -x /usr/bin/cargo ] && [ -x /usr/bin/rustc ] || missing "Debian's rustc and cargo (/usr/bin/cargo)"
registry=/usr/share/cargo/registry
[ -d "$registry"/pkg-config-0.3.25 ] || missing "Debian's pkg-config crate (librust-pkg-config-dev)"
[ -f /usr/lib/x86_64-linux-gnu/pkgconfig/zlib.pc ] || missing "the host's zlib.pc (zlib1g-dev), which the target must not find"
e2e_setup
. "$XTC_TEST_MIRROR_DIR/fixtures.env"
std=${XTC_TEST_RUST_STD_SYSROOT:?}

# The host's own build of the program: what the target's must print.
cc -O1 -o "$WORK/crypt_host" "$PROGRAMS/crypt_hash.c" -lcrypt
expected=$("$WORK/crypt_host" pkg)
case $expected in '$5$xtcsalt$'?*) ;; *) fail "host crypt printed '$expected'" ;; esac

cp -r "$PROGRAMS/pc_crate" "$WORK/crate"
cd "$WORK/crate"
xtc_ok target add aarch64-linux-gnu --flavor llvm --no-rustup
root=$(target_sysroot aarch64-linux-gnu)
[ -f "$root/usr/lib/aarch64-linux-gnu/pkgconfig/libcrypt.pc" ] ||
  fail "the aarch64 sysroot has no libcrypt.pc"
pc=aarch64-linux-gnu-pkg-config
[ -x "$XTC_HOME/bin/$pc" ] || fail "no $pc shim"

# The target's libraries, with the host's search path in the environment:
# system directories are left out as natively, the rest carry the sysroot.
host_dirs=/usr/lib/x86_64-linux-gnu/pkgconfig:/usr/share/pkgconfig
assert_eq "$(PKG_CONFIG_PATH=$host_dirs PKG_CONFIG_LIBDIR=$host_dirs $pc --cflags --libs libcrypt | xargs)" \
  "-lcrypt" "libcrypt's flags"
assert_eq "$(PKG_CONFIG_PATH=$host_dirs $pc --variable=libdir libcrypt)" \
  "$root/usr/lib/aarch64-linux-gnu" "libcrypt's libdir"
pkg-config --exists zlib || fail "the host's pkg-config does not find the host's zlib"
PKG_CONFIG_PATH=$host_dirs $pc --exists zlib &&
  fail "the target pkg-config found the host's zlib"
# A directory of the target's own .pc files, for this target alone.
mkdir -p "$WORK/pc"
printf 'prefix=/opt/answer\nlibdir=${prefix}/lib\nName: answer\nDescription: d\nVersion: 4.2\nLibs: -L${libdir} -lanswer\nCflags: -I${prefix}/include\n' >"$WORK/pc/answer.pc"
assert_eq "$(PKG_CONFIG_PATH_aarch64_linux_gnu=$WORK/pc $pc --cflags --libs answer | xargs)" \
  "-I$root/opt/answer/include -L$root/opt/answer/lib -lanswer" "a target .pc of the user's"
PKG_CONFIG_PATH=$WORK/pc $pc --exists answer &&
  fail "PKG_CONFIG_PATH reached the target pkg-config"
# xtc which shows the search path the shim sets.
xtc_ok which $pc
assert_contains "$OUT" "PKG_CONFIG_LIBDIR=$root/usr/lib/aarch64-linux-gnu/pkgconfig:"
assert_contains "$OUT" "PKG_CONFIG_SYSROOT_DIR=$root "

# No pkg-config on the host: one error line naming what to install.
mkdir -p "$WORK/nopc"
ln -s "$(command -v qemu-aarch64-static)" "$WORK/nopc/"
set +e
err=$(PATH=$WORK/nopc "$XTC_HOME/bin/$pc" --libs libcrypt 2>&1 >/dev/null)
status=$?
set -e
[ "$status" -ne 0 ] || fail "$pc ran without a host pkg-config"
assert_eq "$err" "xtc: error: '$pc' runs this machine's pkg-config, and PATH has neither pkg-config nor pkgconf
xtc: hint: install it: apt-get install pkgconf (Debian, Ubuntu), dnf install pkgconf-pkg-config (Fedora), or brew install pkgconf" \
  "error without a host pkg-config"

# CMake: pkg_check_modules through the toolchain file, from a shell whose
# PKG_CONFIG_PATH names the host's directories.
export PKG_CONFIG_PATH=$host_dirs
mkdir -p "$WORK/cm"
cp "$PROGRAMS/crypt_hash.c" "$WORK/cm/"
cat >"$WORK/cm/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.16)
project(crypt_hash LANGUAGES C)
find_package(PkgConfig REQUIRED)
pkg_check_modules(CRYPT REQUIRED IMPORTED_TARGET libcrypt)
pkg_check_modules(HOSTZ QUIET zlib)
if(HOSTZ_FOUND)
  message(FATAL_ERROR "the target pkg-config found the host's zlib")
endif()
add_executable(crypt_hash crypt_hash.c)
target_link_libraries(crypt_hash PRIVATE PkgConfig::CRYPT)
CMAKE
xtc_ok config cmake aarch64-linux-gnu --output "$WORK/aarch64.cmake"
assert_contains "$(cat "$WORK/aarch64.cmake")" "set(PKG_CONFIG_EXECUTABLE \"$XTC_HOME/bin/$pc\" CACHE FILEPATH"
cmake -S "$WORK/cm" -B "$WORK/cm/build" -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$WORK/aarch64.cmake" >"$WORK/cmake.log" 2>&1 ||
  fail "cmake configure failed: $(cat "$WORK/cmake.log")"
assert_contains "$(grep '^PKG_CONFIG_EXECUTABLE' "$WORK/cm/build/CMakeCache.txt")" "$XTC_HOME/bin/$pc"
cmake --build "$WORK/cm/build" >>"$WORK/cmake.log" 2>&1 ||
  fail "cmake build failed: $(cat "$WORK/cmake.log")"
assert_eq "$(QEMU_LD_PREFIX=$root run_target aarch64-linux-gnu "$WORK/cm/build/crypt_hash" pkg)" \
  "$expected" "the CMake-built program's hash"

# Meson: dependency() through the cross file.
mkdir -p "$WORK/ms"
cp "$PROGRAMS/crypt_hash.c" "$WORK/ms/"
cat >"$WORK/ms/meson.build" <<'MESON'
project('crypt_hash', 'c')
if dependency('zlib', required: false).found()
  error('the target pkg-config found the host\'s zlib')
endif
executable('crypt_hash', 'crypt_hash.c', dependencies: dependency('libcrypt'))
MESON
xtc_ok config meson aarch64-linux-gnu --output "$WORK/aarch64.ini"
assert_contains "$(cat "$WORK/aarch64.ini")" "pkg-config = '$XTC_HOME/bin/$pc'"
(cd "$WORK/ms" && meson setup --cross-file "$WORK/aarch64.ini" build >"$WORK/meson.log" 2>&1 &&
  ninja -C build >>"$WORK/meson.log" 2>&1) || fail "meson build failed: $(cat "$WORK/meson.log")"
assert_eq "$(QEMU_LD_PREFIX=$root run_target aarch64-linux-gnu "$WORK/ms/build/crypt_hash" pkg)" \
  "$expected" "the Meson-built program's hash"

# Cargo: pkg-config-rs (Debian's crate) in build.rs, with the [env] that
# `xtc target add` wrote, and Debian's rustc with the arm64 std.
config=$(cat .cargo/config.toml)
assert_contains "$config" 'PKG_CONFIG_aarch64_unknown_linux_gnu = "aarch64-linux-gnu-pkg-config"'
assert_contains "$config" 'PKG_CONFIG_ALLOW_CROSS_aarch64_unknown_linux_gnu = "1"'
cat >>.cargo/config.toml <<CONFIG

[source.crates-io]
replace-with = "debian"

[source.debian]
directory = "$registry"
CONFIG
debian_cargo_aarch64 "$std"
grep -q "^$pc -> .*pkg.* libcrypt" "$WORK/trace" ||
  fail "build.rs did not ask the target pkg-config: $(cat "$WORK/trace")"
assert_eq "$(QEMU_LD_PREFIX=$root run_target aarch64-linux-gnu target/aarch64-unknown-linux-gnu/debug/pc-crate pkg)" \
  "$expected" "the Rust program's hash"
echo "PASS: the target pkg-config finds the target's libraries for CMake, Meson and pkg-config-rs, and never the host's"
