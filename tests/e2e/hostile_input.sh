#!/usr/bin/env bash
# Hostile input, as an attacker or a careless setting would give it: each is
# one clear error line and a non-zero exit, nothing half-written, nothing of
# the user's touched; or, where the input is legitimate but odd, a correct
# install. Archives are served by the loopback mirror.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_setup
require_command python3 gzip tar truncate

# This test's own archives, served beside the fixtures.
served=t-hostile-$$
serve_dir=$XTC_TEST_MIRROR_DIR/$served
mkdir -p "$serve_dir"
trap 'rm -rf "$serve_dir"; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
url=$XTC_TEST_MIRROR/$served

# errors_in TEXT: the lines of TEXT that are error lines.
error_lines() { printf '%s\n' "$1" | grep -c '^xtc: error: ' || true; }

# manifest_row FILE ID KIND TARGET FORMAT [EXTRA…]: a manifest with one
# artifact for FILE (in $serve_dir), served at $url; EXTRA lines go into the
# artifact table (tools, size, sysroot…). Prints the manifest's path.
manifest_row() {
  local file=$1 id=$2 kind=$3 target=$4 format=$5
  shift 5
  local m=$WORK/$id.toml
  {
    printf 'schema_version = 1\n[[artifact]]\nid = "%s"\nkind = "%s"\n' "$id" "$kind"
    if [ "$kind" = toolchain ]; then
      printf 'flavor = "gcc"\n'
    else
      printf 'libc = "%s"\nlibc_version = "1"\n' "$(case $target in *musl*) echo musl ;; *) echo glibc ;; esac)"
    fi
    printf 'target = "%s"\nhost = "%s"\nversion = "1"\n' "$target" \
      "$([ "$kind" = toolchain ] && echo "$(uname -m)-linux" || echo any)"
    printf 'urls = ["%s/%s"]\nsha256 = "%s"\nformat = "%s"\n' "$url" "$file" \
      "$(sha256sum "$serve_dir/$file" | cut -d' ' -f1)" "$format"
    printf '%s\n' "$@"
  } >"$m"
  sign_test_manifest "$m"
  printf '%s\n' "$m"
}

tools_of() { # TOOL-PATH: every tool a gcc row maps, all to one file
  local t
  printf '[artifact.tools]\n'
  for t in cc cxx ar ranlib strip nm objcopy ld; do printf '%s = "%s"\n' "$t" "$1"; done
}

# A small sysroot, and a manifest offering it.
mkdir -p "$WORK/sysroot/usr/include"
echo '/* stdio */' >"$WORK/sysroot/usr/include/stdio.h"
tar -C "$WORK/sysroot" -cJf "$serve_dir/musl.tar.xz" usr
export XTC_MANIFEST
XTC_MANIFEST=$(manifest_row musl.tar.xz musl sysroot x86_64-linux-musl tar.xz 'sysroot = "."')

# --- 1. XTC_HOME pointing at someone's directory -----------------------------
user=$WORK/user-home
mkdir -p "$user/tmp/build-abc123" "$user/cache"
echo draft >"$user/tmp/draft.txt"
echo notes >"$user/tmp/build-abc123/notes"
echo mine >"$user/cache/$(printf 'a%.0s' $(seq 64))"
(cd "$user" && find . -printf '%p %s %m\n' | sort) >"$WORK/user.before"
for cmd in "target add x86_64-linux-musl --no-config --no-rustup" gc \
  "self uninstall -y" "target remove x86_64-linux-musl" "key add $XTC_SOURCE_DIR/tests/data/minisign/other.pub"; do
  # shellcheck disable=SC2086
  XTC_HOME=$user run_xtc $cmd
  assert_eq "$STATUS" 1 "exit status of '$cmd' in a foreign XTC_HOME"
  assert_eq "$(error_lines "$ERR")" 1 "error lines of '$cmd'"
  assert_contains "$ERR" "xtc: error: '$user' is not an xtc home: it is not empty and has no '.xtc-home' marker"
  assert_contains "$ERR" "xtc: hint: set XTC_HOME to a new or empty directory"
