#!/usr/bin/env python3
"""HTTPS servers on 127.0.0.1 that put an OCI registry in awkward
situations, for xtc's oci:// tests. Two roles:

    registry_faults.py proxy STATE_DIR UPSTREAM CUT PAUSE

forwards every request to https://UPSTREAM (a real registry) and relays
the answer, except the first blob GET answered 200: of that one it relays
the headers and CUT body bytes, waits PAUSE seconds (long enough for the
client's token to expire), then resets the connection. Logs one line per
request to STATE_DIR/requests.log:

    <time> <method> <path> <status> <auth> <range> <action>

(<auth>: none, basic or bearer; <range>: the Range header or -; <action>:
relay or cut-<CUT>).

    registry_faults.py redirect STATE_DIR ROOT

a fake registry with two servers. The first answers a blob GET without a
Bearer token with 401 and "WWW-Authenticate: Bearer realm=<its /token>",
hands out the token in STATE_DIR/token at /token, and answers a blob GET
carrying that token with 307 to the second server, named "localhost"
rather than 127.0.0.1 (another host, as a registry's storage is). The second
serves ROOT/<hex> for /data/sha256:<hex> and logs every request with its
Authorization header, which must be absent. Logs:

    STATE_DIR/registry.log  <time> <path> <status> <auth>
    STATE_DIR/storage.log   <time> <path> <status> <Authorization or ->

Both roles write their port(s) to STATE_DIR/port (redirect: "REGISTRY
STORAGE") once they listen. The TLS certificate and key come from
XTC_REGISTRY_TLS (a directory with server.pem and server.key) and the CA
that verifies the upstream from XTC_REGISTRY_CA.
"""
import http.client
import os
import secrets
import socket
import ssl
import struct
import sys
import threading
import time

import loopback_tls

ROLE, STATE = sys.argv[1], sys.argv[2]
TLS = os.environ["XTC_REGISTRY_TLS"]
LOG_LOCK = threading.Lock()
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te",
              "trailer", "upgrade", "proxy-authenticate",
              "proxy-authorization"}


def log(name, *fields):
    line = "%.6f %s\n" % (time.time(), " ".join(str(f) for f in fields))
    with LOG_LOCK, open(os.path.join(STATE, name), "a") as f:
        f.write(line)


def auth_kind(headers):
    value = headers.get("Authorization")
    return value.split(" ", 1)[0].lower() if value else "none"


class Base(loopback_tls.Handler):

    def simple(self, status, headers=None, body=b"{}\n"):
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def reset(self):
        # SO_LINGER 0: close with a reset, as a dying middlebox would.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack("ii", 1, 0))
        self.close_connection = True


# --- proxy ------------------------------------------------------------------

class Proxy(Base):
    cut_done = False
    cut_lock = threading.Lock()

    def do_GET(self):
        self.relay()

    def do_HEAD(self):
        self.relay()

    def relay(self):
        upstream, cut, pause = sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
        context = ssl.create_default_context(cafile=os.environ["XTC_REGISTRY_CA"])
        host, port = upstream.rsplit(":", 1)
        conn = http.client.HTTPSConnection(host, int(port), context=context,
                                           timeout=30)
        conn.putrequest(self.command, self.path, skip_host=True,
                        skip_accept_encoding=True)
        for key, value in self.headers.items():
            if key.lower() not in HOP_BY_HOP:
                conn.putheader(key, value)
        conn.endheaders()
        response = conn.getresponse()
        body = response.read()
        action = "relay"
        if (self.command == "GET" and "/blobs/" in self.path and
                response.status == 200):
            with Proxy.cut_lock:
                if not Proxy.cut_done:
                    Proxy.cut_done = True
                    action = "cut-%d" % cut
        log("requests.log", self.command, self.path, response.status,
            auth_kind(self.headers), self.headers.get("Range", "-").replace(" ", ""),
            action)
        self.send_response(response.status, response.reason)
        for key, value in response.getheaders():
            if key.lower() not in HOP_BY_HOP | {"content-length", "date",
                                                 "server"}:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "HEAD":
            return
        if action == "relay":
            self.wfile.write(body)
            return
        self.wfile.write(body[:cut])
        self.wfile.flush()
        time.sleep(pause)
        self.reset()


# --- redirect ---------------------------------------------------------------

TOKEN = "tok-" + secrets.token_hex(24)
PORTS = {}


class FakeRegistry(Base):
    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/token":
            status = 200
            self.simple(200, {"Content-Type": "application/json"},
                        b'{"token": "%s", "expires_in": 300}' % TOKEN.encode())
        elif "/blobs/sha256:" in path:
            hex_digest = path.rsplit(":", 1)[1]
            repo = path[len("/v2/"):path.index("/blobs/")]
            if self.headers.get("Authorization") == "Bearer " + TOKEN:
                status = 307
                self.simple(307, {"Location": "https://localhost:%d/data/sha256:%s?expires=%d"
                                  % (PORTS["storage"], hex_digest, time.time() + 60)})
            else:
                status = 401
                challenge = ('Bearer realm="https://127.0.0.1:%d/token",'
                             'service="fake-registry",scope="repository:%s:pull"'
                             % (PORTS["registry"], repo))
                self.simple(401, {"WWW-Authenticate": challenge,
                                  "Content-Type": "application/json"})
        else:
            status = 404
            self.simple(404)
        log("registry.log", path, status, auth_kind(self.headers))


class Storage(Base):
    def do_GET(self):
        path = self.path.split("?", 1)[0]
        name = path.rsplit(":", 1)[-1]
        authorization = self.headers.get("Authorization", "-").replace(" ", "_")
        try:
            with open(os.path.join(sys.argv[3], name), "rb") as f:
                data = f.read()
        except OSError:
            log("storage.log", path, 404, authorization)
            return self.simple(404)
        begin, status, headers = 0, 200, {}
        wanted = self.headers.get("Range", "")
        if wanted.startswith("bytes="):
            begin = int(wanted[6:].split("-")[0] or 0)
            status = 206
            headers["Content-Range"] = "bytes %d-%d/%d" % (begin, len(data) - 1,
                                                          len(data))
        log("storage.log", path, status, authorization)
        headers["Content-Type"] = "application/octet-stream"
        self.simple(status, headers, data[begin:])


def serve(handler):
    return loopback_tls.start(handler, os.path.join(TLS, "server.pem"),
                              os.path.join(TLS, "server.key"))


def main():
    if ROLE == "proxy":
        ports = [serve(Proxy)]
    elif ROLE == "redirect":
        with open(os.path.join(STATE, "token"), "w") as f:
            f.write(TOKEN + "\n")
        PORTS["registry"] = serve(FakeRegistry)
        PORTS["storage"] = serve(Storage)
        ports = [PORTS["registry"], PORTS["storage"]]
    else:
        sys.exit("unknown role %r (proxy or redirect)" % ROLE)
    loopback_tls.publish_ports(STATE, ports)
    loopback_tls.serve_forever()


if __name__ == "__main__":
    main()
