# Shared helpers for the end-to-end tests (sourced, not run).
# Every test gets a fresh XTC_HOME and project directory under a temp dir
# that is removed on exit, and talks only to the loopback mirror.

fail() { echo "FAIL: $*" >&2; exit 1; }

# A missing prerequisite: skipped (77) on a developer machine, a failure in CI.
missing() {
  if [ "${CI:-}" = true ]; then
    fail "missing prerequisite: $* (scripts/test installs it)"
  fi
  echo "SKIP: missing prerequisite: $*" >&2
  exit 77
}

require_command() {
  local c
  for c in "$@"; do command -v "$c" >/dev/null 2>&1 || missing "$c"; done
}

# Sets up XTC_HOME, PATH and the mirror's CA for one test.
e2e_setup() {
  : "${XTC_BIN:?}" "${XTC_E2E_STATE:?}" "${XTC_SOURCE_DIR:?}"
  [ -f "$XTC_E2E_STATE/mirror.env" ] || missing "the loopback mirror (e2e.mirror.start did not run)"
  set -a; . "$XTC_E2E_STATE/mirror.env"; set +a
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/xtc-e2e.XXXXXX")
  trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
  # Variables that would override the config xtc writes for cargo.
  unset RUSTFLAGS RUSTC RUSTC_WRAPPER CARGO_BUILD_RUSTFLAGS
  export XTC_HOME=$WORK/home
  export XTC_CA_BUNDLE=$XTC_TEST_CA
  export PATH="$XTC_HOME/bin:$PATH"
  # The manifest comes from the mirror, as a user's would.
  export XTC_MANIFEST=$XTC_TEST_MIRROR/manifest.toml
  # The mirror's manifest is signed with the throwaway test key.
  export XTC_TRUSTED_KEYS=$XTC_SOURCE_DIR/tests/data/minisign/test.pub
  PROGRAMS=$XTC_SOURCE_DIR/tests/e2e/programs
}

# run_xtc ARGS…: runs xtc, capturing OUT, ERR and STATUS (never exits).
run_xtc() {
  set +e
  "$XTC_BIN" "$@" >"$WORK/out" 2>"$WORK/err"
  STATUS=$?
  set -e
  OUT=$(cat "$WORK/out"); ERR=$(cat "$WORK/err")
}

xtc_ok() {
  run_xtc "$@"
  [ "$STATUS" -eq 0 ] || fail "xtc $* exited $STATUS: $ERR"
}

assert_eq() { [ "$1" = "$2" ] || fail "${3:-value}: expected '$2', got '$1'"; }
assert_contains() {
  case "$1" in *"$2"*) ;; *) fail "${3:-text} does not contain '$2': $1" ;; esac
}
# mark_home: makes $XTC_HOME a home xtc has already claimed, for tests that
# set up what an earlier run would have left there (a partial download, a
# shared cache) before calling xtc.
mark_home() { mkdir -p "$XTC_HOME" && : >"$XTC_HOME/.xtc-home"; }

