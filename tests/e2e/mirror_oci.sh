#!/usr/bin/env bash
# `xtc mirror oci://…`: artifacts pushed to a real registry (distribution
# 2.8) anonymous, behind htpasswd and behind a token service; skopeo, an
# independent client, reads back what xtc pushed; a second run pushes
# nothing (the registry's log); a machine that trusts the team's key
# installs through oci:// alone, its credentials from each place users keep
# them, and never prints them.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_setup
. "$(dirname "$0")/registry_lib.sh"
. "$(dirname "$0")/toolchain_fixture.sh"
registry_setup

minisign -G -W -p "$WORK/team.pub" -s "$WORK/team.key" >/dev/null
sysroot=$XTC_TEST_MIRROR_DIR/sysroot-x86_64-linux-musl.tar.xz
sysroot_sha=$(sha256sum "$sysroot" | cut -d' ' -f1)
printf '#include <stdio.h>\nint main(void) { puts("from the registry"); return 0; }\n' >"$WORK/hello.c"

# no_secret_printed: neither the password nor a token reached the output.
no_secret_printed() {
  if grep -q -F -e "$REGISTRY_PASSWORD" "$WORK/out" "$WORK/err"; then
    fail "the registry password was printed"
  fi
  if grep -q -i -e "bearer [a-z0-9]" -e "eyJ" "$WORK/out" "$WORK/err"; then
    fail "a token was printed"
  fi
}

# The token service refuses anonymous requests: only credentials get in.
export TOKEN_ANONYMOUS=refuse
for mode in anonymous htpasswd token; do
  start_registry "$mode" "$mode"
  repo=team/xtc
  manifest=$WORK/$mode/xtc.toml
  mkdir -p "$WORK/$mode"
  unset XTC_REGISTRY_AUTH DOCKER_CONFIG
  export XTC_HOME=$WORK/$mode/pusher PATH=$WORK/$mode/pusher/bin:$PATH
  export XTC_MANIFEST=$XTC_TEST_MIRROR/manifest.toml
  export XTC_TRUSTED_KEYS=$XTC_SOURCE_DIR/tests/data/minisign/test.pub
  if [ "$mode" != anonymous ]; then
    # Without credentials the registry refuses the push: one error line.
    run_xtc mirror "oci://$REGISTRY/$repo" --key "$WORK/team.key" \
      --target x86_64-linux-musl --flavor llvm --output "$manifest"
    assert_eq "$STATUS" 1 "exit status of a push without credentials ($mode)"
    assert_eq "$(printf '%s\n' "$ERR" | grep -c '^xtc: error:')" 1 "error lines ($mode)"
    [ ! -e "$manifest" ] || fail "a refused push wrote a manifest"
    export XTC_REGISTRY_AUTH=$REGISTRY_USER:$REGISTRY_PASSWORD
  fi
  run_xtc -v mirror "oci://$REGISTRY/$repo" --key "$WORK/team.key" \
    --target x86_64-linux-musl --flavor llvm --output "$manifest"
  [ "$STATUS" -eq 0 ] || fail "xtc mirror to the $mode registry exited $STATUS: $ERR"
  no_secret_printed
  assert_contains "$ERR" "mirrored 1 artifact to oci://$REGISTRY/$repo (1 copied, "
  grep -q "'oci://$REGISTRY/$repo@sha256:$sysroot_sha'" "$manifest" ||
    fail "the manifest does not name the registry's blob"
  minisign -Vq -p "$WORK/team.pub" -m "$manifest" || fail "the $mode manifest's signature"

  # skopeo reads back the image manifest xtc tagged with the artifact's id.
  creds=(--no-creds) src_creds=(--src-no-creds)
  if [ "$mode" != anonymous ]; then
    creds=(--creds "$REGISTRY_USER:$REGISTRY_PASSWORD")
    src_creds=(--src-creds "$REGISTRY_USER:$REGISTRY_PASSWORD")
  fi
  raw=$(skopeo inspect --raw --cert-dir "$REGISTRY_TLS/certs.d" "${creds[@]}" \
    "docker://$REGISTRY/$repo:sysroot-x86_64-linux-musl") ||
    fail "skopeo cannot read the image manifest xtc pushed ($mode)"
  assert_contains "$raw" "\"digest\":\"sha256:$sysroot_sha\""
  assert_contains "$raw" '"org.opencontainers.image.title":"sysroot-x86_64-linux-musl.tar.xz"'
  skopeo --insecure-policy --tmpdir "$WORK" copy --quiet \
    --src-cert-dir "$REGISTRY_TLS/certs.d" "${src_creds[@]}" \
    "docker://$REGISTRY/$repo:sysroot-x86_64-linux-musl" "dir:$WORK/$mode/pulled" >/dev/null ||
    fail "skopeo cannot copy what xtc pushed ($mode)"
  cmp "$WORK/$mode/pulled/$sysroot_sha" "$sysroot" || fail "skopeo pulled other bytes ($mode)"

  # Again: HEADs only, nothing uploaded.
  before=$(wc -l <"$REGISTRY_LOG")
  xtc_ok mirror "oci://$REGISTRY/$repo" --key "$WORK/team.key" \
    --target x86_64-linux-musl --flavor llvm --output "$manifest"
  assert_contains "$ERR" "(0 copied, 0 B)"
  if tail -n +"$((before + 1))" "$REGISTRY_LOG" | grep -E '"(PUT|POST|PATCH) '; then
    fail "the second run uploaded to the $mode registry"
  fi

  # A client: empty XTC_HOME, the team's key trusted, credentials from
  # the Docker config (htpasswd) or a credential helper (token).
  export XTC_HOME=$WORK/$mode/client PATH=$WORK/$mode/client/bin:$PATH
  export XTC_MANIFEST=$manifest XTC_TRUSTED_KEYS=$WORK/team.pub
  unset XTC_REGISTRY_AUTH
  case $mode in
  htpasswd)
    export DOCKER_CONFIG=$WORK/docker
    mkdir -p "$DOCKER_CONFIG"
    printf '{"auths":{"https://%s":{"auth":"%s"}}}\n' "$REGISTRY" \
      "$(printf '%s:%s' "$REGISTRY_USER" "$REGISTRY_PASSWORD" | base64 -w0)" >"$DOCKER_CONFIG/config.json" ;;
  token)
    export DOCKER_CONFIG=$WORK/docker-helper
    mkdir -p "$DOCKER_CONFIG" "$WORK/helper-bin"
    printf '{"credHelpers":{"%s":"xtcmirror"}}\n' "$REGISTRY" >"$DOCKER_CONFIG/config.json"
    cat >"$WORK/helper-bin/docker-credential-xtcmirror" <<HELPER
