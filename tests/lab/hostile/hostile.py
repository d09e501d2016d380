#!/usr/bin/env python3
"""certexam hostile-target lab: servers that misbehave at every stage.

Python standard library only.  Every server listens on ADDR (argument 1)
and the port of its role; the table ROLES below is the list.  Started and
stopped by hostile-lab.sh inside a network namespace the script creates;
nothing here ever connects anywhere.

  hostile.py ADDR STATE_DIR [PORT_BASE]

PORT_BASE (default 0) is added to every port (loopback mode: 25000).
Writes STATE_DIR/ready when every socket listens.  Ends by itself after
LIFETIME seconds.
"""
import gzip
import os
import socket
import struct
import sys
import threading
import time

LIFETIME = 600
ADDR = sys.argv[1]
STATE = sys.argv[2]
BASE = int(sys.argv[3]) if len(sys.argv) > 3 else 0
END = time.time() + LIFETIME

# What a hostile target puts into every field it can: HTML, XML, JSON,
# Markdown and the terminal (line feeds, CR, ESC, C1 CSI, bidi override).
PAYLOAD = ("<script>alert(1)</script>\"'&amp;]]><!--}],{\"x\":1}|**b**`x`"
           "\x1b[2J\x1b]0;pwned\x07\u009b31m\u202eevil\r\nfindings: 0 pass, 0 fail")
PAYLOAD_B = PAYLOAD.encode("utf-8")
HEADER_SAFE = PAYLOAD_B.replace(b"\r\n", b" ")  # one header line


def alive():
    return time.time() < END


def read_head(c, limit=65536):
    data = b""
    c.settimeout(5)
    try:
        while b"\r\n\r\n" not in data and len(data) < limit:
            d = c.recv(4096)
            if not d:
                break
            data += d
    except OSError:
        pass
    return data


def send(c, data):
    try:
        c.sendall(data)
        return True
    except OSError:
        return False


def drip(c, data, every):
    for i in range(len(data)):
        if not alive() or not send(c, data[i:i + 1]):
            return
        time.sleep(every)


def hold(c, seconds=60):
    c.settimeout(1)
    end = time.time() + seconds
    while alive() and time.time() < end:
        try:
            if not c.recv(4096):
                return
        except socket.timeout:
            continue
        except OSError:
            return


# ---- TCP banners ----

def b_tarpit(c):
    hold(c)


def b_huge(c):
    send(c, b"220 " + b"A" * (1 << 20))


def b_drip(c):
    drip(c, b"220 slow banner that never ends " * 100, 0.3)


def b_inject(c):
    send(c, b"220 " + PAYLOAD_B + b"\x00\xff\xfe\r\n" + PAYLOAD_B + b"\r\n")
    hold(c, 5)


def b_flood(c):
    chunk = b"\x00\xff" * 8192
    end = time.time() + 30
    while alive() and time.time() < end and send(c, chunk):
        pass


def b_nul(c):
    send(c, b"\x00" * 4096)
    hold(c, 5)


def b_smtp_tarpit(c):
    # a mail server that greets, then never answers EHLO (the cleartext
    # check's dialogue waits on it)
    send(c, b"220 hostile.test ESMTP ready\r\n")
    hold(c)


def b_spoof(c):
    send(c, b"220 spoof\r\n")


# ---- HTTP ----

def h_tarpit(c):
    read_head(c)
    hold(c)


def h_drip_head(c):
    read_head(c)
    drip(c, b"HTTP/1.1 200 OK\r\nServer: drip\r\nX-Slow: " + b"s" * 400, 0.2)


def h_drip_body(c):
    read_head(c)
    if send(c, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
               b"Content-Length: 1000000\r\n\r\n"):
        drip(c, b"<html>" + b"x" * 10000, 0.2)


def h_nul_header(c):
    read_head(c)
    send(c, b"HTTP/1.1 200 OK\r\nX-Nul: a\x00b\r\nContent-Length: 2\r\n\r\nok")


