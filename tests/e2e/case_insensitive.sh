#!/usr/bin/env bash
# XTC_HOME on a file system that ignores case, as a default macOS disk
# (APFS) does, here a FUSE passthrough that folds case (casefold_fs.c).
# Linux's headers come in pairs whose names differ only in case
# (linux/netfilter/xt_CONNMARK.h and xt_connmark.h): `target add` of the
# glibc sysroot succeeds with one warning that counts them, a hello world
# compiles, links and runs, and `xtc doctor` finds the install healthy.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command cc pkg-config fusermount3 clang ld.lld
pkg-config --exists fuse3 || missing "libfuse3-dev (pkg-config fuse3)"
[ -c /dev/fuse ] || missing "/dev/fuse"
e2e_setup

cc -O2 -Wall -o "$WORK/casefold_fs" "$XTC_SOURCE_DIR/tests/e2e/casefold_fs.c" \
  $(pkg-config --cflags --libs fuse3)
mkdir -p "$WORK/backing" "$WORK/home"
"$WORK/casefold_fs" "$WORK/backing" "$WORK/home" ||
  missing "a FUSE mount (casefold_fs could not mount)"
trap 'fusermount3 -u "$WORK/home" 2>/dev/null || fusermount3 -uz "$WORK/home"; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
# The mount folds case, as the test needs.
echo probe >"$WORK/home/Probe"
[ "$(cat "$WORK/home/PROBE")" = probe ] || fail "the FUSE mount does not fold case"
rm "$WORK/home/probe"
# As on a real disk, fchmod and futimens reach the open file even after its
# name was unlinked by another spelling and created again (xtc's writer
# thread finishes a file while the extractor replaces it).
python3 - "$WORK/home" <<'PY' || fail "the FUSE mount applies fchmod to a path, not to the open file"
import os, sys
home = sys.argv[1]
old = os.open(home + "/Pair.h", os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
os.unlink(home + "/pair.h")
new = os.open(home + "/pair.h", os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
os.fchmod(old, 0o755)
os.utime(old, (0, 0))
assert os.stat(home + "/pair.h").st_mode & 0o777 == 0o600
os.close(old); os.close(new); os.unlink(home + "/pair.h")
PY

xtc_ok --verbose target add x86_64-linux-gnu --flavor llvm --no-config --no-rustup
warning=$(printf '%s\n' "$ERR" | grep '^xtc: warning: sysroot-x86_64-linux-gnu: ' || true)
[ -n "$warning" ] || fail "no warning about names that differ only in case: $ERR"
count=$(printf '%s\n' "$warning" | sed -n 's/^xtc: warning: sysroot-x86_64-linux-gnu: \([0-9]*\) names\{0,1\} .*/\1/p')
[ "${count:-0}" -ge 4 ] || fail "expected the netfilter pairs to collide, got: $warning"
assert_contains "$warning" "differ only in case from an earlier entry; this file system ignores case, so the later of each was kept"
assert_contains "$ERR" "netfilter/xt_connmark.h (was usr/include/linux/netfilter/xt_CONNMARK.h)"
# Exactly one of each pair is on disk, and it is the one the receipt lists.
root=$XTC_HOME/toolchains/sysroot-x86_64-linux-gnu
n=$(ls "$WORK/backing/toolchains/sysroot-x86_64-linux-gnu/usr/include/linux/netfilter" | grep -ic '^xt_connmark\.h$')
assert_eq "$n" 1 "xt_connmark.h spellings on disk"
receipt_names=$(grep -io "[\"']usr/include/linux/netfilter/xt_connmark\\.h[\"']" "$root/receipt.toml" | tr -d "\"'" || true)
on_disk=$(cd "$WORK/backing/toolchains/sysroot-x86_64-linux-gnu" && ls usr/include/linux/netfilter/ | grep -i '^xt_connmark\.h$')
assert_eq "$receipt_names" "usr/include/linux/netfilter/$on_disk" "the receipt's spelling"

# The toolchain works from there.
cat >"$WORK/hello.c" <<'C'
#include <linux/netfilter/xt_connmark.h>
#include <stdio.h>
int main(void) { printf("hello %d\n", XT_CONNMARK_SET); return 0; }
C
x86_64-linux-gnu-gcc "$WORK/hello.c" -o "$WORK/hello" ||
  fail "compiling against the case-folded sysroot failed"
assert_eq "$("$WORK/hello")" "hello 0" "the program's output"

run_xtc doctor x86_64-linux-gnu
[ "$STATUS" -eq 0 ] || fail "doctor on a case-folded install exited $STATUS: $OUT $ERR"
assert_contains "$OUT" "ok    x86_64-linux-gnu: files: "
assert_contains "$OUT" "ok    x86_64-linux-gnu: hello: hello world compiled and ran natively"

# A second add finds the install whole: nothing to repair.
run_xtc --verbose target add x86_64-linux-gnu --flavor llvm --no-config --no-rustup
[ "$STATUS" -eq 0 ] || fail "a second add failed: $ERR"
assert_contains "$ERR" "sysroot-x86_64-linux-gnu"
assert_contains "$ERR" "is already installed"
echo "PASS: a case-insensitive XTC_HOME installs, builds and checks healthy"
