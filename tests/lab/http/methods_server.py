#!/usr/bin/env python3
"""certexam HTTP lab: a server with dangerous methods (127.0.0.1 only).

    methods_server.py PORT

OPTIONS advertises TRACE, PROPFIND, PUT and DELETE; TRACE and TRACK echo
the request (cross-site tracing); PROPFIND answers 207 Multi-Status
(WebDAV); PUT answers 201 and DELETE 204 (nothing is stored).  GET / is a
copy of nginx's default page title, any other GET is 404.
"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "LabDAV"
    sys_version = ""

    def log_message(self, fmt, *args):
        # one line per request, "METHOD /path": tests read it
        sys.stderr.write("%s %s\n" % (self.command, self.path))
        sys.stderr.flush()

    def reply(self, status, body=b"", ctype="text/html", extra=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def drain(self):
        n = int(self.headers.get("Content-Length") or 0)
        if 0 < n <= 65536:
            self.rfile.read(n)

    def do_GET(self):
        if self.path == "/":
            # the default page of a fresh nginx install, as on a
            # forgotten server
            self.reply(200, b"<html><head><title>Welcome to nginx!</title>"
                       b"</head><body>methods lab</body></html>\n")
        else:
            self.reply(404, b"<html><body>not found</body></html>\n")

    def do_HEAD(self):
        self.do_GET()

    def do_OPTIONS(self):
        self.reply(200, b"", "text/plain", {
            "Allow": "GET, HEAD, OPTIONS, TRACE, PROPFIND, PUT, DELETE",
            "DAV": "1,2"})

    def echo(self):
        head = "%s %s %s\r\n" % (self.command, self.path,
                                 self.request_version)
        head += "".join("%s: %s\r\n" % (k, v) for k, v in
                        self.headers.items())
        self.reply(200, head.encode("latin-1", "replace"), "message/http")

    def do_TRACE(self):
        self.echo()

    def do_TRACK(self):
        self.echo()

    def do_PROPFIND(self):
        self.drain()
        body = (b'<?xml version="1.0"?><D:multistatus xmlns:D="DAV:">'
                b"<D:response><D:href>/</D:href></D:response>"
                b"</D:multistatus>\n")
        self.reply(207, body, "application/xml")

    def do_PUT(self):
        self.drain()
        self.reply(201, b"created\n", "text/plain")

    def do_DELETE(self):
        self.reply(204)


def main():
    port = int(sys.argv[1])
    srv = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    srv.daemon_threads = True
    srv.serve_forever()


if __name__ == "__main__":
    main()
