#!/usr/bin/env bash
# `xtc config cargo`: the cargo config on demand (the edit `target add`
# makes), its errors (target not installed, no Cargo project, a config that
# does not parse) leave every file byte-identical, and the PATH hint names
# the exact line for the user's shell, once.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command clang ld.lld
e2e_setup
bin=$XTC_HOME/bin

mkdir -p "$WORK/app/.cargo" "$WORK/app/src/deep" && cd "$WORK/app/src/deep"
printf '[package]\nname = "app"\nversion = "0.1.0"\n' >"$WORK/app/Cargo.toml"
config=$WORK/app/.cargo/config.toml
printf '# mine\r\n[build]\r\njobs = 2 # keep\r\n' >"$config"
cp "$config" "$WORK/config.orig"

# Not installed: an error with the fixing command, the config untouched.
run_xtc config cargo x86_64-linux-musl
assert_eq "$STATUS" 1 "exit status before the install"
assert_eq "$ERR" "xtc: error: target 'x86_64-linux-musl' is not installed
xtc: hint: run 'xtc target add x86_64-linux-musl' first" "stderr before the install"
cmp -s "$config" "$WORK/config.orig" || fail "config changed by a failed run"

xtc_ok target add x86_64-linux-musl --no-config --no-rustup
cmp -s "$config" "$WORK/config.orig" || fail "config changed by --no-config"

# The shims off PATH, bash: the hint names ~/.bashrc and the export line.
export PATH=${PATH#"$bin:"}
SHELL=/bin/bash run_xtc config cargo x86_64-unknown-linux-musl
assert_eq "$STATUS" 0 "exit status of config cargo"
assert_eq "$OUT" "$config" "config path on stdout"
assert_eq "$(printf '%s\n' "$ERR" | grep -c 'xtc: hint:')" 1 "number of hints"
assert_contains "$ERR" "xtc: hint: xtc's shims in '$bin' are not on PATH; add this line to ~/.bashrc: export PATH=\"$bin:\$PATH\""
# Every byte the user wrote is kept (CRLF too), the new keys follow it.
assert_eq "$(head -c "$(stat -c %s "$WORK/config.orig")" "$config" | od -c)" "$(od -c <"$WORK/config.orig")" "the user's bytes"
assert_contains "$(cat "$config")" $'[target.x86_64-unknown-linux-musl]\r\nlinker = "x86_64-linux-musl-gcc"\r\n'
assert_contains "$(cat "$config")" $'CXX_x86_64_unknown_linux_musl = "x86_64-linux-musl-g++"\r'

# A second run changes nothing; fish gets fish_add_path.
cp "$config" "$WORK/config.after"
SHELL=/usr/bin/fish xtc_ok config cargo x86_64-linux-musl
cmp -s "$config" "$WORK/config.after" || fail "a second run changed the config"
assert_contains "$ERR" "up to date"
assert_contains "$ERR" "xtc: hint: xtc's shims in '$bin' are not on PATH; run once: fish_add_path $bin"

# --absolute needs no PATH: absolute shim paths, no hint (and a linker
# already set is kept with a warning unless --force).
xtc_ok config cargo x86_64-linux-musl --absolute
assert_contains "$ERR" "xtc: warning:"
xtc_ok config cargo x86_64-linux-musl --absolute --force
assert_contains "$(cat "$config")" "linker = \"$bin/x86_64-linux-musl-gcc\""
case "$ERR" in *"hint:"*) fail "a hint with --absolute: $ERR" ;; esac

# --output: any config file, e.g. the user's global one.
xtc_ok config cargo x86_64-linux-musl --output "$WORK/home/.cargo/config.toml"
assert_eq "$OUT" "$WORK/home/.cargo/config.toml"
assert_contains "$(cat "$WORK/home/.cargo/config.toml")" 'AR_x86_64_unknown_linux_musl = "x86_64-linux-musl-ar"'

# A config that does not parse: file, line and column; left byte-identical.
printf '[build]\njobs = = 2\n' >"$config"
cp "$config" "$WORK/config.bad"
run_xtc config cargo x86_64-linux-musl
assert_eq "$STATUS" 1 "exit status for a broken config"
assert_contains "$ERR" "xtc: error: cannot parse cargo config '$config': 2:"
cmp -s "$config" "$WORK/config.bad" || fail "a broken config was changed"

# Outside any Cargo project.
mkdir -p "$WORK/elsewhere" && cd "$WORK/elsewhere"
run_xtc config cargo x86_64-linux-musl
assert_eq "$STATUS" 1 "exit status outside a project"
assert_eq "$(printf '%s\n' "$ERR" | head -n 1)" "xtc: error: no Cargo.toml in '$WORK/elsewhere' or any directory above"
assert_absent "$WORK/elsewhere/.cargo"

# target add prints the hint once, for all its targets (zsh here).
mkdir -p "$WORK/app2" && cd "$WORK/app2"
printf '[package]\nname = "app2"\nversion = "0.1.0"\n' >Cargo.toml
SHELL=/usr/bin/zsh xtc_ok target add x86_64-linux-musl aarch64-linux-musl --no-rustup
assert_eq "$(printf '%s\n' "$ERR" | grep -c 'xtc: hint:')" 1 "hints from target add"
assert_contains "$ERR" "add this line to ~/.zshrc: export PATH=\"$bin:\$PATH\""
# --quiet silences it, like every status line.
SHELL=/usr/bin/zsh xtc_ok --quiet target add x86_64-linux-musl aarch64-linux-musl --no-rustup
assert_eq "$ERR" "" "stderr of target add --quiet"
echo "PASS: xtc config cargo writes, refuses and hints as it should"
