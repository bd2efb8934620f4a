#!/usr/bin/env bash
# Bad input: one clear error line (and a hint), the documented exit code,
# and nothing written.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_setup

run_xtc target add x86_64-linux-mus
assert_eq "$STATUS" 2 "exit status for an unknown target"
assert_eq "$(printf '%s\n' "$ERR" | head -n 1)" "xtc: error: unknown target 'x86_64-linux-mus'"
assert_contains "$ERR" "xtc: hint: did you mean 'x86_64-linux-musl'?"
assert_absent "$XTC_HOME"

run_xtc targt list
assert_eq "$STATUS" 2 "exit status for an unknown command"
assert_contains "$ERR" "did you mean 'target'?"

printf 'schema_version = 1\n[[artifact]]\nid = "x"\nkind = "toolchain"\n' >"$WORK/broken.toml"
run_xtc --allow-unsigned --manifest "$WORK/broken.toml" target add x86_64-linux-musl
assert_eq "$STATUS" 1 "exit status for an invalid manifest"
assert_contains "$ERR" "xtc: error: invalid manifest '$WORK/broken.toml'"
assert_absent "$XTC_HOME"

mkdir -p "$WORK/proj/.cargo" && cd "$WORK/proj"
printf '[package]\nname = "p"\nversion = "0.1.0"\n' >Cargo.toml
printf '[target.x86_64-unknown-linux-musl\nlinker = 1\n' >.cargo/config.toml
cp .cargo/config.toml "$WORK/config.before"
run_xtc target add x86_64-linux-musl
assert_eq "$STATUS" 1 "exit status for a broken cargo config"
assert_contains "$ERR" "xtc: error: cannot parse cargo config '$WORK/proj/.cargo/config.toml': 1:"
cmp -s .cargo/config.toml "$WORK/config.before" || fail "broken cargo config was modified"
assert_absent "$XTC_HOME"

run_xtc which x86_64-linux-musl-gcc
assert_eq "$STATUS" 1
assert_contains "$ERR" "xtc: hint: run 'xtc target add x86_64-linux-musl'"
echo "PASS: bad input is refused cleanly"