def h_big_headers(c):
    read_head(c)
    line = b"X-Pad: " + b"a" * 1000 + b"\r\n"
    if send(c, b"HTTP/1.1 200 OK\r\n"):
        for _ in range(10 * 1024):  # 10 MB of headers
            if not send(c, line):
                return
        send(c, b"Content-Length: 2\r\n\r\nok")


def h_bad_chunk(c):
    read_head(c)
    send(c, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"zz\r\nhello\r\nffffffffffffffffff\r\n")
    hold(c, 5)


def h_long_cookie(c):
    read_head(c)
    send(c, b"HTTP/1.1 200 OK\r\nSet-Cookie: session=" + b"c" * 100000 +
         b"; Path=/\r\nContent-Length: 2\r\n\r\nok")


BOMB = None


def h_gzip_bomb(c):
    read_head(c)
    send(c, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
            b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(BOMB)
         + BOMB)
    hold(c, 5)


# Off-scope redirects: every spelling of 10.254.12.3 (a decoy the scanner
# must never contact) and of a host name (a DNS query would be counted too).
REDIRECTS = [
    "http://10.254.12.3/", "https://10.254.12.3/", "//10.254.12.3/x",
    "http://0x0afe0c03/", "http://184421379/", "http://012.0376.014.03/",
    "http://10.254.3075/", "http://[::ffff:10.254.12.3]/",
    "http://10.254.12.2@10.254.12.3/", "http://10.254.12.3%2F@10.254.12.2/",
    "http://evil.example/", "http://10.254.12.3:8010/", "\thttp://10.254.12.3/",
    "http:\\\\10.254.12.3\\", "http://10.254.12.3./", "HTTP://10.254.12.3/",
    "javascript:alert(1)", "file:///etc/passwd",
]
redir_n = [0]
redir_lock = threading.Lock()


def h_redirect(c):
    read_head(c)
    with redir_lock:
        loc = REDIRECTS[redir_n[0] % len(REDIRECTS)]
        redir_n[0] += 1
    send(c, b"HTTP/1.1 302 Found\r\nLocation: " + loc.encode() +
         b"\r\nContent-Length: 0\r\n\r\n")


def h_inject(c):
    head = read_head(c)
    body = (b"<html><head><title>" + PAYLOAD_B + b"</title></head><body>" +
            PAYLOAD_B + b"</body></html>")
    send(c, b"HTTP/1.1 200 OK\r\nServer: " + HEADER_SAFE +
         b"\r\nX-Powered-By: " + HEADER_SAFE +
         b"\r\nSet-Cookie: sid=" + HEADER_SAFE.replace(b";", b"") +
         b"\r\nContent-Security-Policy: default-src " + HEADER_SAFE +
         b"\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(body)
         + (body if not head.startswith(b"HEAD") else b""))


def h_garbage(c):
    read_head(c)
    send(c, b"HTTZ/9.9 999 \x00\x1b[2J\r\n\x01\x02\r\n\r\n")


def h_many_headers(c):
    read_head(c)
    send(c, b"HTTP/1.1 200 OK\r\n" + b"X-A: b\r\n" * 20000 +
         b"X-Long: " + b"L" * 200000 + b"\r\nContent-Length: 2\r\n\r\nok")


# ---- TLS (raw records) ----

def client_hello_suite(c):
    """Read a ClientHello record; the first suite usable in TLS 1.2."""
    c.settimeout(5)
    data = b""
    try:
        while len(data) < 5:
            d = c.recv(5 - len(data))
            if not d:
                return None
            data += d
        n = struct.unpack(">H", data[3:5])[0]
        body = b""
        while len(body) < n:
            d = c.recv(n - len(body))
            if not d:
                return None
            body += d
    except OSError:
        return None
    if data[0] != 22 or len(body) < 40 or body[0] != 1:
        return None
    p = 4 + 2 + 32
    p += 1 + body[p]
    n = struct.unpack(">H", body[p:p + 2])[0]
    suites = body[p + 2:p + 2 + n]
    for i in range(0, len(suites) - 1, 2):
        s = suites[i:i + 2]
        if s[0] != 0x13 and s not in (b"\x00\xff", b"\x56\x00") and \
           (s[0] & 0x0f) != 0x0a:
            return s
    return None


