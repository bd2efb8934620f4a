#!/usr/bin/env bash
# A manifest from a URL, offline: xtc saves each verified URL manifest, and
# with --offline (or XTC_OFFLINE=1) uses that copy, checked again, instead of
# the network. Never fetched: one clear error, nothing requested. A copy
# altered on disk is refused like an altered download. `xtc install
# --offline` works the same way.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command clang
e2e_setup

# The mirror's manifest under a URL only this test uses, so the access log
# shows this test's manifest requests.
marker=offline-$$-$RANDOM
url="$XTC_TEST_MIRROR/manifest.toml?$marker"
export XTC_MANIFEST=$url
requests() { grep -c "$marker" "$XTC_TEST_ACCESS_LOG" || true; }
add() { run_xtc target add "$@" --no-config --no-rustup; }

# 1. Never fetched: refused before anything is requested or written.
add x86_64-linux-musl --offline
assert_eq "$STATUS" 1 "exit status offline without a saved manifest"
assert_eq "$(printf '%s\n' "$ERR" | grep '^xtc: error:')" \
  "xtc: error: manifest '$url' has never been downloaded, and --offline forbids downloading it"
assert_contains "$ERR" "xtc: hint: run the command once without --offline"
assert_eq "$(requests)" 0 "manifest requests while offline"
assert_absent "$XTC_HOME/toolchains/sysroot-x86_64-linux-musl"

# 2. Online: manifest and signature fetched once each, the copy saved.
add x86_64-linux-musl
[ "$STATUS" -eq 0 ] || fail "online add failed: $ERR"
assert_eq "$(requests)" 2 "manifest requests online (manifest and signature)"
saved=("$XTC_HOME"/manifests/saved/*)
assert_eq "${#saved[@]}" 1 "saved manifests"
head -n 1 "${saved[0]}" | grep -q "^xtc-saved-manifest 1 [0-9]* $url\$" ||
  fail "saved manifest header: $(head -n 1 "${saved[0]}")"

# 3. Offline, through XTC_OFFLINE too: installed from the saved manifest and
#    the download cache, with no request.
xtc_ok target remove x86_64-linux-musl
XTC_OFFLINE=1 run_xtc -v target add x86_64-linux-musl --no-config --no-rustup
[ "$STATUS" -eq 0 ] || fail "offline add failed: $ERR"
assert_contains "$ERR" "manifest '$url': offline, using the copy saved in '${saved[0]}'"
assert_contains "$ERR" "sysroot-x86_64-linux-musl: verified, unpacked from the cache"
assert_eq "$(requests)" 2 "manifest requests after the offline add"
"$XTC_SOURCE_DIR/scripts/check-install" "$XTC_HOME" x86_64-linux-musl >/dev/null

# 4. `xtc install --offline`: what the cache holds installs, what it lacks
#    is one clear error.
mkdir -p "$WORK/project" && cd "$WORK/project"
printf '[targets]\nx86_64-linux-musl = {}\n' >xtc.toml
xtc_ok target remove x86_64-linux-musl
xtc_ok install --offline
assert_contains "$ERR" "installed x86_64-linux-musl"
printf '[targets]\naarch64-linux-musl = {}\n' >xtc.toml
run_xtc install --offline
assert_eq "$STATUS" 1 "exit status of an offline install of an uncached artifact"
assert_eq "$(printf '%s\n' "$ERR" | grep '^xtc: error:')" \
  "xtc: error: 'sysroot-aarch64-linux-musl' is not in the download cache and --offline forbids downloading it"
assert_absent "$XTC_HOME/toolchains/sysroot-aarch64-linux-musl"
assert_eq "$(requests)" 2 "manifest requests after the offline installs"
cd "$WORK"

# 5. The saved copy is not trusted: altered text, or a damaged header, is
#    refused with one error line and installs nothing.
xtc_ok target remove x86_64-linux-musl
cp "${saved[0]}" "$WORK/saved.good"
printf '\n[[artifact]]\n' >>"${saved[0]}"
add x86_64-linux-musl --offline
assert_eq "$STATUS" 1 "exit status with an altered saved manifest"
assert_contains "$(printf '%s\n' "$ERR" | grep '^xtc: error:')" \
  "xtc: error: bad signature for manifest '$url': its content does not match '${saved[0]}'"
assert_absent "$XTC_HOME/toolchains/sysroot-x86_64-linux-musl"
printf 'garbage\n' >"${saved[0]}"
add x86_64-linux-musl --offline
assert_eq "$STATUS" 1 "exit status with a damaged saved manifest"
assert_eq "$(printf '%s\n' "$ERR" | grep '^xtc: error:')" \
  "xtc: error: saved manifest '${saved[0]}' is damaged"
assert_eq "$(requests)" 2 "manifest requests after the refused copies"
# Online again, the copy is replaced by the verified download.
add x86_64-linux-musl
[ "$STATUS" -eq 0 ] || fail "online add after a damaged copy failed: $ERR"
cmp -s "${saved[0]}" "$WORK/saved.good" || fail "the saved manifest was not restored"

# 6. XTC_OFFLINE must say yes or no.
XTC_OFFLINE=maybe run_xtc target add x86_64-linux-musl --no-config --no-rustup
assert_eq "$STATUS" 1 "exit status with XTC_OFFLINE=maybe"
assert_eq "$(printf '%s\n' "$ERR" | grep '^xtc: error:')" \
  "xtc: error: XTC_OFFLINE 'maybe' is neither on nor off"
echo "PASS: URL manifests offline: refused unseen, saved when verified, checked when used"
