#!/usr/bin/env bash
# The README's Homebrew lines, the formula's own comment and its location
# agree, and work with Homebrew 6's tap trust: the tap named by the URL of
# this repository (its own tap), the formula installed by its fully
# qualified name (which trusts that formula alone), never a bare
# `brew install xtc` that an untrusted tap refuses.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
: "${XTC_SOURCE_DIR:?}"
cd "$XTC_SOURCE_DIR"
formula=Formula/xtc.rb
[ -f "$formula" ] || fail "no $formula"

homepage=$(sed -n 's|^  homepage "https://github.com/\([^"/]*/[^"/]*\)"$|\1|p' "$formula")
[ -n "$homepage" ] || fail "$formula has no GitHub homepage"
org=${homepage%%/*} repo=${homepage#*/}
# `brew tap org/name` looks for github.com/org/homebrew-name; this repository
# is named without the prefix, so the tap is org/repo with the URL given.
tap=$org/${repo#homebrew-}
expected_tap="brew tap $tap https://github.com/$homepage"
expected_install="brew install $tap/$(basename "$formula" .rb)"

# check_lines WHERE LINES [partial]: every brew line in LINES is right; unless
# partial, both the tap and the install line are there.
check_lines() {
  local where=$1 lines=$2
  if [ -z "${3:-}" ]; then
    assert_contains "$lines" "$expected_tap" "$where"
    assert_contains "$lines" "$expected_install" "$where"
  fi
  local line words word
  while IFS= read -r line; do
    case $line in
    "brew tap "*) [ "$line" = "$expected_tap" ] || fail "$where: '$line' is not '$expected_tap'" ;;
    "brew install "*)
      # Every install names the formula fully qualified (options allowed).
      words=${line#brew install }
      for word in $words; do
        case $word in
        --*) ;;
        "$tap/xtc") ;;
        *) fail "$where: '$line' installs '$word', not '$tap/xtc' (Homebrew 6 refuses an untrusted tap's formula by its short name)" ;;
        esac
      done ;;
    esac
  done <<<"$lines"
}

readme=$(grep -E '^    brew ' README.md | sed 's/^    //; s/ *#.*//')
check_lines README.md "$readme"
# Prose mentions too: any `brew install …` in backquotes.
check_lines "README.md prose" "$(grep -o '`brew [a-z]* [^`]*`' README.md | tr -d '`')" partial
comment=$(sed -n 's/^#   \(brew .*\)/\1/p' "$formula")
check_lines "$formula's comment" "$comment"
ruby -e 'exit(File.read(ARGV[0])[/class (\w+) < Formula/, 1] == "Xtc" ? 0 : 1)' "$formula" ||
  fail "$formula does not define class Xtc"
echo "PASS: README, formula and release agree on: $expected_tap; $expected_install"
