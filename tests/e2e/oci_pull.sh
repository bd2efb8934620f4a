#!/usr/bin/env bash
# oci:// artifact URLs against a real registry (CNCF distribution 2.8 on
# loopback, tests/e2e/registry_lib.sh), anonymous, behind htpasswd and
# behind a token service, the blob pushed there by skopeo: `xtc target add`
# installs through the registry alone and the compiler works, with the
# credentials from XTC_REGISTRY_AUTH, XTC_REGISTRY_TOKEN, a Docker config's
# auths entry or a credential helper, and one token serves two artifacts.
# Refused credentials, a refusing token service, no credentials, a missing
# blob, a registry that is down or a digest that is not the row's end in
# one error, or in the next mirror with a warning; a token that expires
# mid-download is renewed and the download resumed; a redirect to the
# registry's storage does not carry the token along. No password or token
# ever shows in xtc's output, --verbose included.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/registry_lib.sh"
require_command clang ld.lld sha256sum base64
e2e_setup
registry_setup
unset XTC_REGISTRY_AUTH XTC_REGISTRY_TOKEN XTC_MIRROR http_proxy https_proxy HTTP_PROXY HTTPS_PROXY
# Never the Docker config of whoever runs the test.
export DOCKER_CONFIG=$WORK/docker-none
# A unique path on the https mirror, so its access log tells this test's
# fallbacks from other tests' downloads.
served=t-oci-$$
mkdir -p "$XTC_TEST_MIRROR_DIR/$served"
trap 'stop_registries; rm -rf "$XTC_TEST_MIRROR_DIR/$served"; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

triple=x86_64-linux-musl
id=sysroot-$triple
file=$XTC_TEST_MIRROR_DIR/$id.tar.xz
arm_id=sysroot-aarch64-linux-musl # pushed to the token registry only
arm_file=$XTC_TEST_MIRROR_DIR/$arm_id.tar.xz
for f in "$file" "$arm_file"; do
  [ -f "$f" ] || fail "the mirror has no $f"
  ln "$f" "$XTC_TEST_MIRROR_DIR/$served/" 2>/dev/null || cp "$f" "$XTC_TEST_MIRROR_DIR/$served/"
done
hex=$(sha256sum "$file" | cut -d' ' -f1)
arm_hex=$(sha256sum "$arm_file" | cut -d' ' -f1)
grep -q "^sha256 = \"$hex\"" "$XTC_TEST_MIRROR_DIR/manifest.toml" ||
  fail "the mirror's manifest does not list $id with sha256 $hex"
https_url=$XTC_TEST_MIRROR/$served/$id.tar.xz
repo=xtc/sysroots

# write_manifest ID URL… [-- ID URL…]: $WORK/manifest.toml, the mirror's
# manifest with those artifacts' urls replaced, signed with the test key.
write_manifest() {
  python3 - "$XTC_TEST_MIRROR_DIR/manifest.toml" "$WORK/manifest.toml" "$@" <<'PY'
import json, sys
source, target, *args = sys.argv[1:]
rows, current = {}, None
for arg in args:
    if arg == "--":
        current = None
    elif current is None:
        current = arg
        rows[current] = []
    else:
        rows[current].append(arg)
lines, artifact, done = [], None, set()
for line in open(source):
    if line.startswith("[[artifact]]"):
        artifact = None
    elif line.startswith("id = "):
        artifact = json.loads(line.split("=", 1)[1])
    elif line.startswith("urls = ") and artifact in rows:
        line = "urls = %s\n" % json.dumps(rows[artifact])
        done.add(artifact)
    lines.append(line)
if set(rows) - done:
    sys.exit("write_manifest: no artifact %s" % sorted(set(rows) - done))
open(target, "w").writelines(lines)
PY
  sign_test_manifest "$WORK/manifest.toml"
}

# Every secret of this test: passwords, their Basic encodings, the tokens
# the token services issued. None may appear in anything xtc prints.
secrets=()
remember_secret() { secrets+=("$1" "$(printf '%s' "$2:$1" | base64 -w0)"); }
assert_no_secret() {
  local s tokens
  tokens=$(cat "$WORK"/registry-*/token/issued "$WORK"/faults-*/token 2>/dev/null || true)
  for s in "${secrets[@]}" $tokens; do
    case "$OUT$ERR" in *"$s"*) fail "$1: xtc printed a password or token" ;; esac
    # A JWT's signature alone is secret enough.
    case "$OUT$ERR" in *"${s##*.}"*) fail "$1: xtc printed part of a token" ;; esac
  done
}

