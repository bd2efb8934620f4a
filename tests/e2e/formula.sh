#!/usr/bin/env bash
# The Homebrew formula, as far as it can run without brew: Ruby parses it, its
# metadata has the dependency types the build needs, and its own `install`
# and `test do` blocks run for real (tests/formula/formula_env.rb plays
# Homebrew): CMake with exactly std_cmake_args' flags into a temporary
# prefix, the completions from the installed xtc, then the formula's test
# against the installed binary, which must find its shim in libexec.
#
# The build directory is kept between runs under the test build tree and the
# staged source is updated file by file, so a rerun rebuilds only what changed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
: "${XTC_SOURCE_DIR:?}" "${XTC_E2E_STATE:?}"
require_command ruby cmake make python3 flock tar

src=$XTC_SOURCE_DIR
formula=$src/Formula/xtc.rb
env_rb=$src/tests/formula/formula_env.rb
cache=$(dirname "$XTC_E2E_STATE")/formula
WORK=$(mktemp -d "${TMPDIR:-/tmp}/xtc-formula.XXXXXX")
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

# 1. Ruby accepts it, and it says what Homebrew needs to know.
ruby -c "$formula" >/dev/null || fail "ruby -c $formula"
ruby "$env_rb" "$formula" describe >"$WORK/spec.json"
python3 - "$WORK/spec.json" <<'EOF' || fail "formula metadata"
import json, re, sys
spec = json.load(open(sys.argv[1]))
def check(ok, what):
    if not ok:
        sys.exit(f"formula: {what}: {json.dumps(spec, indent=1)}")
check(spec["homepage"] == "https://github.com/xtc-dev/xtc", "homepage")
check(re.fullmatch(r"https://github\.com/xtc-dev/xtc/archive/refs/tags/v"
                   r"(\d+\.\d+\.\d+)\.tar\.gz", spec["url"]), "url")
check(re.fullmatch(r"[0-9a-f]{64}", spec["sha256"]), "sha256")
check(spec["license"] == "MIT", "license")
check(spec["head"] == {"url": "https://github.com/xtc-dev/xtc.git",
                       "branch": "main"}, "head")
check(spec["desc"] and not spec["desc"].endswith("."), "desc")
deps = spec["depends_on"]
expected = {"cmake": ["build"], "cli11": ["build"], "nlohmann-json": ["build"],
            # shared libraries in Homebrew: needed at run time
            "fmt": [], "libarchive": [], "openssl@3": [], "tomlplusplus": []}
check(deps == expected, "depends_on")
check([u["name"] for u in spec["uses_from_macos"]] == ["curl"], "uses_from_macos")
check('export PATH="$HOME/.xtc/bin:$PATH"' in spec["caveats"].splitlines()[-1],
      "caveats")
check(spec["has_test"], "test do")
EOF
version=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$WORK/spec.json")
cmake_version=$(sed -n 's/^project(xtc VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
assert_eq "$version" "$cmake_version" "formula version vs CMakeLists.txt"
# Once released, the formula's sha256 is that of the tag's archive, made the
# way scripts/release makes it.
if git -C "$src" rev-parse -q --verify "refs/tags/v$version" >/dev/null 2>&1; then
  tag_sha=$(git -C "$src" archive --format=tar --prefix="xtc-$version/" "v$version" |
    gzip -cn | sha256sum | cut -d' ' -f1)
  grep -qxF "  sha256 \"$tag_sha\"" "$formula" ||
    fail "the formula's sha256 is not that of v$version's archive (run scripts/release $version)"
fi

# 2. The formula's install, from a staged copy of the source (what Homebrew
#    unpacks), into a fresh prefix.
mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9
buildpath=$cache/src
prefix=$cache/prefix
mkdir -p "$buildpath"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git -C "$src" ls-files -co --exclude-standard -z >"$WORK/files"
else
  (cd "$src" && find . -path ./build -prune -o -type f -print0) >"$WORK/files"
fi
while IFS= read -r -d '' f; do
  [ -f "$src/$f" ] || continue # deleted but still in the index
  if ! cmp -s "$src/$f" "$buildpath/$f"; then
    mkdir -p "$(dirname "$buildpath/$f")"
    cp "$src/$f" "$buildpath/$f"
  fi
done <"$WORK/files"
# Files gone from the source go from the copy too (the build dir stays).
(cd "$buildpath" && find . -path ./build -prune -o -type f -print0) |
  while IFS= read -r -d '' f; do
    f=${f#./}
    grep -qzxF -- "$f" "$WORK/files" || rm -f "$buildpath/$f"
  done
rm -rf "$prefix"
if ! (env -u XTC_SHIM_BINARY -u XTC_MANIFEST -u XTC_HOME -u CMAKE_GENERATOR \
  ruby "$env_rb" "$formula" install "$buildpath" "$prefix") >"$cache/install.log" 2>&1; then
  tail -n 40 "$cache/install.log" >&2
  fail "the formula's install failed (log: $cache/install.log)"
fi

cache_value() { sed -n "s/^$1:[A-Z]*=//p" "$buildpath/build/CMakeCache.txt"; }
assert_eq "$(cache_value CMAKE_BUILD_TYPE)" Release "CMAKE_BUILD_TYPE"
assert_eq "$(cache_value BUILD_TESTING)" OFF "BUILD_TESTING"
assert_eq "$(cache_value CMAKE_UNITY_BUILD)" ON "CMAKE_UNITY_BUILD"
assert_eq "$(cache_value CMAKE_INSTALL_PREFIX)" "$prefix" "CMAKE_INSTALL_PREFIX"
[ ! -e "$buildpath/build/tests/xtc_unit_tests" ] || fail "the formula build compiled the tests"
grep -q -- "-DCMAKE_BUILD_TYPE=Release" "$cache/install.log" || fail "std_cmake_args not passed"
for f in bin/xtc libexec/xtc/xtc-shim etc/bash_completion.d/xtc \
  share/zsh/site-functions/_xtc share/fish/vendor_completions.d/xtc.fish; do
  [ -s "$prefix/$f" ] || fail "the install lacks $f"
done
bash -n "$prefix/etc/bash_completion.d/xtc" || fail "bash completion does not parse"
assert_eq "$("$prefix/bin/xtc" --version)" "xtc $version" "xtc --version"

# 3. The formula's test block against the installed xtc, with nothing of the
#    build tree in reach.
mkdir "$WORK/testpath"
env -u XTC_SHIM_BINARY -u XTC_MANIFEST -u XTC_HOME PATH=/usr/bin:/bin \
  ruby "$env_rb" "$formula" test "$prefix" "$WORK/testpath" >"$WORK/test.log" 2>&1 ||
  { cat "$WORK/test.log" >&2; fail "the formula's test block failed"; }
cmp -s "$WORK/testpath/xtc-home/bin/.xtc-shim" "$prefix/libexec/xtc/xtc-shim" ||
  fail "the installed xtc did not take its shim from $prefix/libexec/xtc"
echo "PASS: the formula parses, installs with std_cmake_args and passes its test"
