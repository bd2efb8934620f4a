#!/usr/bin/env bash
# `xtc target remove` takes away the target's shims, record and the installs
# nothing else uses, and leaves other targets working.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command clang ld.lld
e2e_setup

xtc_ok target add x86_64-linux-musl x86_64-linux-gnu --no-config --no-rustup
[ -d "$XTC_HOME/toolchains/sysroot-x86_64-linux-musl" ] || fail "musl sysroot not installed"
xtc_ok target remove x86_64-linux-musl
assert_absent "$XTC_HOME/toolchains/sysroot-x86_64-linux-musl"
assert_absent "$XTC_HOME/bin/x86_64-linux-musl-gcc"
assert_absent "$XTC_HOME/targets/x86_64-linux-musl.toml"
[ -z "$(ls -A "$XTC_HOME/tmp")" ] || fail "removal left files in tmp/"

xtc_ok target list --installed --json
assert_contains "$OUT" '"target": "x86_64-linux-gnu"'
case "$OUT" in *x86_64-linux-musl*) fail "removed target still listed" ;; esac
x86_64-linux-gnu-gcc -DTARGET='"gnu"' "$PROGRAMS/hello.c" -o "$WORK/hello"
assert_eq "$("$WORK/hello")" "hello from gnu"

run_xtc target remove x86_64-linux-musl
assert_eq "$STATUS" 1 "removing an absent target"
assert_contains "$ERR" "target 'x86_64-linux-musl' is not installed"
echo "PASS: target remove"
