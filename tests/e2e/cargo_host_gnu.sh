#!/usr/bin/env bash
# Real cargo (rustup's) links a Rust program for x86_64-unknown-linux-gnu
# through the linker xtc wrote into .cargo/config.toml; the shim's trace
# proves the link went through xtc, and the program runs.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command clang ld.lld
[ -x "$HOME/.cargo/bin/cargo" ] || missing "rustup's cargo in ~/.cargo/bin"
e2e_setup
export PATH="$PATH:$HOME/.cargo/bin"

cd "$WORK"
cargo new --vcs none --bin hello >/dev/null 2>&1
cd hello
xtc_ok target add x86_64-linux-gnu
config=$(cat .cargo/config.toml)
assert_contains "$config" '[target.x86_64-unknown-linux-gnu]'
assert_contains "$config" 'linker = "x86_64-linux-gnu-gcc"'
assert_contains "$config" 'CC_x86_64_unknown_linux_gnu = "x86_64-linux-gnu-gcc"'

export XTC_SHIM_TRACE=$WORK/trace
cargo build --offline --quiet --target x86_64-unknown-linux-gnu
grep -q '^x86_64-linux-gnu-gcc -> .*clang.* --target=x86_64-unknown-linux-gnu' "$WORK/trace" ||
  fail "cargo did not link through the xtc shim: $(cat "$WORK/trace" 2>/dev/null)"
assert_eq "$(./target/x86_64-unknown-linux-gnu/debug/hello)" "Hello, world!"

# A second add changes nothing in the config.
before=$(sha256sum .cargo/config.toml)
xtc_ok target add x86_64-linux-gnu
assert_eq "$(sha256sum .cargo/config.toml)" "$before" "config after a second add"
echo "PASS: cargo links through xtc"
