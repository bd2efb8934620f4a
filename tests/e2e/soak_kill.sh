#!/usr/bin/env bash
# kill -9 at random moments: 20 rounds of scripts/soak-kill against the
# loopback mirror, with the musl sysroot (small, so the rounds are quick);
# after every kill the next add succeeds and the install is intact, file by
# file. A manual run covers the large GNU toolchains too:
#   scripts/soak-kill 100 x86_64-linux-musl x86_64-linux-musl \
#     x86_64-linux-musl x86_64-linux-musl aarch64-linux-gnu
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command python3 flock clang
e2e_setup
XTC_BIN=$XTC_BIN "$XTC_SOURCE_DIR/scripts/soak-kill" "${XTC_SOAK_ROUNDS:-20}" \
  x86_64-linux-musl | tee "$WORK/summary"
grep -q "all recovered" "$WORK/summary" || fail "soak-kill did not finish"
echo "PASS: xtc recovered from every kill"