homes=0
# add WHAT [XTC OPTIONS…]: xtc target add through $WORK/manifest.toml into a
# fresh XTC_HOME.
add() {
  local what=$1
  shift
  homes=$((homes + 1))
  export XTC_HOME=$WORK/home.$homes
  run_xtc "$@" --manifest "$WORK/manifest.toml" target add "$triple" --flavor llvm \
    --no-config --no-rustup
  assert_no_secret "$what"
}

# assert_installed WHAT: xtc succeeded and the installed compiler builds a
# static program that runs.
assert_installed() {
  [ "$STATUS" -eq 0 ] || fail "$1: xtc exited $STATUS: $ERR"
  assert_contains "$ERR" "added $triple (llvm flavor, musl " "$1: xtc's report"
  "$XTC_HOME/bin/$triple-gcc" -static -DTARGET="\"$1\"" "$PROGRAMS/hello.c" \
    -o "$WORK/hello" 2>"$WORK/cc.err" || fail "$1: the compiler failed: $(cat "$WORK/cc.err")"
  assert_eq "$("$WORK/hello")" "hello from $1" "$1: the program's output"
}

# expect_failure WHAT MESSAGE [XTC OPTIONS…]: xtc fails, plainly and with
# --verbose, with exit status 1, exactly one error line containing MESSAGE,
# no secret printed, nothing installed and nothing cached.
expect_failure() {
  local what=$1 message=$2 verbose errors
  shift 2
  for verbose in "" --verbose; do
    add "$what $verbose" $verbose "$@"
    assert_eq "$STATUS" 1 "$what $verbose: exit status ($ERR)"
    errors=$(printf '%s\n' "$ERR" | grep '^xtc: error:' || true)
    assert_eq "$(printf '%s' "$errors" | grep -c '^')" 1 "$what $verbose: error lines in '$ERR'"
    assert_contains "$errors" "$message" "$what $verbose: the error"
    [ -z "$(find "$XTC_HOME/toolchains" "$XTC_HOME/targets" -mindepth 1 2>/dev/null)" ] ||
      fail "$what: something was installed: $(find "$XTC_HOME/toolchains" "$XTC_HOME/targets")"
    [ ! -e "$XTC_HOME/cache/$hex" ] && [ ! -e "$XTC_HOME/cache/$arm_hex" ] ||
      fail "$what: a download was kept"
  done
}

# xtc_gets LOG DIGEST STATUS: LOG (a registry's access log) shows xtc's GET
# of the blob answered STATUS.
xtc_gets() {
  grep -E "\"GET /v2/$repo/blobs/$2 HTTP/[0-9.]+\" $3 .*\"xtc/[0-9]" "$1" >/dev/null
}

# --- anonymous ------------------------------------------------------------------
start_registry anonymous
anonymous=$REGISTRY anonymous_log=$REGISTRY_LOG
push_blob_with_skopeo "$file" "$repo" 1.2.3
assert_eq "$BLOB_DIGEST" "sha256:$hex" "the pushed blob's digest"
oci=oci://$anonymous/$repo@sha256:$hex

# The registry alone: no https URL in the row.
write_manifest "$id" "$oci"
add anonymous
assert_installed anonymous
xtc_gets "$anonymous_log" "sha256:$hex" 200 || fail "the registry did not serve xtc the blob: $(cat "$anonymous_log")"
assert_eq "$(grep -c '"xtc/[0-9]' "$anonymous_log")" 1 "xtc's requests to an anonymous registry"

# An oci:// URL whose digest is not the row's sha256: the manifest is
# refused before any request.
write_manifest "$id" "oci://$anonymous/$repo@sha256:$arm_hex"
requests=$(grep -c . "$anonymous_log")
add "digest mismatch"
assert_eq "$STATUS" 1 "digest mismatch: exit status ($ERR)"
assert_eq "$(printf '%s\n' "$ERR" | grep -c '^xtc: error:')" 1 "digest mismatch: error lines in '$ERR'"
assert_contains "$ERR" "does not end in the artifact's digest 'sha256:$hex'" "digest mismatch"
assert_eq "$(grep -c . "$anonymous_log")" "$requests" "requests made for a refused manifest"

