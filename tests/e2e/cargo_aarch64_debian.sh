#!/usr/bin/env bash
# A Rust cross build for aarch64 with Debian's rustc and cargo: the arm64
# standard library extracted from Debian's packages (by build-fixtures), the
# linker from the config xtc wrote. The program runs under qemu, and `cargo
# run` and `cargo test` run it through the runner xtc wrote (`xtc run`),
# which also runs target programs by path.
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

# The host cannot run aarch64 programs: the config names xtc run.
assert_contains "$(cat .cargo/config.toml)" ' run aarch64-linux-gnu"'
unset XTC_SHIM_TRACE
out=$(env -u RUSTUP_TOOLCHAIN /usr/bin/cargo run --offline --quiet --target aarch64-unknown-linux-gnu)
assert_eq "$out" "rust on aarch64 sum 55" "cargo run"
cat >>src/main.rs <<'RUST'

#[cfg(test)]
mod tests {
    #[test]
    fn runs_on_aarch64() {
        assert_eq!(std::env::consts::ARCH, "aarch64");
    }
}
RUST
out=$(env -u RUSTUP_TOOLCHAIN /usr/bin/cargo test --offline --quiet --target aarch64-unknown-linux-gnu 2>&1) ||
  fail "cargo test through the runner: $out"
assert_contains "$out" "test result: ok. 1 passed" "cargo test"

# xtc run by hand: the program's arguments, options included, and its exit
# status pass through.
printf '#include <stdio.h>\nint main(int c, char **v) { printf("%%d %%s\\n", c, v[1]); return 3; }\n' >"$WORK/args.c"
aarch64-linux-gnu-gcc "$WORK/args.c" -o "$WORK/args"
status=0
out=$("$XTC_BIN" run aarch64-linux-gnu "$WORK/args" --flag x) || status=$?
assert_eq "$out $status" "3 --flag 3" "xtc run's output and exit status"
# Without qemu-user: one line saying what to install, the program not run.
status=0
env PATH=/nonexistent "$XTC_BIN" run aarch64-linux-gnu "$WORK/args" >"$WORK/out" 2>"$WORK/err" || status=$?
assert_eq "$status" 1 "xtc run without qemu"
assert_eq "$(head -n 1 "$WORK/err")" "xtc: error: cannot run aarch64 programs on this x86_64-linux host: qemu-user is not on PATH"
assert_contains "$(cat "$WORK/err")" "apt-get install qemu-user-static"
[ ! -s "$WORK/out" ] || fail "the program ran without qemu: $(cat "$WORK/out")"
echo "PASS: Rust for aarch64 links through xtc, runs, and cargo run and cargo test use xtc run"