done
(cd "$user" && find . -printf '%p %s %m\n' | sort) >"$WORK/user.after"
cmp -s "$WORK/user.before" "$WORK/user.after" ||
  fail "a foreign XTC_HOME changed: $(diff "$WORK/user.before" "$WORK/user.after")"

# --- 2. A cloned repository's TOML: absurdly deep, or not a file -------------
deep=$(python3 -c 'print(".".join(["a"] * 40000) + " = 1")')
mkdir -p "$WORK/repo/.cargo" && cd "$WORK/repo"
printf '[package]\nname = "p"\nversion = "0.1.0"\n' >Cargo.toml
printf '[build]\njobs = 2\n%s\n' "$deep" >.cargo/config.toml
cp .cargo/config.toml "$WORK/config.before"
run_xtc target add x86_64-linux-musl --no-rustup
assert_eq "$STATUS" 1 "exit status for a deeply nested cargo config"
assert_eq "$(error_lines "$ERR")" 1 "error lines for a deeply nested cargo config"
assert_contains "$ERR" "xtc: error: cannot read '$WORK/repo/.cargo/config.toml': line 3: a key has more than 64 dotted parts (xtc's limit)"
cmp -s .cargo/config.toml "$WORK/config.before" || fail "the deep cargo config was modified"
assert_absent "$XTC_HOME"

printf '%s\n' "$deep" >"$WORK/repo/Cargo.toml"
rm .cargo/config.toml
run_xtc target add x86_64-linux-musl --no-rustup
assert_eq "$STATUS" 1 "exit status for a deeply nested Cargo.toml"
assert_contains "$ERR" "xtc: error: cannot read '$WORK/repo/Cargo.toml': line 1: a key has more than 64 dotted parts"

printf '[package]\nname = "p"\nversion = "0.1.0"\n' >Cargo.toml
ln -s /dev/zero .cargo/config.toml
run_xtc target add x86_64-linux-musl --no-rustup
assert_eq "$STATUS" 1 "exit status for a config that is /dev/zero"
assert_eq "$(error_lines "$ERR")" 1 "error lines for /dev/zero"
assert_contains "$ERR" "xtc: error: cannot read cargo config '$WORK/repo/.cargo/config.toml': not a regular file"
rm .cargo/config.toml
mkfifo .cargo/config.toml
run_xtc target add x86_64-linux-musl --no-rustup
assert_contains "$ERR" "xtc: error: cannot read cargo config '$WORK/repo/.cargo/config.toml': not a regular file"
rm .cargo/config.toml
run_xtc --manifest /dev/zero --allow-unsigned target add x86_64-linux-musl
assert_eq "$STATUS" 1 "exit status for a manifest that is /dev/zero"
assert_eq "$(error_lines "$ERR")" 1 "error lines for a manifest that is /dev/zero"
assert_contains "$ERR" "xtc: error: cannot read manifest '/dev/zero': not a regular file
xtc: hint: point xtc at the manifest itself, not at a device, FIFO or directory"
printf '%s\n' "$deep" >"$WORK/deep-manifest.toml"
run_xtc --manifest "$WORK/deep-manifest.toml" --allow-unsigned target add x86_64-linux-musl
assert_eq "$STATUS" 1 "exit status for a deeply nested manifest"
assert_contains "$ERR" "xtc: error: cannot read '$WORK/deep-manifest.toml': line 1: a key has more than 64 dotted parts"
assert_absent "$XTC_HOME"
cd "$WORK"

