#!/usr/bin/env bash
# `xtc target add` runs the real rustup: for x86_64-unknown-linux-gnu (its
# std is installed) it succeeds quietly; for aarch64-unknown-linux-musl it
# must download, which fails offline, so xtc prints one warning with
# rustup's reason and still finishes: exit 0, the target installed, its
# shims working and the cargo config written. rustup's dist server is a
# closed port on 127.0.0.1, and its state (partial downloads) goes to a
# throwaway RUSTUP_HOME that shares the installed toolchains.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command clang ld.lld
rustup=$HOME/.cargo/bin/rustup
[ -x "$rustup" ] || missing "rustup in ~/.cargo/bin"
"$rustup" target list --installed 2>/dev/null | grep -qx x86_64-unknown-linux-gnu ||
  missing "rustup's std for x86_64-unknown-linux-gnu"
e2e_setup
real_rustup_home=${RUSTUP_HOME:-$HOME/.rustup}
export RUSTUP_HOME=$WORK/rustup
mkdir -p "$RUSTUP_HOME"
ln -s "$real_rustup_home/toolchains" "$RUSTUP_HOME/toolchains"
ln -s "$real_rustup_home/update-hashes" "$RUSTUP_HOME/update-hashes"
cp "$real_rustup_home/settings.toml" "$RUSTUP_HOME/settings.toml"
export RUSTUP_DIST_SERVER=http://127.0.0.1:9 RUSTUP_UPDATE_ROOT=http://127.0.0.1:9/rustup
export PATH="$PATH:$HOME/.cargo/bin"

mkdir -p "$WORK/app" && cd "$WORK/app"
printf '[package]\nname = "app"\nversion = "0.1.0"\n' >Cargo.toml

xtc_ok -v target add x86_64-linux-gnu aarch64-linux-musl
assert_contains "$ERR" "rustup target add x86_64-unknown-linux-gnu: done"
warnings=$(printf '%s\n' "$ERR" | grep '^xtc: warning:' || true)
assert_eq "$(printf '%s\n' "$warnings" | wc -l)" 1 "number of warnings"
case "$warnings" in
"xtc: warning: 'rustup target add aarch64-unknown-linux-musl' failed, so Rust cannot build for it until it succeeds: component download failed for rust-std-aarch64-unknown-linux-musl"*) ;;
*) fail "unexpected warning: $warnings" ;;
esac
# The rest of the install stands.
assert_contains "$ERR" "added aarch64-linux-musl (llvm flavor, musl "
[ -f "$XTC_HOME/targets/aarch64-linux-musl.toml" ] || fail "aarch64-linux-musl is not installed"
config=$(cat .cargo/config.toml)
assert_contains "$config" '[target.aarch64-unknown-linux-musl]'
assert_contains "$config" '[target.x86_64-unknown-linux-gnu]'
aarch64-linux-musl-gcc -static -DTARGET='"musl"' "$PROGRAMS/hello.c" -o "$WORK/hello"
assert_eq "$(run_target aarch64-linux-musl "$WORK/hello")" "hello from musl"
# rustup's std for the failed target was not installed behind our back.
"$rustup" target list --installed | grep -qx aarch64-unknown-linux-musl &&
  fail "rustup reports aarch64-unknown-linux-musl installed"

# --no-rustup: no rustup call, so no warning.
xtc_ok target add aarch64-linux-musl --no-rustup
assert_eq "$(printf '%s\n' "$ERR" | grep -c '^xtc: warning:' || true)" 0 "warnings with --no-rustup"

# --offline: rustup is asked only what it has (a local listing), never to
# download; a missing std is one warning saying what to run once online.
xtc_ok -v target add x86_64-linux-gnu aarch64-linux-musl --offline
assert_contains "$ERR" "rustup: x86_64-unknown-linux-gnu is installed"
assert_eq "$(printf '%s\n' "$ERR" | grep '^xtc: warning:')" \
  "xtc: warning: Rust's standard library for aarch64-unknown-linux-musl is not installed, and --offline keeps rustup from downloading it: run 'rustup target add aarch64-unknown-linux-musl' once online"
echo "PASS: rustup runs, and its failure is a warning; offline, it only lists"
