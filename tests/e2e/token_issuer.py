#!/usr/bin/env python3
"""A token service for a registry in `auth: token` mode (CNCF distribution
2.8), on 127.0.0.1 over HTTPS, for xtc's registry tests.

    token_issuer.py STATE_DIR

reads STATE_DIR/config.json:

    {"tls_cert": PEM, "tls_key": PEM,        the HTTPS server's own pair
     "sign_cert": PEM, "sign_key": PEM,      RSA pair that signs the tokens
     "issuer": NAME, "service": NAME,        the registry's issuer, service
     "user": U, "password": P,               the one account
     "anonymous": "pull" | "refuse",         what a request without
                                             credentials gets
     "lifetime": SECONDS}

serves GET /token?service=…&scope=…[&scope=…] on a free port, writes the
port to STATE_DIR/port once it listens, and appends one line per request to
STATE_DIR/requests.log:

    <time> <who> <status> <scope>…

where <who> is the user name, "anonymous", or "bad-credentials:<user>". No
password or token is ever logged there; the tokens issued go to
STATE_DIR/issued, one a line, for a test to check that no output shows
them. STATE_DIR/lifetime, when it exists, holds the lifetime in seconds and
overrides the config's (a test shortens it after pushing).

A token is a JWT signed RS256 (by the openssl CLI) whose header carries the
signing certificate in "x5c"; the registry verifies that chain against its
rootcertbundle (registry/auth/token/token.go: x5c is tried before jwk and
kid). Its claims: iss, sub, aud (= service: a string, as 2.8 expects), exp,
nbf, iat, jti, access. distribution 2.8 accepts a token until 60 s (its
Leeway) after "exp", so exp is set LIFETIME - 60 s from now: the registry
then refuses the token LIFETIME seconds after it was issued, which lets a
test see a token expire within seconds. "expires_in" says LIFETIME.

Valid credentials get every action asked for; anonymous requests get "pull"
only (or a 401 when anonymous is "refuse"); wrong credentials get a 401.
"""
import base64
import datetime
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

import loopback_tls

STATE = sys.argv[1]
with open(os.path.join(STATE, "config.json")) as f:
    CONFIG = json.load(f)
LOG_LOCK = threading.Lock()
# distribution 2.8's registry/auth/token.Leeway
LEEWAY = 60


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def der_base64(pem_path):
    out = subprocess.run(["openssl", "x509", "-in", pem_path, "-outform", "DER"],
                         capture_output=True, check=True).stdout
    return base64.b64encode(out).decode()


X5C = der_base64(CONFIG["sign_cert"])


def lifetime():
    try:
        with open(os.path.join(STATE, "lifetime")) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return int(CONFIG.get("lifetime", 300))


def issuer():
    """The "iss" claim: STATE/issuer when a test wrote one (a token service
    the registry does not trust), else the configured issuer."""
    try:
        with open(os.path.join(STATE, "issuer")) as f:
            return f.read().strip()
    except OSError:
        return CONFIG["issuer"]


def sign(header, claims):
    signing_input = "%s.%s" % (b64url(json.dumps(header).encode()),
                               b64url(json.dumps(claims).encode()))
    signature = subprocess.run(
        ["openssl", "dgst", "-sha256", "-sign", CONFIG["sign_key"]],
        input=signing_input.encode(), capture_output=True, check=True).stdout
    return "%s.%s" % (signing_input, b64url(signature))


def parse_scope(scope):
    # repository:<name>:<actions>; the name may hold ':' only in a port of
    # a registry-qualified name, which a registry's own scope never has.
    kind, _, rest = scope.partition(":")
    name, _, actions = rest.rpartition(":")
    if not kind or not name:
        return None
    return {"type": kind, "name": name,
            "actions": [a for a in actions.split(",") if a]}


class Handler(loopback_tls.Handler):

    def record(self, who, status, scopes):
        line = "%.6f %s %d %s\n" % (time.time(), who, status,
                                    " ".join(scopes) or "-")
        with LOG_LOCK, open(os.path.join(STATE, "requests.log"), "a") as log:
            log.write(line)

    def answer(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def who(self):
        """(user or None, credentials valid)."""
        value = self.headers.get("Authorization", "")
        if not value.lower().startswith("basic "):
            return None, False
        try:
            pair = base64.b64decode(value[6:].strip()).decode()
        except (ValueError, UnicodeDecodeError):
            return "?", False
        user, _, password = pair.partition(":")
        return user, (user == CONFIG["user"] and
                      password == CONFIG["password"])

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        scopes = [s for value in query.get("scope", []) for s in value.split(" ")
                  if s]
        if url.path != "/token":
            self.answer(404, {"errors": [{"code": "NOT_FOUND"}]})
            return self.record("-", 404, [url.path])
        user, valid = self.who()
        if user is not None and not valid:
            self.answer(401, {"errors": [{"code": "UNAUTHORIZED",
                                          "message": "invalid credentials"}]},
                        {"WWW-Authenticate": 'Basic realm="xtc test tokens"'})
            return self.record("bad-credentials:" + user, 401, scopes)
        if user is None and CONFIG.get("anonymous") == "refuse":
            self.answer(401, {"errors": [{"code": "UNAUTHORIZED",
                                          "message": "authentication required"}]},
                        {"WWW-Authenticate": 'Basic realm="xtc test tokens"'})
            return self.record("anonymous", 401, scopes)
        service = query.get("service", [""])[0]
        access = []
        for scope in scopes:
            item = parse_scope(scope)
            if item is None:
                continue
            if user is None:
                item["actions"] = [a for a in item["actions"] if a == "pull"]
            access.append(item)
        now = int(time.time())
        life = lifetime()
        claims = {
            "iss": issuer(),
            "sub": user or "",
            "aud": service,
            "exp": now + life - LEEWAY,
            "nbf": now - 1,
            "iat": now,
            "jti": uuid.uuid4().hex,
            "access": access,
        }
        token = sign({"typ": "JWT", "alg": "RS256", "x5c": [X5C]}, claims)
        issued = datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
        self.answer(200, {"token": token, "access_token": token,
                          "expires_in": life,
                          "issued_at": issued.strftime("%Y-%m-%dT%H:%M:%SZ")})
        self.record(user or "anonymous", 200, scopes)
        with LOG_LOCK, open(os.path.join(STATE, "issued"), "a") as issued:
            issued.write(token + "\n")


def main():
    port = loopback_tls.start(Handler, CONFIG["tls_cert"], CONFIG["tls_key"])
    loopback_tls.publish_ports(STATE, [port])
    loopback_tls.serve_forever()


if __name__ == "__main__":
    main()