# --- 3. Terminal injection: control characters never reach the terminal ----
run_xtc target add "$(printf 'x86_64-linux-musl\nxtc: error: forged')"
assert_eq "$STATUS" 2 "exit status for a target with a newline"
assert_eq "$(error_lines "$ERR")" 1 "a newline in an argument split the error line"
assert_contains "$ERR" 'x86_64-linux-musl\nxtc: error: forged'
mkdir -p "$WORK/evil"
echo x >"$WORK/evil/f"
esc_name=$(printf 'a\033]0;owned\007\033[2J')
python3 - "$serve_dir/evil.tar.gz" "$esc_name" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w:gz") as t:
    info = tarfile.TarInfo("../" + sys.argv[2])
    info.size = 1
    t.addfile(info, io.BytesIO(b"x"))
PY
m=$(manifest_row evil.tar.gz evil sysroot x86_64-linux-musl tar.gz)
run_xtc --manifest "$m" target add x86_64-linux-musl --no-config --no-rustup
assert_eq "$STATUS" 1 "exit status for an archive with an escape-named entry"
case $ERR in *$'\033'* | *$'\007'*) fail "a control character reached stderr: $(printf '%q' "$ERR")" ;; esac
assert_contains "$ERR" 'a\x1b]0;owned\x07\x1b[2J'
assert_absent "$XTC_HOME/toolchains/evil"

# --- 4. A password in a mirror URL is used, never shown or recorded ----------
secret_url=${url/https:\/\//https://ci-user:s3cret-pw@}
m=$(manifest_row musl.tar.xz musl-secret sysroot x86_64-linux-musl tar.xz 'sysroot = "."')
sed -i "s|$url|$secret_url|" "$m"
sed -i "s|^urls = \[\"\\(.*\\)\"\]|urls = [\"$secret_url/missing.tar.xz\", \"\\1\"]|" "$m"
sign_test_manifest "$m"
run_xtc --verbose --manifest "$m" target add x86_64-linux-musl --no-config --no-rustup
[ "$STATUS" -eq 0 ] || fail "install through a URL with a password failed: $ERR"
grep -rq 's3cret-pw' "$XTC_HOME" && fail "the password was recorded: $(grep -rl s3cret-pw "$XTC_HOME")"
assert_contains "$(cat "$XTC_HOME/toolchains/musl-secret/receipt.toml")" "https://***@127.0.0.1"
case "$ERR$OUT" in *s3cret-pw*) fail "the password was shown: $ERR" ;; esac
"$XTC_BIN" target remove x86_64-linux-musl >/dev/null 2>&1

# --- 5. Archives too big for their bytes -------------------------------------
# Twenty 60 MiB sparse files: a few hundred bytes of archive.
mkdir -p "$WORK/sparse"
for i in $(seq 1 20); do truncate -s 60M "$WORK/sparse/s$i"; done
tar -C "$WORK/sparse" -S -czf "$serve_dir/sparse.tar.gz" .
[ "$(stat -c %s "$serve_dir/sparse.tar.gz")" -lt 20000 ] || fail "the sparse archive is not small"
m=$(manifest_row sparse.tar.gz sparse sysroot x86_64-linux-musl tar.gz \
  "size = $(stat -c %s "$serve_dir/sparse.tar.gz")")
run_xtc --manifest "$m" target add x86_64-linux-musl --no-config --no-rustup
assert_eq "$STATUS" 1 "exit status for an archive of sparse files"
assert_eq "$(error_lines "$ERR")" 1 "error lines for sparse files"
assert_contains "$ERR" "unpacks to more than 64.0 MiB from only"
assert_contains "$ERR" "which no toolchain does"
assert_absent "$XTC_HOME/toolchains/sparse"
[ -z "$(ls -A "$XTC_HOME/tmp" | grep -v '\.lock$' || true)" ] || fail "staging left behind: $(ls -A "$XTC_HOME/tmp")"

