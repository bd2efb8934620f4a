#!/usr/bin/env bash
# One command's artifacts download in parallel, bounded by --jobs: with
# three sysroots behind a gate that opens only once three requests are in
# flight together, `target add` of three targets succeeds and the server log
# shows the three requests overlapping. With --jobs 1 no two requests
# overlap.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fault_lib.sh"
fault_setup

targets="x86_64-linux-musl aarch64-linux-musl x86_64-linux-gnu"
for t in $targets; do
  make_archive "sysroot-$t"
  case $t in *musl) libc=musl ;; *) libc=glibc ;; esac
  manifest_entry "$t" "$libc" "$FAULT/gate-3/sysroot-$t.tar.xz"
done

add_target $targets
for t in $targets; do
  assert_installed "sysroot-$t"
  assert_contains "$ERR" "added $t (llvm flavor, "
done
log=$FAULT_STATE/requests.log
assert_eq "$(awk '$4 == "gate-3" && $5 == 200' "$log" | wc -l)" 3 "gated requests served"
# Every request started before any of them ended.
awk 'NR == 1 {s = $1; e = $2} {if ($1 > s) s = $1; if ($2 < e) e = $2} END {exit !(s < e)}' "$log" ||
  fail "requests did not overlap: $(cat "$log")"

# --jobs 1: one download at a time, so no two requests overlap.
fresh_home
sed -i 's#/gate-3/#/ok/#' "$WORK/manifest.toml"
sign_test_manifest "$WORK/manifest.toml"
run_xtc --manifest "$WORK/manifest.toml" target add $targets --jobs 1 --flavor llvm --no-config --no-rustup
for t in $targets; do assert_installed "sysroot-$t"; done
sort -n "$log" | awk 'NR > 1 && $1 < end {exit 1} {end = $2}' ||
  fail "requests overlapped with --jobs 1: $(cat "$log")"
echo "PASS: artifacts of one command download in parallel, bounded by --jobs"
