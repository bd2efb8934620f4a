#!/usr/bin/env bash
# Downloads against a misbehaving server (tests/e2e/fault_server.py): each
# scenario ends in success by retry, resume or fallback, with the unpacked
# tree identical to the archive, or in one clear error; either way the cache
# holds nothing unverified under a final name, no staging directory is left
# and a failure leaves the store unchanged.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault_lib.sh"
fault_setup

name=sysroot-x86_64-linux-musl
make_archive "$name"
file=$name.tar.xz

# scenario PLAN: a fresh home and a manifest whose one URL uses PLAN.
scenario() {
  fresh_home
  rm -f "$WORK/manifest.toml"
  manifest_entry x86_64-linux-musl musl "$@"
}

# Dropped connection (reset) mid-body: resumed with a Range request.
scenario "$FAULT/drop-400000,ok/$file"
add_target x86_64-linux-musl
assert_installed "$name"
[ "$(action drop-400000 | wc -l)" -eq 1 ] || fail "expected one dropped request"
action ok | grep -q " 206 bytes=[1-9][0-9]*-$" || fail "no resumed request: $(cat "$FAULT_STATE/requests.log")"

# A body shorter than its Content-Length (clean close): resumed.
scenario "$FAULT/short-300000,ok/$file"
add_target x86_64-linux-musl
assert_installed "$name"
requests "/$file" | sed -n 2p | grep -q " 206 bytes=300000-$" || fail "short body not resumed at 300000: $(cat "$FAULT_STATE/requests.log")"

# 503, then 429 with Retry-After, then success: retried.
scenario "$FAULT/503,429-1,ok/$file"
add_target x86_64-linux-musl
assert_installed "$name"
assert_eq "$(requests "/$file" | awk '{print $5}' | tr '\n' ' ')" "503 429 200 " "statuses"
# Retry-After: 1 was honoured (the next request came at least 1 s later).
awk '$5 == 429 {t = $2} $5 == 200 {if ($1 - t < 0.9) exit 1}' "$FAULT_STATE/requests.log" ||
  fail "Retry-After ignored: $(cat "$FAULT_STATE/requests.log")"

# A resume answered with 200 (Range ignored): the download and the
# extraction start over, the result is still exact.
scenario "$FAULT/drop-500000,norange/$file"
add_target x86_64-linux-musl
assert_installed "$name"
action norange | grep -q " 200 bytes=[1-9]" || fail "no ignored Range: $(cat "$FAULT_STATE/requests.log")"

# A stalled transfer: the low-speed limit (XTC_LOW_SPEED_TIME=1) aborts it,
# the retry resumes.
scenario "$FAULT/stall-200000,ok/$file"
add_target x86_64-linux-musl
assert_installed "$name"
action ok | grep -q " 206 bytes=200000-$" || fail "stall not resumed: $(cat "$FAULT_STATE/requests.log")"

# A redirect is followed.
scenario "$FAULT/redirect,ok/$file"
add_target x86_64-linux-musl
assert_installed "$name"

# The first mirror answers 404 (no retry), the second serves the file.
scenario "$FAULT/ok/missing-$file" "$FAULT/ok/$file"
add_target x86_64-linux-musl
assert_installed "$name"
[ "$(requests missing- | wc -l)" -eq 1 ] || fail "a 404 was retried"
assert_contains "$ERR" "xtc: warning: cannot download '$name' from '$FAULT/ok/missing-$file': HTTP 404 Not Found; trying the next mirror"

# An interrupted earlier run left a .part: only the rest is requested, and
# the extraction still sees the whole archive.
scenario "$FAULT/ok/$file"
mark_home && mkdir -p "$XTC_HOME/cache"
head -c 600000 "$WORK/files/$file" >"$XTC_HOME/cache/$ARCHIVE_SHA.part"
add_target x86_64-linux-musl
assert_installed "$name"
assert_eq "$(requests "/$file" | awk '{print $5, $6}')" "206 bytes=600000-" "resumed request"

# A complete .part is verified, not requested again.
scenario "$FAULT/ok/$file"
mark_home && mkdir -p "$XTC_HOME/cache"
cp "$WORK/files/$file" "$XTC_HOME/cache/$ARCHIVE_SHA.part"
add_target x86_64-linux-musl
assert_installed "$name"
assert_eq "$(requests "/$file" | wc -l)" 0 "requests for a complete .part"

# Wrong bytes of the right length: one error naming artifact, URL and both
# digests; nothing installed, nothing kept.
scenario "$FAULT/wrong/$file"
add_target x86_64-linux-musl
assert_eq "$STATUS" 1 "exit status"
got=$(python3 -c 'import sys,hashlib; d=open(sys.argv[1],"rb").read(); print(hashlib.sha256(bytes(b ^ 0x5A for b in d)).hexdigest())' "$WORK/files/$file")
assert_eq "$(printf '%s\n' "$ERR" | grep '^xtc: error:')" \
  "xtc: error: checksum mismatch for '$name' from '$FAULT/wrong/$file': expected $ARCHIVE_SHA, got $got"
assert_store_unchanged
assert_absent "$XTC_HOME/cache/$ARCHIVE_SHA.part"

# A server that keeps failing: retried, then one clear error.
scenario "$FAULT/500/$file"
add_target x86_64-linux-musl
assert_eq "$STATUS" 1 "exit status"
assert_eq "$(printf '%s\n' "$ERR" | grep '^xtc: error:')" \
  "xtc: error: cannot download '$name' from '$FAULT/500/$file': HTTP 500 Internal Server Error"
assert_eq "$(requests "/$file" | wc -l)" 4 "attempts"
assert_store_unchanged

# The connection keeps dropping: the bytes that did arrive stay as a .part
# for the next run, which completes the download.
scenario "$FAULT/drop-250000/$file"
add_target x86_64-linux-musl
assert_eq "$STATUS" 1 "exit status"
assert_contains "$ERR" "xtc: error: cannot download '$name' from '$FAULT/drop-250000/$file'"
assert_store_unchanged
[ -s "$XTC_HOME/cache/$ARCHIVE_SHA.part" ] || fail "partial download not kept"
sed -i "s#$FAULT/drop-250000/#$FAULT/ok/#" "$WORK/manifest.toml"
add_target x86_64-linux-musl
assert_installed "$name"
echo "PASS: downloads survive faults or fail cleanly"
