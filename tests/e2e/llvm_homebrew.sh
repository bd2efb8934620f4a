#!/usr/bin/env bash
# The llvm flavor finds clang and ld.lld where a Mac user has them: Homebrew's
# keg-only `llvm` (<prefix>/opt/llvm/bin) and its `lld` formula
# (<prefix>/opt/lld/bin), neither on PATH, with Apple's clang (no ld.lld,
# no llvm-ar) on PATH. The host is declared a Mac (XTC_HOST), the Homebrew
# prefix is a copy of that layout over Debian's LLVM, and PATH holds no LLVM
# at all. Without lld the add fails before anything is downloaded, naming
# `brew install`; `xtc doctor` names the clang and lld a target uses.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
require_command clang ld.lld llvm-ar
e2e_setup
export XTC_HOST=aarch64-darwin

# Homebrew's layout: opt/<formula> links to the keg in Cellar.
llvm_bin=$(dirname "$(readlink -f "$(command -v clang)")")
brew=$WORK/brew
mkdir -p "$brew/Cellar/llvm/19.1.7/bin" "$brew/Cellar/lld/19.1.7/bin" "$brew/opt"
for tool in clang clang++ llvm-ar llvm-ranlib llvm-strip llvm-nm llvm-objcopy; do
  ln -s "$llvm_bin/$tool" "$brew/Cellar/llvm/19.1.7/bin/$tool"
done
ln -s "$llvm_bin/ld.lld" "$brew/Cellar/lld/19.1.7/bin/ld.lld"
ln -s ../Cellar/llvm/19.1.7 "$brew/opt/llvm"
export HOMEBREW_PREFIX=$brew
# A PATH with the system's programs but no LLVM, and an "Apple clang" that
# is a clang without its tools beside it.
mkdir -p "$WORK/path" "$WORK/apple"
for tool in /usr/bin/* /bin/*; do
  case ${tool##*/} in clang* | ld.lld* | llvm-* | lld*) ;; *) ln -sf "$tool" "$WORK/path/${tool##*/}" ;; esac
done
cat >"$WORK/apple/clang" <<'SH'
#!/bin/sh
echo "Apple clang: not for Linux targets" >&2
exit 1
SH
chmod 755 "$WORK/apple/clang"
export PATH="$XTC_HOME/bin:$WORK/apple:$WORK/path"

# No lld anywhere: refused before any download.
run_xtc target add x86_64-linux-musl --flavor llvm --no-config --no-rustup
assert_eq "$STATUS" 1 "exit status without lld"
assert_eq "$ERR" "xtc: error: the llvm flavor needs 'ld.lld' next to '$brew/opt/llvm/bin/clang', on PATH or in Homebrew's opt/lld
xtc: hint: install the LLVM tools and lld (brew install llvm lld)"
# Nothing fetched: the mirror's access log is shared with the tests running
# alongside, so the home is what tells.
assert_eq "$(find "$XTC_HOME" -path "$XTC_HOME/cache/*" -type f | wc -l)" 0 "files downloaded before refusing"
assert_absent "$XTC_HOME/toolchains"

ln -s ../Cellar/lld/19.1.7 "$brew/opt/lld"
xtc_ok target add x86_64-linux-musl --flavor llvm --no-config --no-rustup
xtc_ok which x86_64-linux-musl-gcc
# The opt/ paths, which survive `brew upgrade`, not the Cellar's.
assert_contains "$OUT" "$brew/opt/llvm/bin/clang --target=x86_64-unknown-linux-musl"
assert_contains "$OUT" "--ld-path=$brew/opt/lld/bin/ld.lld"
xtc_ok which x86_64-linux-musl-ar
assert_eq "$OUT" "$brew/opt/llvm/bin/llvm-ar" "the ar a shim runs"

printf '#include <stdio.h>\nint main(void) { puts("hello from brew llvm"); return 0; }\n' >"$WORK/hello.c"
x86_64-linux-musl-gcc -static "$WORK/hello.c" -o "$WORK/hello" || fail "the Homebrew clang did not build"
assert_eq "$("$WORK/hello")" "hello from brew llvm" "the program's output"

run_xtc doctor x86_64-linux-musl
assert_contains "$OUT" "ok    x86_64-linux-musl: compiler: llvm flavor: compiler $brew/opt/llvm/bin/clang, linker $brew/opt/lld/bin/ld.lld"

# Homebrew's llvm removed afterwards: doctor says so, with the fix.
rm "$brew/opt/llvm"
run_xtc doctor x86_64-linux-musl
assert_eq "$STATUS" 1 "doctor exit status with clang gone"
assert_contains "$OUT" "FAIL  x86_64-linux-musl: compiler: the compiler '$brew/opt/llvm/bin/clang' is gone (llvm flavor)"
assert_contains "$OUT" "      fix: xtc target add x86_64-linux-musl"
echo "PASS: the llvm flavor uses Homebrew's clang and lld, and says which"
