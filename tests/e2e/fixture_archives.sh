#!/usr/bin/env bash
# The fixture archives themselves must be clean: no absolute or dangling
# symlinks, nothing that escapes (the Debian packages they come from hold
# absolute links that scripts/build-fixtures rewrites).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_setup
exec bash "$(dirname "$0")/archive_links.sh" "$XTC_TEST_MIRROR_DIR"
