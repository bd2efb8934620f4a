#!/usr/bin/env bash
# C and C++ built through the shims target the CPU of Rust's target of the
# same name, whatever the flavor: ARMv7-A with VFPv3-D16, hard-float and no
# NEON for armv7 (readelf -A), SSE2 floating point for i686 (objdump); a
# caller that chooses its own -march/-mcpu/-mfpu gets exactly that instead.
# Both shim paths: the default install (the fast path) and a flavor chosen
# with XTC_TOOLCHAIN_<TRIPLE> (the full path).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command readelf objdump clang ld.lld
e2e_setup
. "$XTC_TEST_MIRROR_DIR/fixtures.env"
zig_home baseline_cpu

# The llvm flavor needs a sysroot row for each target; compiling objects
# needs no headers, so the GNU toolchains' archives serve as sysroots.
manifest=$WORK/manifest.toml
cp "$XTC_TEST_MIRROR_DIR/manifest.toml" "$manifest"
for t in armv7-linux-gnueabihf i686-linux-gnu; do
  awk -v id="gcc-$t" -v t="$t" '
    $0 == "[[artifact]]" { inside = 0 }
    $0 == "id = \"" id "\"" { inside = 1; print "[[artifact]]"; print "id = \"sysroot-" t "\""; print "kind = \"sysroot\""; print "host = \"any\""; next }
    inside && /^(urls|sha256|size|format|target|libc|libc_version|version) = / { print }
  ' "$XTC_TEST_MIRROR_DIR/manifest.toml" >>"$manifest"
done
grep -q '^id = "sysroot-i686-linux-gnu"$' "$manifest" || fail "no i686 row to derive a sysroot from"
sign_test_manifest "$manifest"
export XTC_MANIFEST=$manifest

cd "$WORK"
for flavor in zig llvm gcc; do # gcc last: the default install
  xtc_ok target add armv7-linux-gnueabihf i686-linux-gnu --flavor "$flavor" --no-rustup --no-config
done
xtc_ok which i686-linux-gnu-gcc
assert_contains "$OUT" " -march=pentium4 -mfpmath=sse"

src=$PROGRAMS/baseline.c
# compile FLAVOR TRIPLE OUT [ARGS…]: compiles the sample through the shim,
# as C (gcc) and C++ (g++); "default" calls the shim without choosing.
compile() {
  local flavor=$1 triple=$2 out=$3 variable tool lang
  shift 3
  variable=XTC_TOOLCHAIN_$(printf '%s' "$triple" | tr 'a-z.-' 'A-Z__')
  for tool in gcc g++; do
    lang=c && [ "$tool" = gcc ] || lang=c++
    if [ "$flavor" = default ]; then
      "$triple-$tool" -O2 -c -x "$lang" "$src" -o "$out.$tool.o" "$@"
    else
      env "$variable=$flavor" "$triple-$tool" -O2 -c -x "$lang" "$src" -o "$out.$tool.o" "$@"
    fi || fail "$triple-$tool ($flavor) $* failed"
  done
}
# ARM attributes of an object: Rust's armv7 baseline or not.
expect_armv7_baseline() {
  local attrs
  attrs=$(readelf -A "$1")
  assert_contains "$attrs" "Tag_CPU_arch: v7" "$1 attributes"
  assert_contains "$attrs" "Tag_FP_arch: VFPv3-D16" "$1 attributes"
  assert_contains "$attrs" "Tag_ABI_VFP_args: VFP registers" "$1 attributes"
  case $attrs in *Tag_Advanced_SIMD_arch*) fail "$1 uses NEON: $attrs" ;; esac
}
# i686 floating point in SSE2 registers, not on the x87 stack.
expect_sse2() {
  local code
  code=$(objdump -d "$1")
  assert_contains "$code" "mulsd" "$1 code"
  case $code in *fmul*) fail "$1 multiplies on the x87: $code" ;; esac
}

for flavor in default gcc llvm zig; do
  compile "$flavor" armv7-linux-gnueabihf "arm-$flavor"
  compile "$flavor" i686-linux-gnu "x86-$flavor"
  for tool in gcc g++; do
    expect_armv7_baseline "arm-$flavor.$tool.o"
    expect_sse2 "x86-$flavor.$tool.o"
  done
done

# The caller's choice wins, whole: no xtc flag is left to conflict with it.
for flavor in default llvm; do
  compile "$flavor" armv7-linux-gnueabihf "neon-$flavor" -mfpu=neon
  assert_contains "$(readelf -A "neon-$flavor.gcc.o")" "Tag_Advanced_SIMD_arch: NEON" "-mfpu=neon ($flavor)"
  compile "$flavor" i686-linux-gnu "i686-$flavor" -march=i686
  code=$(objdump -d "i686-$flavor.gcc.o")
  case $code in *xmm*) fail "-march=i686 ($flavor) still used SSE: $code" ;; esac
done
XTC_SHIM_TRACE=$WORK/trace i686-linux-gnu-gcc -march=i686 -c "$src" -o /dev/null
case $(cat "$WORK/trace") in *pentium4* | *mfpmath*) fail "a caller's -march kept xtc's flags: $(cat "$WORK/trace")" ;; esac
echo "PASS: armv7 and i686 objects of every flavor target Rust's baseline CPU; a caller's choice wins"
