#!/usr/bin/env python3
"""An HTTP server on 127.0.0.1 that misbehaves on purpose, for xtc's download
tests.

    fault_server.py ROOT STATE_DIR

serves the files of ROOT on a free port, writes the port to STATE_DIR/port
once it listens, and appends one line per request to STATE_DIR/requests.log:

    <start> <end> <path> <action> <status> <Range header or ->

(start and end in seconds since the epoch, as floats). A request path is
/<plan>/<file>, where <plan> is a comma-separated list of actions: the n-th
request for that exact path performs the n-th action, and the last action
repeats. Actions:

    ok          serve the file (Range honoured)
    drop-N      send the headers and N body bytes, then reset the connection
    short-N     announce the full Content-Length, send N bytes, close cleanly
    stall-N     send N body bytes, then nothing until the client gives up
    500, 503    answer with that status
    429-S       answer 429 with Retry-After: S
    norange     serve the whole file with 200, ignoring Range
    wrong       serve the right length of wrong bytes
    redirect    answer 302 to the same file under the next action's plan
    gate-K      wait (up to 10 s) until K gated requests are in flight, then
                serve the file; the log shows their overlap
"""
import http.server
import os
import socket
import struct
import sys
import threading
import time

ROOT, STATE = sys.argv[1], sys.argv[2]
LOG_LOCK = threading.Lock()
COUNT_LOCK = threading.Lock()
COUNTS = {}
GATES = {}


def gate(size):
    with COUNT_LOCK:
        barrier = GATES.setdefault(size, threading.Barrier(size, timeout=10))
    try:
        barrier.wait()
        return "gate"
    except threading.BrokenBarrierError:
        return "gate-timeout"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def record(self, start, action, status):
        line = "%.6f %.6f %s %s %s %s\n" % (
            start, time.time(), self.path, action, status,
            self.headers.get("Range", "-").replace(" ", ""))
        with LOG_LOCK, open(os.path.join(STATE, "requests.log"), "a") as log:
            log.write(line)

    def do_GET(self):
        start = time.time()
        parts = self.path.split("/")
        if len(parts) != 3 or not parts[1] or not parts[2]:
            self.simple(404)
            return self.record(start, "-", 404)
        plan, name = parts[1].split(","), parts[2]
        with COUNT_LOCK:
            index = COUNTS.get(self.path, 0)
            COUNTS[self.path] = index + 1
        action = plan[min(index, len(plan) - 1)]
        try:
            with open(os.path.join(ROOT, name), "rb") as f:
                data = f.read()
        except OSError:
            self.simple(404)
            return self.record(start, action, 404)
        status = self.act(action, plan, index, name, data)
        self.record(start, action, status)

    def act(self, action, plan, index, name, data):
        kind, _, arg = action.partition("-")
        if kind in ("500", "503"):
            self.simple(int(kind))
            return int(kind)
        if kind == "429":
            self.simple(429, {"Retry-After": arg})
            return 429
        if kind == "redirect":
            rest = ",".join(plan[index + 1:]) or "ok"
            self.simple(302, {"Location": "/%s/%s" % (rest, name)})
            return 302
        if kind == "wrong":
            data = bytes(b ^ 0x5A for b in data)
            return self.body(data, 200, len(data), len(data))
        if kind == "gate":
            note = gate(int(arg))
            if note != "gate":
                self.simple(500)
                return note
            kind = "ok"
        if kind == "norange":
            return self.body(data, 200, len(data), len(data))
        begin = 0
        status = 200
        wanted = self.headers.get("Range", "")
        if wanted.startswith("bytes=") and kind != "norange":
            first = wanted[6:].split("-")[0]
            begin = int(first) if first else 0
            if begin >= len(data):
                self.simple(416, {"Content-Range": "bytes */%d" % len(data)})
                return 416
            status = 206
        part = data[begin:]
        headers = {}
        if status == 206:
            headers["Content-Range"] = "bytes %d-%d/%d" % (
                begin, len(data) - 1, len(data))
        if kind == "ok":
            return self.body(part, status, len(part), len(part), headers)
        count = int(arg)
        if kind == "drop":
            self.body(part, status, len(part), count, headers)
            time.sleep(0.2)  # let the client read what was sent
            # SO_LINGER 0: close with a reset, as a dying middlebox would.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.close_connection = True
            return status
        if kind == "short":
            self.body(part, status, len(part), count, headers)
            self.close_connection = True
            return status
        if kind == "stall":
            self.body(part, status, len(part), count, headers)
            # Silence until the client times out and closes its end.
            self.connection.settimeout(60)
            try:
                while self.connection.recv(1):
                    pass
            except OSError:
                pass
            self.close_connection = True
            return status
        self.simple(400)
        return 400

    def simple(self, status, headers=None):
        body = b"fault server\n"
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self, data, status, length, count, headers=None):
        self.send_response(status)
        self.send_header("Content-Length", str(length))
        self.send_header("Content-Type", "application/octet-stream")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(data[:count])
            self.wfile.flush()
        except OSError:
            pass
        return status


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port_file = os.path.join(STATE, "port")
    with open(port_file + ".tmp", "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
