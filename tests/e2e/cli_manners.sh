#!/usr/bin/env bash
# What users meet first: --help with examples for every command, "did you
# mean" for a mistyped command, option, target or shell, completion scripts
# that load in bash, zsh and fish, and `xtc self uninstall`'s confirmation.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command zsh fish
e2e_setup

# --help, top level and per command, each with examples.
xtc_ok --help
assert_contains "$OUT" "Examples:"
assert_contains "$OUT" "xtc target add x86_64-linux-musl"
commands=("target" "target add" "target remove" "target list" "show" "which"
  "doctor" "completions" "self" "self uninstall" "update" "mirror")
for c in "${commands[@]}"; do
  # shellcheck disable=SC2086
  xtc_ok $c --help
  assert_contains "$OUT" "Example" "xtc $c --help"
  assert_contains "$OUT" "Usage: xtc $c" "xtc $c --help"
done

# Did you mean …
run_xtc target list --josn
assert_eq "$STATUS" 2
assert_eq "$ERR" "xtc: error: unknown option '--josn' for 'xtc target list'
xtc: hint: did you mean '--json'?"
run_xtc target add --flavr llvm x86_64-linux-musl
assert_eq "$STATUS" 2
assert_contains "$ERR" "xtc: hint: did you mean '--flavor'?"
run_xtc --manifest "$XTC_MANIFEST" target lst
assert_eq "$STATUS" 2
assert_eq "$ERR" "xtc: error: unknown command 'lst'
xtc: hint: did you mean 'list'?"
run_xtc doctr
assert_eq "$STATUS" 2
assert_contains "$ERR" "did you mean 'doctor'?"
# --help does not turn an unknown command into the main help.
run_xtc doctr --help
assert_eq "$STATUS" 2 "exit status of 'xtc doctr --help'"
assert_eq "$ERR" "xtc: error: unknown command 'doctr'
xtc: hint: did you mean 'doctor'?"
assert_eq "$OUT" "" "stdout of 'xtc doctr --help'"
run_xtc frobnicate --help
assert_eq "$STATUS" 2 "exit status of 'xtc frobnicate --help'"
assert_eq "$ERR" "xtc: error: unknown command 'frobnicate'
xtc: hint: run 'xtc --help' for the commands"
run_xtc target lst -h
assert_eq "$STATUS" 2
assert_contains "$ERR" "did you mean 'list'?"
xtc_ok target add --help
assert_contains "$OUT" "Usage: xtc target add"
run_xtc show -z
assert_eq "$STATUS" 2
assert_eq "$ERR" "xtc: error: unknown option '-z' for 'xtc show'
xtc: hint: run 'xtc show --help' for its options"
run_xtc completions bsh
assert_eq "$STATUS" 2
assert_eq "$ERR" "xtc: error: unknown shell 'bsh'
xtc: hint: did you mean 'bash'?"
# Global options work after the command too.
xtc_ok target list --installed --quiet
assert_eq "$ERR" ""

# Completions: bash parses, registers and completes.
xtc_ok completions bash
printf '%s\n' "$OUT" >"$WORK/xtc.bash"
bash -n "$WORK/xtc.bash" || fail "bash completion does not parse"
got=$(bash -c '. "$1"; complete -p xtc
  COMP_WORDS=(xtc --manifest m.toml target l); COMP_CWORD=4; _xtc; echo "${COMPREPLY[*]}"
  COMP_WORDS=(xtc target add aarch64-linux-m); COMP_CWORD=3; _xtc; echo "${COMPREPLY[*]}"
  COMP_WORDS=(xtc doctor --j); COMP_CWORD=2; _xtc; echo "${COMPREPLY[*]}"' _ "$WORK/xtc.bash")
assert_eq "$got" "complete -F _xtc xtc
list
aarch64-linux-musl
--json" "bash completions"

xtc_ok completions zsh
printf '%s\n' "$OUT" >"$WORK/_xtc"
zsh -n "$WORK/_xtc" || fail "zsh completion does not parse"
assert_eq "$(head -n 1 "$WORK/_xtc")" "#compdef xtc"
got=$(zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -D; echo "${_comps[xtc]}"' _ "$WORK")
assert_eq "$got" "_xtc" "zsh compinit registers _xtc"

xtc_ok completions fish
printf '%s\n' "$OUT" >"$WORK/xtc.fish"
fish --no-execute "$WORK/xtc.fish" || fail "fish completion does not parse"
got=$(fish --no-config -c 'source $argv[1]; complete -C "xtc target l"; complete -C "xtc self "' "$WORK/xtc.fish")
assert_contains "$got" "list	List targets: installed, and offered for this host"
assert_contains "$got" "uninstall	Remove \$XTC_HOME"

# self uninstall: never without a confirmation, never a directory that is not
# an xtc home.
# A home xtc made (trusting a key makes one), marked as xtc's.
xtc_ok key add "$XTC_SOURCE_DIR/tests/data/minisign/other.pub"
[ -f "$XTC_HOME/.xtc-home" ] || fail "xtc made a home without its marker"
run_xtc self uninstall </dev/null
assert_eq "$STATUS" 2 "self uninstall without a terminal"
assert_eq "$ERR" "xtc: error: refusing to remove '$XTC_HOME' without confirmation: standard input is not a terminal
xtc: hint: run 'xtc self uninstall -y' to remove it without asking"
[ -d "$XTC_HOME/keys" ] || fail "self uninstall removed the home without confirmation"
mkdir "$WORK/not-xtc" && : >"$WORK/not-xtc/keep"
XTC_HOME=$WORK/not-xtc run_xtc self uninstall -y
assert_eq "$STATUS" 1 "self uninstall of a non-xtc directory"
assert_contains "$ERR" "xtc: error: '$WORK/not-xtc' is not an xtc home: it is not empty and has no '.xtc-home' marker"
[ -f "$WORK/not-xtc/keep" ] || fail "self uninstall removed a directory that is not an xtc home"
xtc_ok self uninstall -y
assert_absent "$XTC_HOME"
assert_contains "$ERR" "removed $XTC_HOME"
xtc_ok self uninstall -y
assert_contains "$ERR" "nothing to remove"
echo "PASS: help, did-you-mean, completions and self uninstall behave"