def server_hello(suite):
    body = b"\x03\x03" + os.urandom(32) + b"\x00" + suite + b"\x00"
    hs = b"\x02" + struct.pack(">I", len(body))[1:] + body
    return b"\x16\x03\x03" + struct.pack(">H", len(hs)) + hs


def records(hs):
    out = b""
    for i in range(0, len(hs), 16384):
        part = hs[i:i + 16384]
        out += b"\x16\x03\x03" + struct.pack(">H", len(part)) + part
    return out


def t_tarpit(c):
    client_hello_suite(c)
    hold(c)


def t_drip(c):
    s = client_hello_suite(c)
    if s:
        drip(c, server_hello(s), 0.3)


def t_huge_cert(c):
    """A 300 KB certificate: OpenSSL refuses it (excessive message size);
    our own parser must refuse it too.  No certificate is obtained."""
    s = client_hello_suite(c)
    if s is None:
        return
    der = b"\x30\x83" + struct.pack(">I", 299990)[1:] + os.urandom(299990)
    certs = struct.pack(">I", len(der))[1:] + der
    msg = struct.pack(">I", len(certs))[1:] + certs
    hs = b"\x0b" + struct.pack(">I", len(msg))[1:] + msg
    send(c, server_hello(s) + records(hs))
    hold(c, 5)


def t_bad_records(c):
    s = client_hello_suite(c)
    if s is None:
        return
    send(c, b"\x16\x03\x03\xff\xff" + os.urandom(2000) +
         b"\x17\x03\x03\x00\x00\x15\x03\x03\x00\x02\x02\x28" + b"\x16" * 5000)
    hold(c, 3)


ROLES = {
    # port: (role, handler)
    9: ("allopen", b_spoof),  # every port of 10.254.12.4 is redirected here
    2121: ("banner-huge", b_huge),
    2122: ("banner-drip", b_drip),
    2123: ("banner-inject", b_inject),
    2124: ("banner-flood", b_flood),
    2125: ("tcp-tarpit", b_tarpit),
    2126: ("banner-nul", b_nul),
    2127: ("smtp-tarpit", b_smtp_tarpit),
    8001: ("http-tarpit", h_tarpit),
    8002: ("http-drip-head", h_drip_head),
    8003: ("http-drip-body", h_drip_body),
    8004: ("http-nul-header", h_nul_header),
    8005: ("http-10mb-headers", h_big_headers),
    8006: ("http-bad-chunk", h_bad_chunk),
    8007: ("http-100k-cookie", h_long_cookie),
    8008: ("http-gzip-bomb", h_gzip_bomb),
    8009: ("http-offscope-redirects", h_redirect),
    8010: ("http-inject", h_inject),
    8011: ("http-garbage-status", h_garbage),
    8012: ("http-many-headers", h_many_headers),
    8443: ("tls-tarpit", t_tarpit),
    8444: ("tls-drip", t_drip),
    8445: ("tls-huge-cert", t_huge_cert),
    8446: ("tls-bad-records", t_bad_records),
}


def serve(sock, handler):
    sock.settimeout(1)
    while alive():
        try:
            c, _ = sock.accept()
        except socket.timeout:
            continue
        except OSError:
            return

        def run(c=c):
            try:
                handler(c)
            except Exception:
                pass
            finally:
                try:
                    c.close()
                except OSError:
                    pass
        threading.Thread(target=run, daemon=True).start()


def main():
    global BOMB
    z = gzip.compress(b"\x00" * (64 << 20), compresslevel=9)  # 64 MiB of zeros
    BOMB = z
    socks = []
    for port, (role, handler) in sorted(ROLES.items()):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((ADDR, BASE + port))
        s.listen(128)
        socks.append(s)
        threading.Thread(target=serve, args=(s, handler), daemon=True).start()
    with open(os.path.join(STATE, "ready"), "w") as f:
        for port, (role, _) in sorted(ROLES.items()):
            f.write("%s %d\n" % (role, BASE + port))
    while alive():
        time.sleep(1)


main()
