#!/usr/bin/env bash
# archive_links.sh DIR: checks that every DIR/*.tar.xz is self-contained, as
# xtc's unpacker demands: no entry named with an absolute path or a ".."
# component, no hard link to such a name, and every symlink relative,
# resolving to something that exists inside the archive's own root.
#
# Prints one line per offending entry and exits 1, or prints
# "archive links: N archives, M symlinks checked" and exits 0.
set -euo pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then echo "usage: $0 DIR" >&2; exit 2; fi
dir=$1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

archives=0
links=0
bad=0
fail() { printf '%s\n' "$*"; bad=$((bad + 1)); }

# has_dotdot NAME: a ".." path component anywhere in NAME.
has_dotdot() { [[ /$1/ == */../* ]]; }

for archive in "$dir"/*.tar.xz; do
  [ -e "$archive" ] || continue
  archives=$((archives + 1))
  name=${archive##*/}

  # Names are checked in the listing: tar itself would strip a leading '/'
  # and skip ".." members on extraction, hiding what the archive holds.
  listing_bad=0
  while IFS= read -r entry; do
    case $entry in
      /*) fail "$name: $entry: absolute path"; listing_bad=1 ;;
    esac
    if has_dotdot "$entry"; then fail "$name: $entry: '..' in path"; listing_bad=1; fi
  done < <(tar -tJf "$archive" 2>/dev/null)
  # Hard links: "h... <name> link to <target>" in the verbose listing.
  while IFS= read -r target; do
    if [[ $target == /* ]] || has_dotdot "$target"; then
      fail "$name: hard link to $target: leaves the archive root"
      listing_bad=1
    fi
  done < <(tar -tvJf "$archive" 2>/dev/null | sed -n 's/^h.* link to //p')

  root=$tmp/${name%.tar.xz}
  mkdir -p "$root"
  if ! tar -xJf "$archive" -C "$root" --no-same-owner --no-same-permissions 2>"$tmp/tar.err"; then
    # Expected when the listing already showed names tar refuses.
    [ "$listing_bad" -eq 1 ] || fail "$name: cannot unpack: $(head -n 1 "$tmp/tar.err")"
  fi

  real_root=$(cd "$root" && pwd -P)
  while IFS= read -r -d '' link; do
    links=$((links + 1))
    entry=${link#"$root"/}
    target=$(readlink "$link")
    if [[ $target == /* ]]; then
      fail "$name: $entry -> $target: absolute symlink"
      continue
    fi
    # Lexically first: a target that climbs out and back in through the
    # unpack directory's own name would otherwise look contained.
    lexical=$(realpath -sm --relative-to="$root" -- "$(dirname "$link")/$target")
    if [[ $lexical == .. || $lexical == ../* ]]; then
      fail "$name: $entry -> $target: points outside the archive root"
      continue
    fi
    if ! resolved=$(readlink -e -- "$link"); then
      fail "$name: $entry -> $target: dangling symlink"
      continue
    fi
    case $resolved in
      "$real_root"/*) ;;
      *) fail "$name: $entry -> $target: resolves outside the archive root" ;;
    esac
  done < <(find "$root" -type l -print0)
  rm -rf "$root"
done

[ "$archives" -gt 0 ] || { echo "archive links: no *.tar.xz in $dir" >&2; exit 1; }
[ "$bad" -eq 0 ] || exit 1
echo "archive links: $archives archives, $links symlinks checked"
