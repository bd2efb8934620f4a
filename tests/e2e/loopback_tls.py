"""What the loopback HTTPS servers of the e2e tests share (the token
service, the registry fault servers): a threading server on 127.0.0.1 with a
free port, TLS from the test CA, and the port published to a state file once
it listens.

The TLS handshake happens in the request's thread (Handler.setup), not in
accept(): a client that never speaks TLS must not block the others.
"""
import http.server
import os
import ssl
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    """A quiet HTTP/1.1 handler whose connection finishes its TLS handshake
    in its own thread."""
    protocol_version = "HTTP/1.1"

    def setup(self):
        self.request.do_handshake()
        super().setup()

    def log_message(self, *args):
        pass


def start(handler, cert, key):
    """Serves `handler` over TLS on a free loopback port, in a thread;
    returns the port."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True,
                                        do_handshake_on_connect=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def publish_ports(state, ports):
    """Writes the ports, space-separated, to STATE/port (atomically: the
    harness polls for the file)."""
    port_file = os.path.join(state, "port")
    with open(port_file + ".tmp", "w") as f:
        f.write(" ".join(str(p) for p in ports) + "\n")
    os.rename(port_file + ".tmp", port_file)


def serve_forever():
    threading.Event().wait()
