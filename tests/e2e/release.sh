#!/usr/bin/env bash
# scripts/release in a scratch repository holding the current source: it
# versions, tags, archives deterministically and rewrites the formula; a
# second run for the same tag gives the same bytes; bad input is refused.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
: "${XTC_SOURCE_DIR:?}"
require_command git gzip tar ruby sha256sum

WORK=$(mktemp -d "${TMPDIR:-/tmp}/xtc-release.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=xtc GIT_AUTHOR_EMAIL=xtc@127.0.0.1
export GIT_COMMITTER_NAME=xtc GIT_COMMITTER_EMAIL=xtc@127.0.0.1
repo=$WORK/repo
mkdir "$repo"
(cd "$XTC_SOURCE_DIR" && git ls-files -co --exclude-standard -z |
  xargs -0 tar -cf - --ignore-failed-read 2>/dev/null) | tar -xf - -C "$repo"
cd "$repo"
git init -q -b main . && git add -A && git commit -q -m "source"

run() { set +e; "$@" >"$WORK/out" 2>"$WORK/err"; STATUS=$?; set -e; ERR=$(cat "$WORK/err"); }

run scripts/release 1.2
assert_eq "$STATUS" 2 "exit status for a bad version"
assert_eq "$ERR" "release: error: '1.2' is not a version MAJOR.MINOR.PATCH
release: hint: scripts/release 1.2.3"

echo "# local edit" >>README.md
run scripts/release 9.8.7
assert_eq "$STATUS" 1 "exit status with uncommitted changes"
assert_contains "$ERR" "release: error: the work tree has uncommitted changes"
git checkout -q README.md

run scripts/release 9.8.7
[ "$STATUS" -eq 0 ] || fail "scripts/release 9.8.7 exited $STATUS: $ERR"
tarball=dist/xtc-9.8.7.tar.gz
sha=$(sha256sum "$tarball" | cut -d' ' -f1)
assert_contains "$(cat "$WORK/out")" "sha256 $sha"
# The release channel's files: the tag's manifest and signature.
cmp -s dist/xtc.toml <(git show v9.8.7:manifests/xtc.toml) || fail "dist/xtc.toml is not the tag's manifest"
cmp -s dist/xtc.toml.minisig <(git show v9.8.7:manifests/xtc.toml.minisig) || fail "dist/xtc.toml.minisig is not the tag's"
# The install lines it prints are the README's.
readme_lines=$(grep -E '^    brew (tap|install) ' README.md | sed 's/^    //')
printed_lines=$(sed -n 's/^  \(brew .*\)/\1/p' "$WORK/out")
assert_eq "$printed_lines" "$readme_lines" "install lines printed by scripts/release"
assert_eq "$(git show v9.8.7:CMakeLists.txt | sed -n 's/^project(xtc VERSION \([0-9.]*\).*/\1/p')" 9.8.7 "version in the tag"
assert_eq "$(git log --format=%s -n 2 | paste -sd '|')" "Formula: xtc 9.8.7|xtc 9.8.7" "release commits"
assert_eq "$(git describe --exact-match HEAD~1)" v9.8.7 "tagged commit"
git diff --quiet || fail "scripts/release left uncommitted changes"
grep -qxF '  url "https://github.com/xtc-dev/xtc/archive/refs/tags/v9.8.7.tar.gz"' Formula/xtc.rb || fail "formula url not updated"
grep -qxF "  sha256 \"$sha\"" Formula/xtc.rb || fail "formula sha256 not updated"
ruby -c Formula/xtc.rb >/dev/null || fail "updated formula does not parse"
tar -tzf "$tarball" >"$WORK/list"
[ -z "$(grep -v '^xtc-9\.8\.7/' "$WORK/list")" ] || fail "archive entries outside xtc-9.8.7/"
grep -qx 'xtc-9.8.7/CMakeLists.txt' "$WORK/list" || fail "archive lacks CMakeLists.txt"
grep -q '^xtc-9.8.7/dist/' "$WORK/list" && fail "archive holds dist/"

# The same tag again: the same bytes, nothing new to commit.
head_before=$(git rev-parse HEAD)
rm -rf dist
sleep 1 # a clock-dependent archive would differ now
run scripts/release 9.8.7
[ "$STATUS" -eq 0 ] || fail "second scripts/release 9.8.7 exited $STATUS: $ERR"
assert_eq "$(sha256sum "$tarball" | cut -d' ' -f1)" "$sha" "sha256 of the second archive"
assert_eq "$(git rev-parse HEAD)" "$head_before" "HEAD after the second run"
echo "PASS: scripts/release versions, tags, archives reproducibly and updates the formula"
