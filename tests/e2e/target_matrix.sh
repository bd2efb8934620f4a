#!/usr/bin/env bash
# The ten Linux targets (x86_64, aarch64, armv7 hard-float, riscv64, i686,
# each with glibc and musl) through the shims: C for all, C++ where the
# toolchain has a C++ runtime for that libc, Rust where a standard library for
# the target exists on this machine. Every program runs, natively or under
# qemu-user, and prints what it should. Prints the result table (target x
# language x pass / FAIL / skip with the reason) and fails if any cell failed.
# A C cell also needs what build systems ask of the compiler (compiler_checks
# in lib.sh: warning-free compile-only calls, and through xtc's CMake
# toolchain file the -Werror check, the target's libm and stdio.h, try_run).
#
# glibc targets of aarch64, armv7, riscv64 and i686 use the gcc flavor (Debian's
# GNU cross toolchains); x86_64-linux-gnu uses zig with a glibc pin (2.17),
# which also proves the pinned spelling end to end; the musl targets use zig,
# which brings musl and libc++ for every architecture.
#
# zig compiles libc, libc++ and the glibc stubs once per target (a minute or
# more each): its cache is kept between runs in the fixture cache, keyed by
# the zig version (XTC_TEST_ZIG_CACHE), and the matrix's XTC_HOME has a fixed
# path so that zig reuses it (see zig_home in lib.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command qemu-aarch64-static qemu-arm-static qemu-riscv64-static \
  qemu-i386-static readelf objdump cmake
e2e_setup
. "$XTC_TEST_MIRROR_DIR/fixtures.env"
zig_home target_matrix

gcc_targets=(aarch64-linux-gnu armv7-linux-gnueabihf riscv64-linux-gnu i686-linux-gnu)
zig_targets=(x86_64-linux-gnu.2.17 x86_64-linux-musl aarch64-linux-musl
  armv7-linux-musleabihf riscv64-linux-musl i686-linux-musl)

cd "$WORK"
sum_crate project

xtc_ok target add "${gcc_targets[@]}" --no-rustup
for t in "${gcc_targets[@]}"; do assert_contains "$ERR" "added $t (gcc flavor, glibc "; done
xtc_ok target add "${zig_targets[@]}" --flavor zig --no-rustup
for t in "${zig_targets[@]}"; do assert_contains "$ERR" "added $t (zig flavor"; done

# The pin reaches zig, not cargo: the config names the Rust target without it.
config=$(cat .cargo/config.toml)
assert_contains "$config" '[target.x86_64-unknown-linux-gnu]'
assert_contains "$config" 'linker = "x86_64-linux-gnu-gcc"'
case $config in *2.17*) fail "the glibc pin leaked into .cargo/config.toml" ;; esac
xtc_ok which x86_64-linux-gnu-gcc
assert_contains "$OUT" "cc -target x86_64-linux-gnu.2.17"
assert_contains "$OUT" "ZIG_GLOBAL_CACHE_DIR=$XTC_HOME/cache/zig"
# zig has no objdump: no shim, so autotools and libtool use the host's.
assert_absent "$XTC_HOME/bin/x86_64-linux-musl-objdump"
[ -x "$XTC_HOME/bin/x86_64-linux-musl-objcopy" ] || fail "no objcopy shim for a zig target"
# zig brings the C library itself: its target pkg-config finds nothing,
# least of all this host's libraries.
pkg-config --exists zlib || fail "the host's pkg-config does not find the host's zlib"
PKG_CONFIG_PATH=/usr/lib/x86_64-linux-gnu/pkgconfig x86_64-linux-musl-pkg-config --exists zlib &&
  fail "zig's target pkg-config found the host's zlib"
xtc_ok which armv7-linux-musleabihf-g++
assert_contains "$OUT" "c++ -target arm-linux-musleabihf -mcpu=generic+v7a+vfp3-d32+thumb2-neon"

# --- the matrix ---------------------------------------------------------------

declare -A RESULT=() NOTE=()
failures=0
record() { # record TARGET LANG RESULT
  RESULT[$1/$2]=$3
  case $3 in FAIL*) failures=$((failures + 1)); echo "FAIL: $1 $2: ${3#FAIL: }" >&2 ;; esac
}

# expect_run CELL_TARGET TRIPLE PROGRAM EXPECTED: runs the program and
# records pass or what went wrong.
expect_run() {
  local target=$1 lang=$2 prog=$3 expected=$4 out
  if ! out=$(run_target "$target" "$prog" 2>&1); then
    record "$target" "$lang" "FAIL: running it failed: $out"
  elif [ "$out" != "$expected" ]; then
    record "$target" "$lang" "FAIL: printed '$out', expected '$expected'"
  else
    record "$target" "$lang" pass
  fi
}