#!/bin/sh
[ "\$1" = get ] || exit 1
read -r server
if [ "\$server" = "$REGISTRY" ]; then
  printf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}\n' "\$server" "$REGISTRY_USER" "$REGISTRY_PASSWORD"
else
  echo "credentials not found in native keychain"; exit 1
fi
HELPER
    chmod +x "$WORK/helper-bin/docker-credential-xtcmirror"
    export PATH=$WORK/helper-bin:$PATH ;;
  esac
  nginx_before=$(wc -l <"$XTC_TEST_ACCESS_LOG")
  run_xtc -v target add x86_64-linux-musl --no-config --no-rustup
  [ "$STATUS" -eq 0 ] || fail "target add through the $mode registry exited $STATUS: $ERR"
  no_secret_printed
  grep -Eq "\"GET /v2/$repo/blobs/sha256:$sysroot_sha HTTP/[0-9.]+\" 200" "$REGISTRY_LOG" ||
    fail "the sysroot did not come from the $mode registry"
  if tail -n +"$((nginx_before + 1))" "$XTC_TEST_ACCESS_LOG" | grep -q sysroot-x86_64-linux-musl; then
    fail "the sysroot came from the producer's URL, not the $mode registry"
  fi
  if [ "$mode" = token ]; then
    tail -n 1 "$TOKEN_LOG" | grep -q " $REGISTRY_USER " ||
      fail "the last token was not issued to the credential helper's user: $(tail -n 1 "$TOKEN_LOG")"
  fi
  x86_64-linux-musl-gcc -static "$WORK/hello.c" -o "$WORK/$mode/hello"
  assert_eq "$("$WORK/$mode/hello")" "from the registry" "program built from the $mode registry's sysroot"
  unset DOCKER_CONFIG
done

# A producer signature travels with its archive: a row with the producer's
# key (as zig's rows have), its archive signed beside it. The mirror pushes
# the signature as a blob too; with the producer gone, a client checks the
# archive against the signature from the registry.
start_registry anonymous signed
fix=$WORK/producer
mkdir -p "$fix"
printf 'schema_version = 1\n' >"$fix/manifest.toml"
fixture_artifact "$fix" fixture-zig zig riscv64-linux-gnu "" zig
data=$XTC_SOURCE_DIR/tests/data/minisign
sed -i "/^id = \"fixture-zig\"\$/a minisign_key = \"$(tail -n 1 "$data/other.pub")\"" "$fix/manifest.toml"
minisign -S -s "$data/other.key" -m "$fix/fixture-zig.tar.gz" \
  -t "timestamp:1 file:fixture-zig.tar.gz" </dev/null >/dev/null
sign_test_manifest "$fix/manifest.toml"
export XTC_HOME=$WORK/signed-pusher XTC_MANIFEST=$fix/manifest.toml
xtc_ok mirror "oci://$REGISTRY/team/zig" --key "$WORK/team.key" --output "$WORK/signed.toml"
signature_sha=$(sha256sum "$fix/fixture-zig.tar.gz.minisig" | cut -d' ' -f1)
grep -q "signature_urls = \[ 'oci://$REGISTRY/team/zig@sha256:$signature_sha' \]" "$WORK/signed.toml" ||
  fail "the mirror manifest does not name the signature's blob: $(cat "$WORK/signed.toml")"
rm -f "$fix/fixture-zig.tar.gz" "$fix/fixture-zig.tar.gz.minisig"
export XTC_HOME=$WORK/signed-client XTC_MANIFEST=$WORK/signed.toml XTC_TRUSTED_KEYS=$WORK/team.pub
xtc_ok target add riscv64-linux-gnu --flavor zig --no-config --no-rustup
grep -Eq "\"GET /v2/team/zig/blobs/sha256:$signature_sha HTTP/[0-9.]+\" 200" "$REGISTRY_LOG" ||
  fail "the producer signature did not come from the registry"
[ -f "$XTC_HOME/toolchains/fixture-zig/receipt.toml" ] || fail "the signed artifact is not installed"
echo "ok"
