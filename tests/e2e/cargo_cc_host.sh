#!/usr/bin/env bash
# A crate with C code, built by rustup's cargo for x86_64-unknown-linux-gnu:
# build.rs compiles src/answer.c with the compiler cargo names in
# CC_x86_64_unknown_linux_gnu (from [env], written by `xtc config cargo`, as
# cc-rs would read it), archives it with AR_…, and the program links it and
# runs. The shim trace proves both went through xtc.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command clang ld.lld
[ -x "$HOME/.cargo/bin/cargo" ] || missing "rustup's cargo in ~/.cargo/bin"
e2e_setup
export PATH="$PATH:$HOME/.cargo/bin"

cp -r "$PROGRAMS/cc_crate" "$WORK/crate"
cd "$WORK/crate"
xtc_ok target add x86_64-linux-gnu --no-config --no-rustup
assert_absent .cargo
xtc_ok config cargo x86_64-unknown-linux-gnu
assert_eq "$OUT" "$WORK/crate/.cargo/config.toml" "config path on stdout"
assert_contains "$(cat .cargo/config.toml)" 'CC_x86_64_unknown_linux_gnu = "x86_64-linux-gnu-gcc"'
assert_contains "$(cat .cargo/config.toml)" 'AR_x86_64_unknown_linux_gnu = "x86_64-linux-gnu-ar"'

export XTC_SHIM_TRACE=$WORK/trace
cargo build --offline --quiet --target x86_64-unknown-linux-gnu
grep -q '^x86_64-linux-gnu-gcc -> .*clang.* -c .*src/answer.c' "$WORK/trace" ||
  fail "build.rs did not compile through the xtc shim: $(cat "$WORK/trace")"
grep -q '^x86_64-linux-gnu-ar -> .*llvm-ar.* crs ' "$WORK/trace" ||
  fail "build.rs did not archive through the xtc shim: $(cat "$WORK/trace")"
assert_eq "$(./target/x86_64-unknown-linux-gnu/debug/cc-crate)" \
  "C says 42 on x86_64, compiled by x86_64-linux-gnu-gcc"
echo "PASS: a crate with C code builds through CC_/AR_ from xtc's [env]"