# The machine of each target as readelf names it.
machine_of() {
  case $1 in
    x86_64-*) echo "X86-64" ;; aarch64-*) echo "AArch64" ;; armv7-*) echo "ARM" ;;
    riscv64-*) echo "RISC-V" ;; i686-*) echo "80386" ;;
  esac
}

# The loader prefix for dynamically linked programs of a gcc-flavor target:
# the Debian cross toolchain's target directory.
ld_prefix() {
  local gnu=$1 root
  root=$(target_sysroot "$gnu")
  case $gnu in
    armv7-*) echo "$root/usr/arm-linux-gnueabihf" ;;
    *) echo "$root/usr/$gnu" ;;
  esac
}

# The CMake checks' C flags for a target. zig links a one-step -O1 build
# (the programs below, CMake's compiler identification) with link-time
# optimisation and a C library built for it, but a link of objects (CMake's
# try_compile and try_run) without, against a second C library: a cold one
# costs a minute per target. Where zig does that on its own (musl on x86_64,
# aarch64 and i686; xtc's shims ask for -fno-lto on armv7, and zig does no
# LTO for RISC-V), the checks ask for -flto too, so one libc serves both.
check_cflags() {
  case $1 in
    x86_64-linux-musl | aarch64-linux-musl | i686-linux-musl) echo "-O1 -flto" ;;
    *) echo "-O1" ;;
  esac
}

build_c_cxx() {
  local spelling=$1 gnu=${1%%.*} bin=$WORK/bin/${1%%.*} log
  mkdir -p "$bin"
  log=$bin/build.log
  export QEMU_LD_PREFIX=""
  case " ${gcc_targets[*]} " in *" $gnu "*) QEMU_LD_PREFIX=$(ld_prefix "$gnu") ;; esac

  if "$gnu-gcc" -O1 -DTARGET="\"$spelling\"" "$PROGRAMS/hello.c" -o "$bin/hello-c" >"$log" 2>&1; then
    if readelf -h "$bin/hello-c" | grep -q "Machine:.*$(machine_of "$gnu")"; then
      expect_run "$gnu" C "$bin/hello-c" "hello from $spelling"
      local why
      why=$(compiler_checks "$gnu" "$(check_cflags "$gnu")") || record "$gnu" C "FAIL: $why"
    else
      record "$gnu" C "FAIL: not a $(machine_of "$gnu") program"
    fi
  else
    record "$gnu" C "FAIL: compile: $(tail -n 3 "$log" | tr '\n' ' ')"
  fi
  local rc=0
  "$gnu-g++" -O1 "$PROGRAMS/hello.cpp" -o "$bin/hello-cxx" >"$log" 2>&1 || rc=$?
  if [ "$rc" -eq 0 ]; then
    expect_run "$gnu" C++ "$bin/hello-cxx" "c++ sum 42 caught 1"
  else
    record "$gnu" C++ "FAIL: compile (exit $rc): $(tail -n 3 "$log" | tr '\n' ' ')"
  fi
}

for spelling in "${zig_targets[@]}" "${gcc_targets[@]}"; do
  build_c_cxx "$spelling"
done

# A program pinned to glibc 2.17 asks for no newer symbol version.
newest=$(objdump -T "$WORK/bin/x86_64-linux-gnu/hello-c" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1)
[ "$(printf '%s\n' "$newest" GLIBC_2.17 | sort -V | tail -n 1)" = GLIBC_2.17 ] ||
  record x86_64-linux-gnu C "FAIL: the 2.17 pin produced a program needing $newest"

# --- Rust ---------------------------------------------------------------------

# rustup's toolchains, when installed, come first.
[ -d "$HOME/.cargo/bin" ] && export PATH="$PATH:$HOME/.cargo/bin"

# rust_std TRIPLE: how to build for a Rust target here, or nothing: "cargo"
# (the cargo and rustc on PATH have its std: rustup's host toolchain, or
# Debian's), "debian" (Debian's rustc with the std for aarch64, armv7 or
# i686 that build-fixtures extracts from Debian's packages).
rust_std() {
  local rust=$1 sysroot
  if command -v cargo >/dev/null && sysroot=$(rustc --print sysroot 2>/dev/null) &&
    [ -d "$sysroot/lib/rustlib/$rust/lib" ]; then
    echo cargo
  elif [ -x /usr/bin/cargo ] &&
    [ -d "${XTC_TEST_RUST_STD_SYSROOT:-/nonexistent}/lib/rustlib/$rust" ]; then
    echo debian
  fi
}

