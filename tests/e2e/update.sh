#!/usr/bin/env bash
# `xtc update`: the newest signed manifest from the channel (XTC_CHANNEL or
# `channel` in $XTC_HOME/config.toml) becomes the default manifest when it is
# newer than the one shipped with xtc; it says what changed for this host,
# refuses a replayed, altered or unsigned manifest (keeping the one in use),
# and `xtc target list` says how old the manifest in use is.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_setup

served=t-update-$$
serve_dir=$XTC_TEST_MIRROR_DIR/$served
mkdir -p "$serve_dir/channel"
trap 'rm -rf "$serve_dir"; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
channel=$XTC_TEST_MIRROR/$served/channel/xtc.toml
shipped=$(dirname "$(dirname "$XTC_BIN")")/share/xtc/manifests/xtc.toml
[ -f "$shipped" ] || fail "the build tree has no shipped manifest at $shipped"
unset XTC_MANIFEST
export XTC_CHANNEL=$channel
today=$(date -u +%F)
now=$(date +%s)

# publish FILE TIMESTAMP: FILE, signed with the test key at TIMESTAMP, as the
# channel's manifest.
publish() {
  cp "$1" "$serve_dir/channel/xtc.toml"
  "$XTC_SOURCE_DIR/scripts/sign-manifest" --timestamp "$2" \
    "$XTC_SOURCE_DIR/tests/data/minisign/test.key" "$serve_dir/channel/xtc.toml" >/dev/null
}
saved_copy() { cat "$XTC_HOME"/manifests/saved/* 2>/dev/null; }

# Never updated: the shipped manifest, and its age.
xtc_ok target list
assert_contains "$ERR" "manifest '$shipped': signed 20"

# Not signed, then not reachable: one error each, nothing saved.
cp "$XTC_TEST_MIRROR_DIR/manifest.toml" "$serve_dir/channel/xtc.toml"
run_xtc update
assert_eq "$STATUS" 1 "exit status for an unsigned channel manifest"
assert_contains "$(printf '%s\n' "$ERR" | grep '^xtc: error:')" \
  "xtc: error: manifest '$channel' is not signed: "
XTC_CHANNEL=$XTC_TEST_MIRROR/$served/nowhere/xtc.toml run_xtc update
assert_eq "$STATUS" 1 "exit status for a channel that is not there"
assert_eq "$(printf '%s\n' "$ERR" | grep -c '^xtc: error:')" 1 "error lines"
[ -z "$(saved_copy)" ] || fail "a refused manifest was saved"
XTC_OFFLINE=1 run_xtc update
assert_eq "$STATUS" 2 "exit status of update with XTC_OFFLINE=1"
assert_eq "$(printf '%s\n' "$ERR" | grep '^xtc: error:')" \
  "xtc: error: xtc update downloads the manifest, and XTC_OFFLINE forbids downloading"

# v1: the mirror's manifest. Newer than the shipped one, so it becomes the
# default: target add installs from it.
v1=$WORK/v1.toml
cp "$XTC_TEST_MIRROR_DIR/manifest.toml" "$v1"
publish "$v1" $((now - 100))
xtc_ok update
assert_contains "$OUT" "added    sysroot for x86_64-linux-musl: 1.2.3, musl 1.2.3"
assert_contains "$ERR" "updated manifest from $channel, signed $today: "
xtc_ok target list
assert_contains "$ERR" "manifest '$channel': signed $today, today"
xtc_ok target add x86_64-linux-musl --no-config --no-rustup
assert_contains "$ERR" "added x86_64-linux-musl"

# v2: one sysroot moves to a new version, another is gone.
v2=$WORK/v2.toml
awk '
  /^\[\[artifact\]\]/ { flush(); block = $0 "\n"; next }
  { block = block $0 "\n" }
  function flush() {
    if (block ~ /id = "sysroot-aarch64-linux-musl"\n/) { block = ""; return }
    if (block ~ /id = "sysroot-x86_64-linux-musl"\n/) sub(/version = "1.2.3"/, "version = \"1.2.4\"", block)
    printf "%s", block; block = ""
  }
  END { flush() }' "$v1" >"$v2"
publish "$v2" "$now"
xtc_ok update
assert_eq "$OUT" "updated  sysroot for x86_64-linux-musl: 1.2.3, musl 1.2.3 -> 1.2.4, musl 1.2.3
removed  sysroot for aarch64-linux-musl: 1.2.3, musl 1.2.3" "the changes from v1 to v2"
assert_contains "$ERR" ": 2 changes for this host"
xtc_ok update
assert_eq "$OUT" "" "stdout of an update that changes nothing"
assert_contains "$ERR" "the manifest is up to date (signed $today)"
kept=$(saved_copy)

# A replayed v1, an altered v2: refused, the saved v2 kept.
publish "$v1" $((now - 100))
run_xtc update
assert_eq "$STATUS" 1 "exit status for a replayed manifest"
assert_contains "$ERR" "replayed or downgraded"
publish "$v2" "$now"
printf '# changed\n' >>"$serve_dir/channel/xtc.toml"
run_xtc update
assert_eq "$STATUS" 1 "exit status for an altered manifest"
assert_eq "$(printf '%s\n' "$ERR" | grep -c '^xtc: error:')" 1 "error lines"
[ "$(saved_copy)" = "$kept" ] || fail "a refused manifest replaced the saved one"

# The channel from $XTC_HOME/config.toml; an unknown key there is an error.
publish "$v2" "$now"
unset XTC_CHANNEL
printf 'channel = "%s"\n' "$channel" >"$XTC_HOME/config.toml"
xtc_ok update
assert_contains "$ERR" "the manifest is up to date"
printf 'chanel = "%s"\n' "$channel" >"$XTC_HOME/config.toml"
run_xtc update
assert_eq "$STATUS" 1 "exit status for a misspelt setting"
assert_eq "$(printf '%s\n' "$ERR" | grep '^xtc: error:')" \
  "xtc: error: settings file '$XTC_HOME/config.toml': unknown key 'chanel'"
printf 'channel = "%s"\n' "$channel" >"$XTC_HOME/config.toml"

# A saved copy altered on disk: refused, with the way to repair it.
file=$(ls "$XTC_HOME"/manifests/saved/*)
sed -i 's/1\.2\.4/1.2.5/' "$file"
run_xtc target add x86_64-linux-musl --no-config --no-rustup
assert_eq "$STATUS" 1 "exit status with a damaged saved manifest"
assert_contains "$ERR" "xtc: error: the manifest saved by 'xtc update' is damaged: "
assert_contains "$ERR" "xtc: hint: run 'xtc update' to fetch it again"
xtc_ok update
xtc_ok target list
assert_contains "$ERR" "manifest '$channel': signed $today, today"
echo "PASS: xtc update fetches, verifies, saves and compares the channel's manifest"
