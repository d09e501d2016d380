#!/usr/bin/env python3
"""certexam HTTP lab: hostile servers on 127.0.0.1 (one port per mode).

    hostile_server.py FLOOD_PORT SILENT_PORT GARBAGE_PORT ENDLESS_PORT \
                      LONGCOOKIE_PORT MANYCOOKIES_PORT MANYFIELDS_PORT

flood   answers every request with 5000 header lines (one of them 200 KiB
        long) and then an endless body;
silent  accepts connections and never answers;
garbage answers with bytes that are not HTTP, then closes;
endless answers with a normal head and an endless HTML body;
longcookie  a 100 KB Set-Cookie line in an otherwise normal page (the
        fetcher keeps 64 KiB of head: the cookie is not seen);
manycookies 120 distinct cookies over plain http (c1 twice), then a
        session cookie PHPSESSID without HttpOnly: every one is judged;
manyfields  300 header fields (more than the parser's 256): the head is
        cut and nothing in it may pass.
Every connection ends after 30 s at the latest.
"""
import socket
import socketserver
import sys
import threading
import time


class Flood(socketserver.BaseRequestHandler):
    def handle(self):
        s = self.request
        s.settimeout(30)
        try:
            s.recv(65536)
            head = [b"HTTP/1.1 200 OK\r\n", b"Content-Type: text/html\r\n"]
            for i in range(5000):
                head.append(b"X-Flood-%d: %s\r\n" % (i, b"v" * 20))
            head.append(b"X-Huge: " + b"h" * (200 * 1024) + b"\r\n")
            head.append(b"\r\n")
            s.sendall(b"".join(head))
            chunk = b"<p>" + b"x" * 65530 + b"</p>"
            end = time.time() + 30
            while time.time() < end:
                s.sendall(chunk)
        except OSError:
            pass


class Silent(socketserver.BaseRequestHandler):
    def handle(self):
        s = self.request
        s.settimeout(1)
        end = time.time() + 30
        while time.time() < end:
            try:
                if s.recv(65536) == b"":
                    return
            except socket.timeout:
                continue
            except OSError:
                return


class Garbage(socketserver.BaseRequestHandler):
    def handle(self):
        s = self.request
        s.settimeout(5)
        try:
            s.recv(65536)
            s.sendall(b"\x00\xff\xfeSSH-2.0-not-http\r\n\x1b[31m" * 50)
        except OSError:
            pass


class Endless(socketserver.BaseRequestHandler):
    def handle(self):
        s = self.request
        s.settimeout(30)
        try:
            s.recv(65536)
            s.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                      b"Connection: close\r\n\r\n<html><head><title>"
                      b"Endless</title></head><body>")
            chunk = b"<p>" + b"y" * 65530 + b"</p>"
            end = time.time() + 30
            while time.time() < end:
                s.sendall(chunk)
        except OSError:
            pass


def page(s, head_lines):
    s.settimeout(5)
    try:
        s.recv(65536)
        body = b"<html><head><title>lab</title></head><body>ok</body></html>"
        s.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" +
                  b"".join(head_lines) +
                  b"Content-Length: %d\r\nConnection: close\r\n\r\n"
                  % len(body) + body)
    except OSError:
        pass


class LongCookie(socketserver.BaseRequestHandler):
    def handle(self):
        page(self.request, [b"Set-Cookie: session=" + b"c" * 100000 +
                            b"; Path=/\r\n"])


class ManyCookies(socketserver.BaseRequestHandler):
    def handle(self):
        lines = [b"Set-Cookie: c%d=v; Path=/\r\n" % i for i in range(1, 121)]
        lines.append(b"Set-Cookie: c1=again; Path=/\r\n")
        lines.append(b"Set-Cookie: PHPSESSID=s; Path=/; SameSite=Lax\r\n")
        page(self.request, lines)


class ManyFields(socketserver.BaseRequestHandler):
    def handle(self):
        page(self.request, [b"X-Field-%d: v\r\n" % i for i in range(300)])


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    servers = []
    for port, handler in zip(sys.argv[1:8],
                             (Flood, Silent, Garbage, Endless, LongCookie,
                              ManyCookies, ManyFields)):
        srv = Server(("127.0.0.1", int(port)), handler)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