# 256 MiB of zeros, and a row with no size (as most producers publish none).
head -c 256M /dev/zero >"$WORK/zeros"
tar -C "$WORK" -cf - zeros | gzip -9 >"$serve_dir/zeros.tar.gz"
m=$(manifest_row zeros.tar.gz zeros sysroot x86_64-linux-musl tar.gz)
run_xtc --manifest "$m" target add x86_64-linux-musl --no-config --no-rustup
assert_eq "$STATUS" 1 "exit status for a decompression bomb"
assert_contains "$ERR" "which no toolchain does"
assert_contains "$ERR" "xtc: hint: the archive is corrupt or a decompression bomb"
case $ERR in *"free some space"*) fail "a bomb was blamed on the disk: $ERR" ;; esac
assert_absent "$XTC_HOME/toolchains/zeros"
# The row may state a larger bound: then the same bytes install.
m=$(manifest_row zeros.tar.gz zeros sysroot x86_64-linux-musl tar.gz \
  "max_unpacked_size = $((300 << 20))")
xtc_ok --manifest "$m" target add x86_64-linux-musl --no-config --no-rustup --flavor llvm
assert_eq "$(stat -c %s "$XTC_HOME/toolchains/zeros/zeros")" $((256 << 20)) "size of the bound-stated install"
"$XTC_BIN" target remove x86_64-linux-musl >/dev/null 2>&1
rm -f "$WORK/zeros"

# --- 6. The manifest's tools must be in the archive --------------------------
mkdir -p "$WORK/tc/pkg/bin"
printf '#!/bin/sh\necho tool\n' >"$WORK/tc/pkg/bin/tool"
chmod 755 "$WORK/tc/pkg/bin/tool"
printf 'data\n' >"$WORK/tc/pkg/bin/not-executable"
tar -C "$WORK/tc" -czf "$serve_dir/tc.tar.gz" pkg
refused_layout() { # WHAT MANIFEST EXPECTED
  run_xtc --manifest "$2" target add riscv64-linux-gnu --no-config --no-rustup
  assert_eq "$STATUS" 1 "$1: exit status"
  assert_eq "$(error_lines "$ERR")" 1 "$1: error lines"
  assert_contains "$ERR" "$3" "$1"
  assert_absent "$XTC_HOME/toolchains/tc"
  assert_absent "$XTC_HOME/targets/riscv64-linux-gnu.toml"
  assert_absent "$XTC_HOME/bin/riscv64-linux-gnu-gcc"
}
refused_layout "missing tool" "$(manifest_row tc.tar.gz tc toolchain riscv64-linux-gnu tar.gz \
  'strip_components = 1' "$(tools_of bin/tool | sed 's|^cc = .*|cc = "bin/gcc"|')")" \
  "xtc: error: artifact 'tc' names tool cc 'bin/gcc', which its archive does not contain"
refused_layout "everything stripped" "$(manifest_row tc.tar.gz tc toolchain riscv64-linux-gnu tar.gz \
  'strip_components = 3' "$(tools_of bin/tool)")" \
  "'bin/tool', which its archive does not contain"
refused_layout "not executable" "$(manifest_row tc.tar.gz tc toolchain riscv64-linux-gnu tar.gz \
  'strip_components = 1' "$(tools_of bin/not-executable)")" \
  "'bin/not-executable', which is not executable in its archive"
refused_layout "no sysroot" "$(manifest_row tc.tar.gz tc toolchain riscv64-linux-gnu tar.gz \
  'strip_components = 1' 'sysroot = "sysroot"' "$(tools_of bin/tool)")" \
  "names sysroot 'sysroot', which is not a directory of its archive"

# --- 7. A later symlink replaces a file: the receipt describes the final tree
python3 - "$serve_dir/relink.tar.gz" <<'PY'
import io, sys, tarfile
def add(t, name, data=None, link=None, mode=0o755):
    info = tarfile.TarInfo(name)
    info.mode = mode
    if link is not None:
        info.type, info.linkname = tarfile.SYMTYPE, link
        t.addfile(info)
    else:
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
with tarfile.open(sys.argv[1], "w:gz") as t:
    add(t, "bin/tool", b"#!/bin/sh\necho tool\n")
    add(t, "bin/cc", b"a copy, replaced below\n")
    add(t, "bin/cc", link="tool")
