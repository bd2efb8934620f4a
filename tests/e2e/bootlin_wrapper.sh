#!/usr/bin/env bash
# A Bootlin-style toolchain, whose gcc is a wrapper with the checks of
# Buildroot's (tests/e2e/programs/br_wrapper.c: -I/-L under the host's /usr
# or /lib exits 1; the real compiler is gcc.br_real beside it), links a Rust
# program built by Debian's rustc, whose standard library is under /usr: the
# shim passes rustc's -L /usr/lib/rustlib/x86_64-unknown-linux-gnu/lib to the
# linker as -Wl,-L,… and the program runs. Every other host path is still
# refused by the wrapper, through the shim as well.
#
# The toolchain: the wrapper, gcc.br_real running Debian's gcc-12 where it
# is installed (a copy elsewhere would miss its LTO plugin) and the glibc
# sysroot fixture.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command cc tar gzip
[ -x /usr/bin/cargo ] && [ -x /usr/bin/rustc ] || missing "Debian's rustc and cargo (/usr/bin/cargo)"
[ -x /usr/bin/x86_64-linux-gnu-gcc-12 ] || missing "Debian's gcc-12"
[ -d /usr/lib/rustlib/x86_64-unknown-linux-gnu/lib ] || missing "Debian's Rust std under /usr/lib/rustlib"
e2e_setup
. "$XTC_TEST_MIRROR_DIR/fixtures.env"

served=t-bootlin-$$
serve_dir=$XTC_TEST_MIRROR_DIR/$served
mkdir -p "$serve_dir"
trap 'rm -rf "$serve_dir"; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

prefix=x86_64-buildroot-linux-gnu
tc=$WORK/tc/x86_64--glibc--stable
mkdir -p "$tc/bin" "$tc/$prefix/sysroot"
cc -O2 -Wall -Werror '-DSYSROOT="'$prefix'/sysroot"' -o "$tc/bin/$prefix-gcc" \
  "$PROGRAMS/br_wrapper.c"
printf '#!/bin/sh\nexec /usr/bin/x86_64-linux-gnu-gcc-12 "$@"\n' >"$tc/bin/$prefix-gcc.br_real"
chmod +x "$tc/bin/$prefix-gcc.br_real"
cp /usr/bin/x86_64-linux-gnu-ar "$tc/bin/$prefix-ar"
tar -C "$tc/$prefix/sysroot" -xJf "$XTC_TEST_MIRROR_DIR/sysroot-x86_64-linux-gnu.tar.xz"
tar -C "$WORK/tc" -czf "$serve_dir/bootlin.tar.gz" x86_64--glibc--stable

manifest=$WORK/manifest.toml
cat >"$manifest" <<TOML
schema_version = 1
[[artifact]]
id = "bootlin-like-x86_64-linux-gnu"
kind = "toolchain"
flavor = "gcc"
target = "x86_64-linux-gnu"
host = "x86_64-linux"
version = "12"
libc = "glibc"
libc_version = "2.36"
urls = ["$XTC_TEST_MIRROR/$served/bootlin.tar.gz"]
sha256 = "$(sha256sum "$serve_dir/bootlin.tar.gz" | cut -d' ' -f1)"
format = "tar.gz"
strip_components = 1
[artifact.tools]
cc = "bin/$prefix-gcc"
ar = "bin/$prefix-ar"
TOML
sign_test_manifest "$manifest"
export XTC_MANIFEST=$manifest

# What the shim has to work around: the wrapper itself refuses rustc's -L.
set +e
"$tc/bin/$prefix-gcc" -L /usr/lib/rustlib/x86_64-unknown-linux-gnu/lib --version >/dev/null 2>"$WORK/refused"
status=$?
set -e
assert_eq "$status" 1 "the wrapper's status for rustc's -L"
assert_contains "$(cat "$WORK/refused")" "unsafe header/library path used in cross-compilation: '-L' '/usr/lib/rustlib/"

cd "$WORK"
sum_crate hello
xtc_ok target add x86_64-linux-gnu --no-rustup
assert_contains "$(cat .cargo/config.toml)" 'linker = "x86_64-linux-gnu-gcc"'
export XTC_SHIM_TRACE=$WORK/trace
env -u RUSTUP_TOOLCHAIN /usr/bin/cargo build --offline --quiet --target x86_64-unknown-linux-gnu \
  --config 'build.rustc="/usr/bin/rustc"'
trace=$(cat "$WORK/trace")
assert_contains "$trace" "x86_64-linux-gnu-gcc -> $XTC_HOME/toolchains/bootlin-like-x86_64-linux-gnu/bin/$prefix-gcc"
assert_contains "$trace" " -Wl,-L,/usr/lib/rustlib/x86_64-unknown-linux-gnu/lib"
out=$(QEMU_LD_PREFIX=$XTC_HOME/toolchains/bootlin-like-x86_64-linux-gnu/$prefix/sysroot \
  run_target x86_64-linux-gnu target/x86_64-unknown-linux-gnu/debug/hello)
assert_eq "$out" "rust on x86_64 sum 55"
unset XTC_SHIM_TRACE

# The wrapper's guarantee stands for every other host path, on both shim
# paths (the fast one, and the full one a trace forces).
printf 'int main(void) { return 0; }\n' >"$WORK/main.c"
for trace in "" "$WORK/trace2"; do
  for bad in "-L /usr/lib" "-I/usr/include" "-L /usr/lib/rustlib/aarch64-unknown-linux-gnu/lib"; do
    set +e
    # shellcheck disable=SC2086 # two words on purpose
    XTC_SHIM_TRACE=$trace x86_64-linux-gnu-gcc $bad "$WORK/main.c" -o "$WORK/main" 2>"$WORK/err2"
    status=$?
    set -e
    assert_eq "$status" 1 "status of the shim with $bad"
    assert_contains "$(cat "$WORK/err2")" "unsafe header/library path used in cross-compilation"
  done
done
echo "PASS: Debian's rustc links through a Buildroot-wrapped gcc; host paths are still refused"