# Why a Rust cell cannot be built on this machine (no internet for rustup,
# and Debian 12 ships a std for its release architectures' glibc only).
rust_impossible() {
  case $1 in
    *-musl*) echo "skip: no Rust std for $1 here (Debian ships none for musl; rustup would download it)" ;;
    riscv64gc-*) echo "skip: no Rust std for $1 here (riscv64 is not a Debian 12 architecture; rustup would download it)" ;;
    # build-fixtures provides these (Debian's std for aarch64, armv7, i686).
    *) if [ "${CI:-}" = true ]; then
      echo "FAIL: no Rust standard library for $1 (scripts/build-fixtures extracts it)"
    else
      echo "skip: no Rust standard library for $1 on this machine"
    fi ;;
  esac
}

rust_triple() {
  case $1 in
    armv7-*) echo "armv7-unknown-linux-${1#armv7-linux-}" ;;
    riscv64-*) echo "riscv64gc-unknown-linux-${1#riscv64-linux-}" ;;
    *) echo "${1%%-*}-unknown-linux-${1#*-linux-}" ;;
  esac
}

export XTC_SHIM_TRACE=$WORK/trace
for spelling in "${zig_targets[@]}" "${gcc_targets[@]}"; do
  gnu=${spelling%%.*}
  rust=$(rust_triple "$gnu")
  how=$(rust_std "$rust")
  if [ -z "$how" ]; then
    record "$gnu" Rust "$(rust_impossible "$rust")"
    continue
  fi
  cargo_cmd=(cargo)
  label="$(command -v cargo), $(rustc --version | cut -d' ' -f1-2)"
  if [ "$how" = debian ]; then
    cargo_cmd=(env -u RUSTUP_TOOLCHAIN RUSTC=/usr/bin/rustc
      RUSTFLAGS="--sysroot $XTC_TEST_RUST_STD_SYSROOT" /usr/bin/cargo)
    label="Debian's rustc with its ${rust%%-*} std"
  fi
  : >"$XTC_SHIM_TRACE"
  # Each cargo writes the lock file in its own format (rustup's is newer than
  # Debian's 1.63 can read); the project has no dependencies to lock.
  rm -f Cargo.lock
  if ! "${cargo_cmd[@]}" build --offline --quiet --target "$rust" >"$WORK/cargo.log" 2>&1; then
    record "$gnu" Rust "FAIL: cargo build ($label): $(tail -n 5 "$WORK/cargo.log" | tr '\n' ' ')"
    continue
  fi
  if ! grep -q "^$gnu-gcc -> " "$XTC_SHIM_TRACE"; then
    record "$gnu" Rust "FAIL: cargo did not link through the $gnu-gcc shim"
    continue
  fi
  QEMU_LD_PREFIX=""
  case " ${gcc_targets[*]} " in *" $gnu "*) QEMU_LD_PREFIX=$(ld_prefix "$gnu") ;; esac
  # std::env::consts::ARCH: Rust's name of the architecture.
  case $gnu in armv7-*) arch=arm ;; i686-*) arch=x86 ;; *) arch=${gnu%%-*} ;; esac
  expect_run "$gnu" Rust "target/$rust/debug/hello" "rust on $arch sum 55"
  NOTE[$gnu/Rust]=$label
done
unset XTC_SHIM_TRACE

# --- the table ----------------------------------------------------------------

{
  printf '\n| target | flavor | C | C++ | Rust |\n| --- | --- | --- | --- | --- |\n'
  for spelling in x86_64-linux-gnu.2.17 x86_64-linux-musl aarch64-linux-gnu \
    aarch64-linux-musl armv7-linux-gnueabihf armv7-linux-musleabihf \
    riscv64-linux-gnu riscv64-linux-musl i686-linux-gnu i686-linux-musl; do
    gnu=${spelling%%.*}
    flavor=zig
    case " ${gcc_targets[*]} " in *" $gnu "*) flavor=gcc ;; esac
    cells=()
    for lang in C C++ Rust; do
      cell=${RESULT[$gnu/$lang]:-not run}
      cell=${cell%%:*}
      [ -n "${NOTE[$gnu/$lang]:-}" ] && [ "$cell" = pass ] && cell="pass (${NOTE[$gnu/$lang]})"
      cells+=("$cell")
    done
    printf '| %s | %s | %s | %s | %s |\n' "$spelling" "$flavor" "${cells[@]}"
  done
  printf '\n'
  for key in "${!RESULT[@]}"; do
    case ${RESULT[$key]} in pass) ;; *) printf '%s: %s\n' "$key" "${RESULT[$key]}" ;; esac
  done | sort
} | tee "$WORK/table" >&2
grep -q '| not run' "$WORK/table" && fail "a cell of the matrix was never run"
[ "$failures" -eq 0 ] || fail "$failures cells of the target matrix failed"
echo "PASS: ten targets build and run"