# A blob the registry does not have: 404, then the next URL, with a warning;
# alone, one error.
arm_oci=oci://$anonymous/$repo@sha256:$arm_hex
write_manifest "$arm_id" "$arm_oci" "$XTC_TEST_MIRROR/$served/$arm_id.tar.xz"
homes=$((homes + 1))
export XTC_HOME=$WORK/home.$homes
run_xtc --manifest "$WORK/manifest.toml" target add aarch64-linux-musl --flavor llvm --no-config --no-rustup
[ "$STATUS" -eq 0 ] || fail "missing blob, then https: xtc exited $STATUS: $ERR"
assert_contains "$ERR" "xtc: warning: cannot download '$arm_id' from '$arm_oci': HTTP 404 Not Found; trying the next mirror"
xtc_gets "$anonymous_log" "sha256:$arm_hex" 404 || fail "no 404 in the registry's log"
grep -q "\"GET /$served/$arm_id.tar.xz HTTP/1.1\" 200 " "$XTC_TEST_ACCESS_LOG" ||
  fail "the https mirror did not serve the fallback"
write_manifest "$arm_id" "$arm_oci"
for verbose in "" --verbose; do
  homes=$((homes + 1))
  export XTC_HOME=$WORK/home.$homes
  run_xtc $verbose --manifest "$WORK/manifest.toml" target add aarch64-linux-musl --flavor llvm --no-config --no-rustup
  assert_eq "$STATUS" 1 "missing blob alone $verbose: exit status"
  assert_eq "$(printf '%s\n' "$ERR" | grep '^xtc: error:')" \
    "xtc: error: cannot download '$arm_id' from '$arm_oci': HTTP 404 Not Found" "missing blob alone $verbose"
  [ -z "$(find "$XTC_HOME/toolchains" "$XTC_HOME/targets" -mindepth 1 2>/dev/null)" ] ||
    fail "missing blob alone: something was installed"
done

# A registry that is down (nothing listens on the port): retried, then the
# next URL with a warning.
closed=127.0.0.1:$(free_port)
write_manifest "$id" "oci://$closed/$repo@sha256:$hex" "$https_url"
add "registry down"
assert_installed "registry down"
assert_contains "$ERR" "xtc: warning: cannot download '$id' from 'oci://$closed/$repo@sha256:$hex': "
assert_contains "$ERR" "; trying the next mirror"
grep -q "\"GET /$served/$id.tar.xz HTTP/1.1\" 200 " "$XTC_TEST_ACCESS_LOG" ||
  fail "the https mirror did not serve the fallback for the registry that is down"

# --- htpasswd (Basic) -----------------------------------------------------------
start_registry htpasswd
basic=$REGISTRY basic_log=$REGISTRY_LOG basic_user=$REGISTRY_USER basic_password=$REGISTRY_PASSWORD
remember_secret "$basic_password" "$basic_user"
push_blob_with_skopeo "$file" "$repo" 1.2.3
write_manifest "$id" "oci://$basic/$repo@sha256:$hex"

# Credentials from XTC_REGISTRY_AUTH.
XTC_REGISTRY_AUTH=$basic_user:$basic_password add "htpasswd, XTC_REGISTRY_AUTH" --verbose
assert_installed "htpasswd, XTC_REGISTRY_AUTH"
xtc_gets "$basic_log" "sha256:$hex" 401 && xtc_gets "$basic_log" "sha256:$hex" 200 ||
  fail "no challenge, then the blob, in the registry's log: $(cat "$basic_log")"

# Credentials from a Docker config's auths entry.
mkdir -p "$WORK/docker-auths"
printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$basic" \
  "$(printf '%s' "$basic_user:$basic_password" | base64 -w0)" >"$WORK/docker-auths/config.json"
DOCKER_CONFIG=$WORK/docker-auths add "htpasswd, Docker config auths"
assert_installed "htpasswd, Docker config auths"

# Wrong password: refused, the password nowhere.
wrong=wrong-$RANDOM$RANDOM
remember_secret "$wrong" "$basic_user"
XTC_REGISTRY_AUTH=$basic_user:$wrong expect_failure "htpasswd, wrong password" \
  "registry '$basic' refused the credentials from XTC_REGISTRY_AUTH"

