# A tiny fixture "toolchain" for the shim tests and bench/shim (sourced, not
# run): tar.gz archives whose tools are one POSIX shell script, and a
# manifest offering them over file:// URLs. No network, no compiler.
#
# make_fixture_toolchains DIR TRIPLE: writes DIR/manifest.toml offering for
# TRIPLE (a glibc target) three toolchains, each tool printing its label:
#   fixture-gcc-2.36  gcc flavor, glibc 2.36 (the one chosen by default)
#   fixture-gcc-2.31  gcc flavor, glibc 2.31
#   fixture-zig       zig flavor
# The tool script also obeys:  --exit N | --term | --argv ARGS… (prints
# ARGS NUL-separated) | --ppid | -o FILE … (writes FILE: a bare static ELF
# header for the triple's machine, what xtc's probe programs read) |
# anything else (prints "<label> ARGS").
# With FIXTURE_TRUE=1 the gcc tools are copies of /bin/true instead.

# fixture_elf_machine TRIPLE: e_machine of TRIPLE's ELF files, as the octal
# escapes of its two little-endian bytes.
fixture_elf_machine() {
  case $1 in
    x86_64-*) echo '\076\000' ;;
    aarch64-*) echo '\267\000' ;;
    riscv64-*) echo '\363\000' ;;
    *) echo "fixture_elf_machine: no machine for $1" >&2; return 1 ;;
  esac
}

# fixture_tool LABEL TRIPLE
fixture_tool() {
  local machine header
  machine=$(fixture_elf_machine "$2") || return 1
  zeros() { printf '\\000%.0s' $(seq "$1"); }
  # ELF64, little-endian, ET_EXEC, no program or section headers: 64 bytes.
  header='\177ELF\002\001\001'"$(zeros 9)"'\002\000'"$machine"'\001'"$(zeros 31)"'\100'"$(zeros 11)"
  printf '%s\n' '#!/bin/sh' "label='$1'" 'case "${1:-}" in' \
    "-o) printf '$header' >\"\$2\" ;;" \
    '--exit) exit "$2" ;;' \
    '--term) kill -TERM $$; sleep 5; exit 0 ;;' \
    '--argv) shift; printf "%s\0" "$@" ;;' \
    '--ppid) echo "$PPID" ;;' \
    '*) echo "$label $*" ;;' \
    'esac'
}

# fixture_artifact DIR ID FLAVOR TRIPLE LIBC_VERSION LABEL: one archive and
# its manifest entry (appended to DIR/manifest.toml).
fixture_artifact() {
  local dir=$1 id=$2 flavor=$3 triple=$4 libc_version=$5 label=$6
  local root=$dir/src/$id tool=bin/tool
  mkdir -p "$root/bin"
  if [ "$flavor" = zig ]; then tool=bin/zig; fi
  if [ "${FIXTURE_TRUE:-0}" = 1 ] && [ "$flavor" = gcc ]; then
    cp /bin/true "$root/$tool"
  else
    fixture_tool "$label" "$triple" >"$root/$tool"
  fi
  chmod 755 "$root/$tool"
  tar -C "$root" -czf "$dir/$id.tar.gz" bin
  local sha size
  sha=$(sha256sum "$dir/$id.tar.gz" | cut -d' ' -f1)
  size=$(stat -c %s "$dir/$id.tar.gz")
  {
    printf '\n[[artifact]]\nid = "%s"\nkind = "toolchain"\nflavor = "%s"\n' "$id" "$flavor"
    printf 'target = "%s"\nhost = "%s-linux"\nversion = "1.0"\n' "$triple" "$(uname -m)"
    [ -z "$libc_version" ] || printf 'libc = "glibc"\nlibc_version = "%s"\n' "$libc_version"
    printf 'urls = ["file://%s/%s.tar.gz"]\nsha256 = "%s"\nsize = %s\nformat = "tar.gz"\n' \
      "$dir" "$id" "$sha" "$size"
    printf '[artifact.tools]\ncc = "%s"\n' "$tool"
    if [ "$flavor" = gcc ]; then
      local t
      for t in cxx ar ranlib strip nm objcopy ld; do printf '%s = "%s"\n' "$t" "$tool"; done
    fi
  } >>"$dir/manifest.toml"
}

make_fixture_toolchains() {
  local dir=$1 triple=$2
  mkdir -p "$dir"
  printf 'schema_version = 1\n' >"$dir/manifest.toml"
  fixture_artifact "$dir" fixture-gcc-2.36 gcc "$triple" 2.36 "gcc-2.36"
  fixture_artifact "$dir" fixture-gcc-2.31 gcc "$triple" 2.31 "gcc-2.31"
  fixture_artifact "$dir" fixture-zig zig "$triple" "" "zig"
  sign_test_manifest "$dir/manifest.toml"
}

# shim_setup: a fresh XTC_HOME with the shims first on PATH, and the fixture
# manifest for riscv64-linux-gnu in XTC_MANIFEST. Needs no mirror.
shim_setup() {
  : "${XTC_BIN:?}"
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/xtc-e2e.XXXXXX")
  trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
  export XTC_HOME=$WORK/home
  export PATH="$XTC_HOME/bin:$PATH"
  unset XTC_SHIM_DEPTH XTC_SHIM_TRACE
  local v
  for v in $(compgen -v XTC_TOOLCHAIN_); do unset "$v"; done
  make_fixture_toolchains "$WORK/fixture" riscv64-linux-gnu
  export XTC_MANIFEST=$WORK/fixture/manifest.toml
  T=riscv64-linux-gnu
}