PY
m=$(manifest_row relink.tar.gz relink toolchain riscv64-linux-gnu tar.gz "$(tools_of bin/cc)")
xtc_ok --manifest "$m" target add riscv64-linux-gnu --no-config --no-rustup
[ -L "$XTC_HOME/toolchains/relink/bin/cc" ] || fail "bin/cc is not the archive's final symlink"
grep -q '"bin/cc"' "$XTC_HOME/toolchains/relink/receipt.toml" &&
  fail "the receipt lists the replaced file bin/cc"
run_xtc --manifest "$m" doctor riscv64-linux-gnu
assert_contains "$OUT" "files of relink present"
run_xtc --verbose --manifest "$m" target add riscv64-linux-gnu --no-config --no-rustup
assert_contains "$ERR" "relink 1 is already installed"
"$XTC_BIN" target remove riscv64-linux-gnu >/dev/null 2>&1

# --- 8. A zip's first install (while it downloads) equals one from the cache -
python3 - "$serve_dir/tc.zip" <<'PY'
import stat, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    def add(name, data, mode):
        info = zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0))
        info.create_system = 3  # Unix: modes and file types in external_attr
        info.external_attr = mode << 16
        z.writestr(info, data, zipfile.ZIP_DEFLATED)
    add("pkg/bin/", b"", stat.S_IFDIR | 0o755)
    add("pkg/bin/tool", b"#!/bin/sh\necho zip tool \"$@\"\n" * 50, stat.S_IFREG | 0o755)
    add("pkg/bin/cc", b"tool", stat.S_IFLNK | 0o777)
    add("pkg/share/readme", b"read me\n" * 100, stat.S_IFREG | 0o644)
PY
m=$(manifest_row tc.zip zip-tc toolchain riscv64-linux-gnu zip 'strip_components = 1' "$(tools_of bin/cc)")
listing() { (cd "$XTC_HOME/toolchains/zip-tc" && find . ! -name receipt.toml -printf '%p %y %m %l %s\n' | sort); }
xtc_ok --manifest "$m" target add riscv64-linux-gnu --no-config --no-rustup
assert_eq "$(riscv64-linux-gnu-gcc hi | head -n 1)" "zip tool hi" "the zip's tool through its symlink"
listing >"$WORK/zip.first"
"$XTC_BIN" target remove riscv64-linux-gnu >/dev/null 2>&1
[ -n "$(ls "$XTC_HOME/cache")" ] || fail "the zip is not in the cache"
xtc_ok --manifest "$m" target add riscv64-linux-gnu --no-config --no-rustup
assert_contains "$ERR" "from the cache"
listing >"$WORK/zip.cached"
cmp -s "$WORK/zip.first" "$WORK/zip.cached" ||
  fail "a zip's first install differs from its cache install: $(diff "$WORK/zip.first" "$WORK/zip.cached")"
grep -q '^./bin/cc l 777 tool' "$WORK/zip.first" || fail "the zip's symlink was lost: $(cat "$WORK/zip.first")"
grep -q '^./bin/tool f 755' "$WORK/zip.first" || fail "the zip's executable lost its mode: $(cat "$WORK/zip.first")"

# The home xtc made carries its marker; sweeping it leaves a stranger's file.
[ -f "$XTC_HOME/.xtc-home" ] || fail "xtc's home has no marker"
echo mine >"$XTC_HOME/tmp/not-xtcs"
xtc_ok gc
[ -f "$XTC_HOME/tmp/not-xtcs" ] || fail "gc removed a file xtc did not make"
echo "PASS: hostile input is refused cleanly, and odd input installs right"
