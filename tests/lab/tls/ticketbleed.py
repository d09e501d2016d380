#!/usr/bin/env python3
"""certexam TLS lab: a look-alike of a Ticketbleed server (CVE-2016-9244).

A real TLS 1.2 server (Python's ssl module, which issues session tickets)
behind a front that peeks at each ClientHello: a hello that offers a
session ticket with a session ID shorter than 32 bytes gets what F5's
vulnerable stacks sent, a ServerHello "resuming" the session with a
32-byte session ID that starts with the client's bytes and continues with
31 bytes of "memory", then ChangeCipherSpec and a Finished-sized record.
Every other hello is served by the real TLS stack.  Loopback only.

  ticketbleed.py --port P --cert CHAIN.pem --key KEY.pem
"""
import argparse
import os
import socket
import ssl
import struct
import threading


def parse_hello(data):
    """(session_id, ticket, suite) of a TLS ClientHello record, or None."""
    try:
        if len(data) < 5 or data[0] != 22:
            return None
        body = data[5:5 + struct.unpack(">H", data[3:5])[0]]
        if body[0] != 1:
            return None
        p = 4 + 2 + 32
        sid = body[p + 1:p + 1 + body[p]]
        p += 1 + body[p]
        n = struct.unpack(">H", body[p:p + 2])[0]
        suites = [struct.unpack(">H", body[p + 2 + i:p + 4 + i])[0]
                  for i in range(0, n, 2)]
        p += 2 + n
        p += 1 + body[p]
        end = p + 2 + struct.unpack(">H", body[p:p + 2])[0]
        p += 2
        ticket = b""
        while p + 4 <= end:
            t, ln = struct.unpack(">HH", body[p:p + 4])
            if t == 35:
                ticket = body[p + 4:p + 4 + ln]
            p += 4 + ln
        return sid, ticket, suites
    except (IndexError, struct.error):
        return None


def bleed(conn, sid, suites):
    """The vulnerable answer: a 32-byte session ID for a shorter one."""
    suite = 0xc02f if 0xc02f in suites else suites[0]
    echoed = sid + os.urandom(32 - len(sid))
    sh = (b"\x03\x03" + os.urandom(32) + bytes([32]) + echoed +
          struct.pack(">HB", suite, 0) + b"\x00\x00")
    hs = b"\x02" + struct.pack(">I", len(sh))[1:] + sh
    out = b"\x16\x03\x03" + struct.pack(">H", len(hs)) + hs
    out += b"\x14\x03\x03\x00\x01\x01"
    out += b"\x16\x03\x03\x00\x28" + os.urandom(40)
    conn.sendall(out)


def serve(conn, ctx):
    try:
        conn.settimeout(5)
        data = conn.recv(16384, socket.MSG_PEEK)
        h = parse_hello(data)
        if h is not None and h[1] and 0 < len(h[0]) < 32 and h[2]:
            bleed(conn, h[0], h[2])
            conn.recv(4096)
            return
        with ctx.wrap_socket(conn, server_side=True) as s:
            s.recv(1024)
            s.sendall(b"HTTP/1.0 200 OK\r\n\r\nticketbleed lab\n")
    except (OSError, ssl.SSLError):
        pass
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    a = ap.parse_args()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(a.cert, a.key)
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", a.port))
    ls.listen(64)
    while True:
        c, _ = ls.accept()
        threading.Thread(target=serve, args=(c, ctx), daemon=True).start()


if __name__ == "__main__":
    main()
