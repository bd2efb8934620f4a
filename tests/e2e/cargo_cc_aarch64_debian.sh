#!/usr/bin/env bash
# A crate with C code cross-built for aarch64-unknown-linux-gnu with
# Debian's cargo and the extracted arm64 std: build.rs compiles
# src/answer.c with CC_aarch64_unknown_linux_gnu and archives it with AR_…
# (from the [env] that `xtc target add` wrote); the program runs under qemu.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command qemu-aarch64-static readelf
[ -x /usr/bin/cargo ] && [ -x /usr/bin/rustc ] || missing "Debian's rustc and cargo (/usr/bin/cargo)"
e2e_setup
. "$XTC_TEST_MIRROR_DIR/fixtures.env"
std=${XTC_TEST_RUST_STD_SYSROOT:?}
[ -d "$std/lib/rustlib/aarch64-unknown-linux-gnu" ] || missing "the extracted arm64 Rust std ($std)"

cp -r "$PROGRAMS/cc_crate" "$WORK/crate"
cd "$WORK/crate"
xtc_ok target add aarch64-linux-gnu --no-rustup
assert_contains "$(cat .cargo/config.toml)" 'CC_aarch64_unknown_linux_gnu = "aarch64-linux-gnu-gcc"'
debian_cargo_aarch64 "$std"
grep -q '^aarch64-linux-gnu-gcc -> .*aarch64-linux-gnu-gcc-12 .* -c .*src/answer.c' "$WORK/trace" ||
  fail "build.rs did not compile through the xtc shim: $(cat "$WORK/trace")"
grep -q '^aarch64-linux-gnu-ar -> .* crs ' "$WORK/trace" ||
  fail "build.rs did not archive through the xtc shim: $(cat "$WORK/trace")"
program=target/aarch64-unknown-linux-gnu/debug/cc-crate
assert_contains "$(readelf -h "$program")" "AArch64" "machine of the program"
root=$(target_sysroot aarch64-linux-gnu)/usr/aarch64-linux-gnu
assert_eq "$(QEMU_LD_PREFIX=$root run_target aarch64-linux-gnu "$program")" \
  "C says 42 on aarch64, compiled by aarch64-linux-gnu-gcc"
echo "PASS: a crate with C code cross-builds for aarch64 through xtc's [env]"
