#!/usr/bin/env bash
# CTest fixture: builds (or reuses) the toolchain archives and starts a
# loopback HTTPS mirror for the end-to-end tests; `stop` shuts it down.
# The mirror serves a private copy (hard links) of the fixture directory, so
# its rendered manifest and that manifest's signature (made with the test
# key in tests/data/minisign) belong to this mirror alone.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
state=$XTC_E2E_STATE
case "${1:?start|stop}" in
start)
  require_command nginx openssl apt-get dpkg-deb minisign
  mkdir -p "$state"
  mirror_dir=$("$XTC_SOURCE_DIR/scripts/build-fixtures" | tail -n 1)
  "$XTC_SOURCE_DIR/scripts/mirror" start \
    --sign "$XTC_SOURCE_DIR/tests/data/minisign/test.key" \
    "$mirror_dir" "$state/nginx" >"$state/mirror.env"
  echo "XTC_TEST_MIRROR_DIR=$state/nginx/root" >>"$state/mirror.env"
  cat "$state/mirror.env"
  ;;
stop)
  "$XTC_SOURCE_DIR/scripts/mirror" stop "$state/nginx"
  ;;
esac
