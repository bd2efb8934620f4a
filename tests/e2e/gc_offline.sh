#!/usr/bin/env bash
# The download cache: `--offline` installs from it and fails clearly without
# it; `xtc gc` removes cache entries no installed artifact uses, abandoned
# partial downloads and leftover staging directories, and says what it freed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault_lib.sh"
fault_setup

for t in x86_64-linux-musl aarch64-linux-musl; do
  make_archive "sysroot-$t"
  manifest_entry "$t" musl "$FAULT/ok/sysroot-$t.tar.xz"
done
musl_sha=$(sha256sum "$WORK/files/sysroot-x86_64-linux-musl.tar.xz" | cut -d' ' -f1)

# Offline with an empty cache: one clear error, nothing requested.
add_target x86_64-linux-musl --offline
assert_eq "$STATUS" 1 "exit status"
assert_eq "$(printf '%s\n' "$ERR" | grep '^xtc: error:')" \
  "xtc: error: 'sysroot-x86_64-linux-musl' is not in the download cache and --offline forbids downloading it"
assert_contains "$ERR" "xtc: hint: run the command once without --offline"
assert_store_unchanged
assert_eq "$(wc -l <"$FAULT_STATE/requests.log")" 0 "requests while offline"

# Online, then removed, then offline again: installed from the cache.
add_target x86_64-linux-musl aarch64-linux-musl
assert_installed sysroot-x86_64-linux-musl
xtc_ok target remove x86_64-linux-musl
: >"$FAULT_STATE/requests.log"
add_target x86_64-linux-musl --offline
assert_installed sysroot-x86_64-linux-musl
assert_contains "$ERR" "sysroot-x86_64-linux-musl: verified, unpacked from the cache"
assert_eq "$(wc -l <"$FAULT_STATE/requests.log")" 0 "requests while offline"

# gc: the removed target's archive stays (reinstalled), the other too; an
# unused entry, an abandoned .part and a dead staging directory go.
head -c 5000 /dev/urandom >"$XTC_HOME/cache/$(printf '%064d' 7)"
head -c 3000 /dev/urandom >"$XTC_HOME/cache/$(printf '%064d' 8).part"
mkdir -p "$XTC_HOME/tmp/xtc-stage.sysroot-dead-XXXX/usr"
head -c 2000 /dev/urandom >"$XTC_HOME/tmp/xtc-stage.sysroot-dead-XXXX/usr/f"
: >"$XTC_HOME/tmp/xtc-stage.sysroot-dead-XXXX.lock"
xtc_ok target remove aarch64-linux-musl
freed=$(($(stat -c %s "$WORK/files/sysroot-aarch64-linux-musl.tar.xz") + 5000 + 3000 + 2000))
report="$(awk "BEGIN {printf \"%.1f MiB\", $freed / 1048576}") (3 cache entries, 2.0 KiB of staging directories)"
# --dry-run: the same findings, nothing removed.
before=$(cd "$XTC_HOME" && find cache tmp | sort)
xtc_ok gc --dry-run
assert_eq "$OUT" "would free $report" "gc --dry-run report"
assert_eq "$(cd "$XTC_HOME" && find cache tmp | sort)" "$before" "cache and staging after gc --dry-run"
xtc_ok gc
assert_eq "$OUT" "freed $report" "gc report"
assert_eq "$(ls "$XTC_HOME/cache")" "$musl_sha" "cache after gc"
assert_absent "$XTC_HOME/tmp/xtc-stage.sysroot-dead-XXXX"
xtc_ok gc
assert_eq "$OUT" "freed 0 B (0 cache entries, 0 B of staging directories)" "second gc"
[ -d "$XTC_HOME/toolchains/sysroot-x86_64-linux-musl" ] || fail "gc removed an install"
echo "PASS: offline installs come from the cache; gc frees what nothing uses, and says what it would free"
