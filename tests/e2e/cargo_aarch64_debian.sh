#!/usr/bin/env bash
# A Rust cross build for aarch64 with Debian's rustc and cargo: the arm64
# standard library extracted from Debian's packages (by build-fixtures), the
# linker from the config xtc wrote. The program runs under qemu.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command qemu-aarch64-static
[ -x /usr/bin/cargo ] && [ -x /usr/bin/rustc ] || missing "Debian's rustc and cargo (/usr/bin/cargo)"
e2e_setup
. "$XTC_TEST_MIRROR_DIR/fixtures.env"
std=${XTC_TEST_RUST_STD_SYSROOT:?}
[ -d "$std/lib/rustlib/aarch64-unknown-linux-gnu" ] || missing "the extracted arm64 Rust std ($std)"

cd "$WORK"
sum_crate hello

xtc_ok target add aarch64-linux-gnu --no-rustup
assert_contains "$(cat .cargo/config.toml)" 'linker = "aarch64-linux-gnu-gcc"'
debian_cargo_aarch64 "$std"
grep -q '^aarch64-linux-gnu-gcc -> ' "$WORK/trace" || fail "cargo did not link through the xtc shim"
root=$(target_sysroot aarch64-linux-gnu)/usr/aarch64-linux-gnu
out=$(QEMU_LD_PREFIX=$root run_target aarch64-linux-gnu target/aarch64-unknown-linux-gnu/debug/hello)
assert_eq "$out" "rust on aarch64 sum 55"
echo "PASS: Rust for aarch64 links through xtc and runs"
