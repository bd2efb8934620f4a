#!/usr/bin/env bash
# `xtc check` on real binaries: what a program needs (machine and ABI,
# linking, interpreter, libraries, the highest symbol version of each
# family), whether it fits a target's glibc floor (exit 1 naming the
# symbols when not), hard-float Arm objects, a static musl program, static
# archives, and malformed files (one error line each).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command cc clang ld.lld readelf python3
e2e_setup
cd "$WORK"
printf '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n' >hello.c

# The host's glibc is bookworm's 2.36: a program linked here needs
# __libc_start_main@GLIBC_2.34.
cc hello.c -o host-hello
xtc_ok check host-hello
assert_contains "$OUT" "host-hello: x86_64, 64-bit LSB, dynamically linked executable"
assert_contains "$OUT" "  interpreter  /lib64/ld-linux-x86-64.so.2"
assert_contains "$OUT" "  needed       libc.so.6"
assert_contains "$OUT" "  requires     GLIBC_2.34"
check_elf x86_64-linux-gnu.2.36 host-hello
run_xtc check host-hello --target x86_64-linux-gnu.2.31
assert_eq "$STATUS" 1 "exit status for a program too new for glibc 2.31"
assert_contains "$OUT" "  does not fit x86_64-linux-gnu.2.31: it needs GLIBC_2.34, newer than glibc 2.31, for __libc_start_main@GLIBC_2.34"
assert_eq "$ERR" "xtc: error: a file does not fit its target (see above)
xtc: hint: build against an older glibc (a pinned target such as x86_64-linux-gnu.2.28, or the zig flavor), or check against the target you meant"
xtc_ok check host-hello --why GLIBC_2.34
assert_contains "$OUT" "  GLIBC_2.34 for     __libc_start_main"
# The project's pin is the floor when no --target is given.
printf '[targets]\nx86_64-linux-gnu = { libc_version = "2.28" }\n' >xtc.toml
run_xtc check host-hello
assert_eq "$STATUS" 1 "exit status against the pinned floor"
assert_contains "$OUT" "does not fit x86_64-linux-gnu.2.28"
rm xtc.toml
run_xtc check host-hello --target aarch64-linux-gnu
assert_eq "$STATUS" 1
assert_contains "$OUT" "does not fit aarch64-linux-gnu: it is for x86_64 (64-bit), not aarch64"

# Through the shims: a static and a dynamic musl program, an aarch64 one.
xtc_ok target add x86_64-linux-musl aarch64-linux-gnu --no-config --no-rustup
x86_64-linux-musl-gcc -static hello.c -o musl-static
xtc_ok check musl-static --target x86_64-linux-musl
assert_contains "$OUT" "musl-static: x86_64, 64-bit LSB, statically linked executable"
assert_contains "$OUT" "  fits         x86_64-linux-musl"
run_xtc check host-hello --target x86_64-linux-musl
assert_eq "$STATUS" 1
assert_contains "$OUT" "it is linked against glibc (interpreter /lib64/ld-linux-x86-64.so.2), and x86_64-linux-musl has musl"
x86_64-linux-musl-gcc hello.c -o musl-dynamic
run_xtc check musl-dynamic --target x86_64-linux-gnu
assert_eq "$STATUS" 1
assert_contains "$OUT" "it is linked against musl (interpreter /lib/ld-musl-x86_64.so.1)"
aarch64-linux-gnu-gcc hello.c -o arm64-hello
check_elf aarch64-linux-gnu arm64-hello
xtc_ok check --json arm64-hello
printf '%s' "$OUT" | python3 "$XTC_SOURCE_DIR/tests/e2e/json_shape.py" \
  "$XTC_SOURCE_DIR/docs/json.md" "xtc check FILE… --json" || fail "check --json against docs/json.md"
python3 - "$OUT" <<'PY' || fail "check --json shape"
import json, sys
doc = json.loads(sys.argv[1])
f = doc["files"][0]
assert f["path"] == "arm64-hello" and f["archive"] is False and f["fits"] is None, f
o = f["objects"][0]
assert o["machine"] == "aarch64" and o["bits"] == 64, o
assert o["interpreter"] == "/lib/ld-linux-aarch64.so.1", o
assert "GLIBC" in o["highest"] and o["needed"] == ["libc.so.6"], o
PY

# Static archives: every member judged.
aarch64-linux-gnu-gcc -c hello.c -o a.o
aarch64-linux-gnu-ar rcs libhello.a a.o
xtc_ok check libhello.a --target aarch64-linux-gnu
assert_contains "$OUT" "libhello.a: static archive of 1 object: aarch64"
run_xtc check libhello.a --target x86_64-linux-gnu
assert_eq "$STATUS" 1
assert_contains "$OUT" "a.o: it is for aarch64 (64-bit), not x86_64"

# 32-bit Arm: hard-float objects say so (in the header's flags, or in their
# .ARM.attributes), and a soft-float one does not fit armhf. No headers: the
# host has no 32-bit Arm ones.
printf 'float twice(float x) { return 2 * x; }\n' >float.c
clang --target=armv7-unknown-linux-gnueabihf -c float.c -o armhf.o
xtc_ok check armhf.o --target armv7-linux-gnueabihf
assert_contains "$OUT" "armhf.o: arm (EABI5, hard-float), 32-bit LSB, relocatable object"
clang --target=armv7-unknown-linux-gnueabi -mfloat-abi=soft -c float.c -o armel.o
run_xtc check armel.o --target armv7-linux-gnueabihf
assert_eq "$STATUS" 1
assert_contains "$OUT" "it uses the soft-float ABI"

# Malformed input: one error line, exit 1.
head -c 100 host-hello >truncated
run_xtc check truncated
assert_eq "$STATUS" 1
assert_eq "$(printf '%s\n' "$ERR" | grep -c '^xtc: error: ')" 1 "error lines for a truncated file"
assert_contains "$ERR" "xtc: error: malformed ELF file 'truncated': "
printf 'not a program\n' >text
run_xtc check text
assert_contains "$ERR" "xtc: error: malformed ELF file 'text': it does not start with the ELF magic number"
run_xtc check /dev/zero
assert_contains "$ERR" "xtc: error: cannot read file '/dev/zero': not a regular file"
echo "PASS: xtc check reads what programs need and whether they fit"