# No credentials at all (the credential store knows no such registry).
# The helper answers for XTCTEST_HELPER_REGISTRY alone, as the real ones
# do, and logs which registry it was asked about.
mkdir -p "$WORK/bin" "$WORK/docker-store" "$WORK/docker-helper"
cat >"$WORK/bin/docker-credential-xtctest" <<SH
#!/bin/sh
[ "\$1" = get ] || exit 2
read -r registry || true
echo "\$registry" >>"$WORK/helper.log"
if [ "\$registry" = "\$XTCTEST_HELPER_REGISTRY" ]; then
  printf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}\n' "\$registry" \
    "\$XTCTEST_HELPER_USER" "\$XTCTEST_HELPER_SECRET"
  exit 0
fi
echo "credentials not found in native keychain"
exit 1
SH
chmod +x "$WORK/bin/docker-credential-xtctest"
export PATH=$WORK/bin:$PATH XTCTEST_HELPER_REGISTRY=none.example
printf '{"credsStore": "xtctest"}\n' >"$WORK/docker-store/config.json"
DOCKER_CONFIG=$WORK/docker-store expect_failure "htpasswd, no credentials" \
  "registry '$basic' needs a user name and password"
grep -qx "$basic" "$WORK/helper.log" || fail "xtc did not ask the credential store"

# --- token (Bearer) ---------------------------------------------------------------
start_registry token
bearer=$REGISTRY bearer_log=$REGISTRY_LOG bearer_user=$REGISTRY_USER bearer_password=$REGISTRY_PASSWORD
bearer_tokens=$TOKEN_STATE bearer_token_log=$TOKEN_LOG
remember_secret "$bearer_password" "$bearer_user"
push_blob_with_skopeo "$file" "$repo" 1.2.3
write_manifest "$id" "oci://$bearer/$repo@sha256:$hex"

# Credentials from a credential helper (credHelpers), with --verbose: the
# token service sees the user, xtc prints neither password nor token.
export XTCTEST_HELPER_REGISTRY=$bearer XTCTEST_HELPER_USER=$bearer_user \
  XTCTEST_HELPER_SECRET=$bearer_password
printf '{"credHelpers": {"%s": "xtctest"}}\n' "$bearer" >"$WORK/docker-helper/config.json"
: >"$bearer_token_log"
DOCKER_CONFIG=$WORK/docker-helper add "token, credential helper" --verbose
assert_installed "token, credential helper"
assert_eq "$(awk '{print $2, $3, $4}' "$bearer_token_log")" \
  "$bearer_user 200 repository:$repo:pull" "token requests"
xtc_gets "$bearer_log" "sha256:$hex" 200 || fail "the token registry did not serve xtc"
[ -s "$bearer_tokens/issued" ] || fail "no token was issued"

# No credentials: an anonymous pull token.
: >"$bearer_token_log"
add "token, anonymous"
assert_installed "token, anonymous"
assert_eq "$(awk '{print $2, $3, $4}' "$bearer_token_log")" \
  "anonymous 200 repository:$repo:pull" "token requests"

# Two artifacts of one registry and repository in one run: one token for
# both (cached per registry and scope), both installed.
push_blob_with_skopeo "$arm_file" "$repo" aarch64
write_manifest "$id" "oci://$bearer/$repo@sha256:$hex" -- "$arm_id" "oci://$bearer/$repo@sha256:$arm_hex"
: >"$bearer_token_log"
homes=$((homes + 1))
export XTC_HOME=$WORK/home.$homes
XTC_REGISTRY_AUTH=$bearer_user:$bearer_password \
  run_xtc --manifest "$WORK/manifest.toml" target add "$triple" aarch64-linux-musl --flavor llvm --no-config --no-rustup
assert_no_secret "two artifacts"
assert_contains "$ERR" "added aarch64-linux-musl (llvm flavor, musl " "two artifacts"
assert_installed "two artifacts"
assert_eq "$(awk '{print $2, $3, $4}' "$bearer_token_log")" \
  "$bearer_user 200 repository:$repo:pull" "token requests for two artifacts"
xtc_gets "$bearer_log" "sha256:$arm_hex" 200 || fail "the token registry did not serve the second artifact"
write_manifest "$id" "oci://$bearer/$repo@sha256:$hex"

