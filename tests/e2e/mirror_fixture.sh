#!/usr/bin/env bash
# CTest fixture: builds (or reuses) the toolchain archives and starts a
# loopback HTTPS mirror for the end-to-end tests; `stop` shuts it down.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
state=$XTC_E2E_STATE
case "${1:?start|stop}" in
start)
  require_command nginx openssl apt-get dpkg-deb
  mkdir -p "$state"
  mirror_dir=$("$XTC_SOURCE_DIR/scripts/build-fixtures" | tail -n 1)
  "$XTC_SOURCE_DIR/scripts/mirror" start "$mirror_dir" "$state/nginx" >"$state/mirror.env"
  echo "XTC_TEST_MIRROR_DIR=$state/nginx/root" >>"$state/mirror.env"
  cat "$state/mirror.env"
  ;;
stop)
  "$XTC_SOURCE_DIR/scripts/mirror" stop "$state/nginx"
  ;;
esac