# compiler_checks TRIPLE [CFLAGS]: what build systems ask of a target's
# compiler shim. A compile-only call with every warning an error prints
# nothing; then, through the CMake toolchain file `xtc config cmake` writes
# and with CFLAGS (default -O1) as CMAKE_C_FLAGS, CMake detects the
# compiler's ABI, check_c_compiler_flag(-Werror) finds the flag supported
# (it does not when the driver warns about its own flags), find_library(m) and
# find_path(stdio.h) find the target's files under $XTC_HOME when the file
# sets a sysroot and never the host's, and try_run() runs a program through
# the emulator the file names (the loader must be where its -L points).
# Prints what went wrong and returns 1 otherwise.
compiler_checks() {
  local t=$1 cflags=${2:--O1} dir=$WORK/compiler-checks-$1 err results
  mkdir -p "$dir"
  if ! err=$("$t-gcc" -Wall -Wextra -Werror -c -DTARGET='"w"' "$PROGRAMS/hello.c" \
    -o "$dir/hello.o" 2>&1) || [ -n "$err" ]; then
    echo "$t-gcc -Wall -Wextra -Werror -c is not silent: $err"
    return 1
  fi
  (cd "$dir" && "$XTC_BIN" config cmake "$t") >/dev/null 2>&1 ||
    { echo "xtc config cmake $t failed"; return 1; }
  printf '#include <stdio.h>\nint main(void) { puts("probe ran"); return 0; }\n' >"$dir/probe.c"
  cat >"$dir/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.20)
project(checks C)
include(CheckCCompilerFlag)
check_c_compiler_flag(-Werror HAVE_WERROR)
find_library(M_LIBRARY m)
find_path(STDIO_DIR stdio.h)
try_run(RUN_RESULT COMPILE_RESULT ${CMAKE_BINARY_DIR}/probe
        ${CMAKE_SOURCE_DIR}/probe.c RUN_OUTPUT_VARIABLE RUN_OUTPUT)
file(WRITE ${CMAKE_BINARY_DIR}/results
     "werror=${HAVE_WERROR}\nm=${M_LIBRARY}\nstdio=${STDIO_DIR}\nrun=${RUN_RESULT}\noutput=${RUN_OUTPUT}")
CMAKE
  # CFLAGS defaults to -O1, as the tests build their programs: zig builds its
  # libc, and the compiler runtime, once per optimisation mode, and a cold
  # one takes a minute per target.
  if ! cmake -S "$dir" -B "$dir/build" -DCMAKE_TOOLCHAIN_FILE="$dir/cmake/xtc-$t.cmake" \
    -DCMAKE_C_FLAGS="$cflags" \
    >"$dir/cmake.log" 2>&1; then
    echo "CMake with xtc's toolchain file for $t: $(tail -n 3 "$dir/cmake.log" | tr '\n' ' ')"
    return 1
  fi
  # CMake reads the pointer size and the implicit link directories from a
  # program it compiles and links; without them it searches the wrong lib
  # directories.
  grep -q 'Detecting C compiler ABI info - done' "$dir/cmake.log" ||
    { echo "CMake's compiler ABI detection through $t-gcc failed: $(grep 'ABI info' "$dir/cmake.log" | tr '\n' ' ')"; return 1; }
  results=$dir/build/results
  local werror run output
  werror=$(sed -n 's/^werror=//p' "$results")
  run=$(sed -n 's/^run=//p' "$results")
  output=$(sed -n 's/^output=//p' "$results")
  [ "$werror" = 1 ] ||
    { echo "CMake's check_c_compiler_flag(-Werror) through $t-gcc fails"; return 1; }
  [ "$run" = 0 ] && [ "$output" = "probe ran" ] ||
    { echo "CMake's try_run for $t: $(tr '\n' ' ' <"$results")"; return 1; }
  local found
  for found in "$(sed -n 's/^m=//p' "$results")" "$(sed -n 's/^stdio=//p' "$results")"; do
    if grep -q '^set(CMAKE_SYSROOT ' "$dir/cmake/xtc-$t.cmake"; then
      case $found in "$XTC_HOME"/*) ;; *)
        echo "CMake for $t found '$found', not the target's (m, stdio.h)"; return 1 ;;
      esac
    else
      case $found in /usr/* | /lib*) echo "CMake for $t found the host's '$found'"; return 1 ;; esac
    fi
  done
}

# zig_home NAME: for tests that compile with the zig flavor. XTC_HOME becomes
# a fixed path beside zig's shared cache (from the fixture cache), emptied
# now and when the test exits, held under a lock meanwhile; zig's cache is
# linked into it. zig 0.11 keys the libc, libc++ and glibc stubs it builds
# by the path of its lib directory as it names it (relative to the working
# directory when below it), so a zig installed at a new temporary path
# rebuilds musl or libc++ for every target, a minute or more each, while a
# fresh install at the same absolute path reuses them. Tests cd elsewhere
# (into $WORK) before compiling.
zig_home() {
  [ -n "${XTC_TEST_ZIG_CACHE:-}" ] || missing "the zig fixture (scripts/build-fixtures)"
  local home=${XTC_TEST_ZIG_CACHE%/}.homes/$1
  mkdir -p "$XTC_TEST_ZIG_CACHE" "${home%/*}"
  exec 8>"$home.lock"
  flock 8
  chmod -R u+w "$home" 2>/dev/null || true
  rm -rf "$home"
  export XTC_HOME=$home
  export PATH="$XTC_HOME/bin:$PATH"
  trap 'chmod -R u+w "$WORK" "$XTC_HOME" 2>/dev/null; rm -rf "$WORK" "$XTC_HOME"' EXIT
  mark_home && mkdir -p "$XTC_HOME/cache"
  ln -s "$XTC_TEST_ZIG_CACHE" "$XTC_HOME/cache/zig"
}
assert_absent() { [ ! -e "$1" ] && [ ! -L "$1" ] || fail "$1 should not exist"; }

# check_elf TRIPLE PROGRAM: `xtc check` on a program the suite built agrees
# with binutils' readelf (machine, interpreter, DT_NEEDED, every symbol
# version needed), and says it fits TRIPLE (with its glibc floor, if any).
# Catches a drift of xtc's ELF reader on every binary the tests build.
check_elf() {
  local triple=$1 prog=$2 json
  json=$("$XTC_BIN" check --json --target "$triple" "$prog") ||
    fail "xtc check --target $triple $prog: $json"
  python3 - "$prog" "$json" <<'PY' || fail "xtc check disagrees with readelf on $prog"
import json, re, subprocess, sys
prog, report = sys.argv[1], json.loads(sys.argv[2])
obj = report["files"][0]["objects"][0]
def readelf(*args):
    return subprocess.run(["readelf", "-W", *args, prog], capture_output=True,
                          text=True, check=True).stdout
headers = readelf("-h")
machines = {"Advanced Micro Devices X86-64": "x86_64", "AArch64": "aarch64",
            "ARM": "arm", "RISC-V": "riscv64", "Intel 80386": "i386"}
machine = re.search(r"Machine:\s+(.*)", headers).group(1).strip()
problems = []
if machines.get(machine) != obj["machine"]:
    problems.append(f"machine: readelf {machine!r}, xtc {obj['machine']!r}")
interp = re.search(r"Requesting program interpreter: ([^\]]+)", readelf("-l"))
if (interp.group(1) if interp else None) != obj["interpreter"]:
    problems.append(f"interpreter: readelf {interp and interp.group(1)}, xtc {obj['interpreter']}")
needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", readelf("-d"))
if needed != obj["needed"]:
    problems.append(f"needed: readelf {needed}, xtc {obj['needed']}")
# Version needs: "File: libc.so.6 ..." then "Name: GLIBC_2.34 ...".
versions, library = {}, None
text = readelf("-V")
needs = text[text.find("Version needs section"):] if "Version needs section" in text else ""
for line in needs.splitlines():
    m = re.search(r"File: (\S+)", line)
    if m:
        library = m.group(1)
        versions[library] = []
    m = re.search(r"Name: (\S+)", line)
    if m and library:
        versions[library].append(m.group(1))
if versions != obj["versions"]:
    problems.append(f"versions: readelf {versions}, xtc {obj['versions']}")
if not report["files"][0]["fits"]:
    problems.append(f"does not fit: {report['files'][0]['problems']}")
for p in problems:
    print(p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
}

# run_target TRIPLE PROGRAM [ARGS…]: runs a cross-built program natively or
# under the matching qemu-user emulator, with the sysroot for dynamic loads;
# first cross-checks it with check_elf.
run_target() {
  local triple=$1 prog=$2; shift 2
  check_elf "$triple" "$prog"
  case "$triple" in
  x86_64-*)
    # A dynamic musl program asks for /lib/ld-musl-x86_64.so.1, which a glibc
    # host lacks: run it through the sysroot's loader instead.
    local interp
    interp=$(readelf -l "$prog" | sed -n 's/.*interpreter: \(.*\)]/\1/p')
    if [ -n "$interp" ] && [ ! -e "$interp" ] && [ -e "${QEMU_LD_PREFIX:-}$interp" ]; then
      "$QEMU_LD_PREFIX$interp" "$prog" "$@"
    else
      "$prog" "$@"
    fi ;;
  # i686 under qemu rather than natively: a host kernel without 32-bit
  # support cannot run it, and qemu finds the loader in the sysroot.
  aarch64-* | armv7-* | riscv64-* | i686-*)
    local qemu
    case "$triple" in
    armv7-*) qemu=qemu-arm-static ;;
    i686-*) qemu=qemu-i386-static ;;
    *) qemu=qemu-${triple%%-*}-static ;;
    esac
    require_command "$qemu"
    "$qemu" -L "${QEMU_LD_PREFIX:-/nonexistent}" "$prog" "$@" ;;
  *) fail "no runner for $triple" ;;
  esac
}

# The sysroot a dynamically linked program of an installed target needs.
target_sysroot() {
  "$XTC_BIN" which "$1-gcc" | tr ' ' '\n' | sed -n 's/^--sysroot=//p' | head -n 1
}

# sum_crate DIR: a Cargo project in DIR (created) whose program prints
# "rust on <std::env::consts::ARCH> sum 55"; the working directory becomes
# DIR.
sum_crate() {
  mkdir -p "$1/src" && cd "$1"
  printf '[package]\nname = "hello"\nversion = "0.1.0"\nedition = "2021"\n' >Cargo.toml
  printf 'fn main() {\n    let v: Vec<u64> = (1..=10).collect();\n    println!("rust on {} sum {}", std::env::consts::ARCH, v.iter().sum::<u64>());\n}\n' >src/main.rs
}

# sign_test_manifest FILE: signs a manifest a test wrote with the throwaway
# test key (trusted through XTC_TRUSTED_KEYS), as a real mirror would.
sign_test_manifest() {
  export XTC_TRUSTED_KEYS=$XTC_SOURCE_DIR/tests/data/minisign/test.pub
  "$XTC_SOURCE_DIR/scripts/sign-manifest" \
    "$XTC_SOURCE_DIR/tests/data/minisign/test.key" "$1" >/dev/null
}

# debian_cargo_aarch64 STD: builds the crate in the working directory for
# aarch64-unknown-linux-gnu with Debian's rustc and cargo and the extracted
# arm64 std at STD, tracing the shims into $WORK/trace. The [build] keys are
# test set-up, not xtc's job; the linker comes from the config xtc wrote.
debian_cargo_aarch64() {
  cat >>.cargo/config.toml <<CONFIG

[build]
rustc = "/usr/bin/rustc"
rustflags = ["--sysroot", "$1"]
CONFIG
  export XTC_SHIM_TRACE=$WORK/trace
  env -u RUSTUP_TOOLCHAIN /usr/bin/cargo build --offline --quiet --target aarch64-unknown-linux-gnu
}