# XTC_REGISTRY_TOKEN: used as it is, no token request; a bad one refused.
given=$(curl -sf --cacert "$REGISTRY_CA" -u "$bearer_user:$bearer_password" \
  "$TOKEN_REALM?service=xtc-test-registry&scope=repository:$repo:pull" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
: >"$bearer_token_log"
XTC_REGISTRY_TOKEN=$given add "token, XTC_REGISTRY_TOKEN" --verbose
assert_installed "token, XTC_REGISTRY_TOKEN"
[ ! -s "$bearer_token_log" ] || fail "xtc asked for a token it was given: $(cat "$bearer_token_log")"
bogus=bogus-$RANDOM$RANDOM
secrets+=("$bogus")
XTC_REGISTRY_TOKEN=$bogus expect_failure "token, bad XTC_REGISTRY_TOKEN" \
  "registry '$bearer' refused the token in XTC_REGISTRY_TOKEN"

# The token service refuses the password.
: >"$bearer_token_log"
XTC_REGISTRY_AUTH=$bearer_user:$wrong expect_failure "token, wrong password" \
  "cannot get a token for 'repository:$repo:pull' from registry '$bearer': "
assert_contains "$(cat "$bearer_token_log")" "bad-credentials:$bearer_user 401" "the token log"

# Tokens the registry does not trust (another issuer): every fresh token
# is refused before a byte arrives, and xtc gives up after a few.
echo someone-else >"$bearer_tokens/issuer"
: >"$bearer_token_log"
XTC_REGISTRY_AUTH=$bearer_user:$bearer_password expect_failure "token, untrusted issuer" \
  "registry '$bearer' refused every token for repository:$repo:pull (3 in a row)"
rm -f "$bearer_tokens/issuer"

# A token that expires mid-download: the registry refuses a token 3 s after
# it was issued; a proxy in front of it relays the first blob response's
# first 500000 bytes, waits 5 s and resets the connection. The resume
# (Range) draws a 401, xtc gets a new token and resumes with it.
set_token_lifetime 3 "$bearer_tokens"
start_registry_faults expiry proxy "$bearer" 500000 5
proxy=127.0.0.1:$FAULTS_PORTS
write_manifest "$id" "oci://$proxy/$repo@sha256:$hex"
: >"$bearer_token_log"
XTC_REGISTRY_AUTH=$bearer_user:$bearer_password add "token expired mid-download"
assert_installed "token expired mid-download"
assert_eq "$(awk '{print $2, $3}' "$bearer_token_log" | tr '\n' ' ')" \
  "$bearer_user 200 $bearer_user 200 " "token requests of a download that outlived its token"
assert_eq "$(awk '{print $4, $5, $7}' "$FAULTS_STATE/requests.log" | tr '\n' ' ')" \
  "401 none relay 200 bearer cut-500000 401 bearer relay 206 bearer relay " \
  "the proxied requests (status, auth, action)"
awk '$4 == 206 && $6 !~ /^bytes=[1-9][0-9]*-$/ {exit 1}' "$FAULTS_STATE/requests.log" ||
  fail "the download did not resume: $(cat "$FAULTS_STATE/requests.log")"
set_token_lifetime 300 "$bearer_tokens"

# --- a redirect to another host ------------------------------------------------
# A fake registry answers the blob with 401 Bearer, then (with the token)
# 307 to its storage on https://localhost:<port>: the token stays behind.
mkdir -p "$WORK/storage"
ln "$file" "$WORK/storage/$hex" 2>/dev/null || cp "$file" "$WORK/storage/$hex"
start_registry_faults redirect redirect "$WORK/storage"
read -r fake_port storage_port <<<"$FAULTS_PORTS"
write_manifest "$id" "oci://127.0.0.1:$fake_port/$repo@sha256:$hex"
add "redirect to storage" --verbose
assert_installed "redirect to storage"
assert_eq "$(awk '{print $3, $4}' "$FAULTS_STATE/registry.log" | tr '\n' ' ')" \
  "401 none 200 none 307 bearer " "the fake registry's requests (status, auth)"
[ -s "$FAULTS_STATE/storage.log" ] || fail "the storage (port $storage_port) got no request"
awk '$4 != "-" {exit 1}' "$FAULTS_STATE/storage.log" ||
  fail "the redirect carried an Authorization header: $(cat "$FAULTS_STATE/storage.log")"
echo "PASS: oci:// blobs from a registry: anonymous, Basic and Bearer, every credential source, faults"
