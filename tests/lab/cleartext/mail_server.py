#!/usr/bin/env python3
"""certexam lab: mail-server look-alikes for the cleartext-credentials
check (checks/cleartext.c), python stdlib only, on 127.0.0.1.

    mail_server.py BASE_PORT [NOCAPA_BASE]

BASE+0  IMAP  AUTH=PLAIN advertised before STARTTLS, STARTTLS accepted
BASE+1  POP3  USER and SASL PLAIN, no STLS
BASE+2  SMTP  AUTH PLAIN LOGIN in EHLO before STARTTLS, STARTTLS accepted
BASE+3  IMAP  good: LOGINDISABLED and STARTTLS (accepted)
BASE+4  IMAP  STARTTLS advertised but refused (NO), LOGIN available
BASE+5  SMTP  good: STARTTLS, no AUTH before it

POP3 servers without CAPA (-ERR to it), from NOCAPA_BASE when given:
+0  USER answered +OK before TLS, STLS refused
+1  USER refused before TLS (-ERR), STLS accepted
+2  USER answered +OK before TLS, STLS accepted
+3  USER refused and STLS refused

Each session ends after 10 s at the latest; the server stops when its
parent (the test) kills it.  Nothing but loopback is bound.
"""
import socketserver
import sys
import threading
import time


def lines(sock):
    buf = b""
    sock.settimeout(10)
    while True:
        while b"\n" not in buf:
            try:
                data = sock.recv(4096)
            except OSError:
                return
            if not data:
                return
            buf += data
            if len(buf) > 65536:
                return
        line, buf = buf.split(b"\n", 1)
        yield line.rstrip(b"\r")


def imap(sock, caps, starttls_ok):
    sock.sendall(b"* OK [CAPABILITY IMAP4rev1 " + caps +
                 b"] Dovecot (Debian) ready.\r\n")
    for line in lines(sock):
        parts = line.split(b" ")
        tag = parts[0]
        cmd = parts[1].upper() if len(parts) > 1 else b""
        if cmd == b"CAPABILITY":
            sock.sendall(b"* CAPABILITY IMAP4rev1 " + caps + b"\r\n" + tag +
                         b" OK Pre-login capabilities listed.\r\n")
        elif cmd == b"STARTTLS":
            if starttls_ok:
                sock.sendall(tag + b" OK Begin TLS negotiation now.\r\n")
            else:
                sock.sendall(tag + b" NO TLS not available.\r\n")
                continue
            return
        elif cmd == b"LOGOUT":
            sock.sendall(b"* BYE Logging out\r\n" + tag +
                         b" OK Logout completed.\r\n")
            return
        else:
            sock.sendall(tag + b" BAD Error in IMAP command.\r\n")


def pop3(sock):
    sock.sendall(b"+OK Dovecot (Debian) ready.\r\n")
    for line in lines(sock):
        cmd = line.split(b" ", 1)[0].upper()
        if cmd == b"CAPA":
            sock.sendall(b"+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nUSER\r\n"
                         b"SASL PLAIN\r\n.\r\n")
        elif cmd == b"QUIT":
            sock.sendall(b"+OK Logging out\r\n")
            return
        else:
            sock.sendall(b"-ERR Unknown command.\r\n")


def pop3_nocapa(sock, user_ok, stls_ok):
    sock.sendall(b"+OK POP3 server ready <1896.697170952@lab>\r\n")
    for line in lines(sock):
        cmd = line.split(b" ", 1)[0].upper()
        if cmd == b"USER":
            sock.sendall(b"+OK send PASS\r\n" if user_ok else
                         b"-ERR [AUTH] Plaintext authentication disallowed"
                         b" on non-secure (SSL/TLS) connections.\r\n")
        elif cmd == b"STLS" and stls_ok:
            sock.sendall(b"+OK Begin TLS negotiation now.\r\n")
            return
        elif cmd == b"QUIT":
            sock.sendall(b"+OK Logging out\r\n")
            return
        else:
            sock.sendall(b"-ERR Unknown command.\r\n")


def smtp(sock, auth):
    sock.sendall(b"220 mail.lab.certexam.test ESMTP Postfix (Debian/GNU)\r\n")
    for line in lines(sock):
        cmd = line.split(b" ", 1)[0].upper()
        if cmd == b"EHLO":
            ext = [b"250-mail.lab.certexam.test", b"250-PIPELINING",
                   b"250-SIZE 10240000", b"250-STARTTLS"]
            if auth:
                ext.append(b"250-AUTH PLAIN LOGIN")
            ext.append(b"250 8BITMIME")
            sock.sendall(b"\r\n".join(ext) + b"\r\n")
        elif cmd == b"STARTTLS":
            sock.sendall(b"220 2.0.0 Ready to start TLS\r\n")
            return
        elif cmd == b"QUIT":
            sock.sendall(b"221 2.0.0 Bye\r\n")
            return
        else:
            sock.sendall(b"502 5.5.2 Error: command not recognized\r\n")


MODES = [
    lambda s: imap(s, b"SASL-IR STARTTLS AUTH=PLAIN", True),
    pop3,
    lambda s: smtp(s, True),
    lambda s: imap(s, b"SASL-IR STARTTLS LOGINDISABLED", True),
    lambda s: imap(s, b"STARTTLS AUTH=PLAIN", False),
    lambda s: smtp(s, False),
]


NOCAPA_MODES = [
    lambda s: pop3_nocapa(s, True, False),
    lambda s: pop3_nocapa(s, False, True),
    lambda s: pop3_nocapa(s, True, True),
    lambda s: pop3_nocapa(s, False, False),
]


def handler(mode):
    class H(socketserver.BaseRequestHandler):
        def handle(self):
            try:
                mode(self.request)
            except OSError:
                pass
    return H


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    sets = [(int(sys.argv[1]), MODES)]
    if len(sys.argv) > 2:
        sets.append((int(sys.argv[2]), NOCAPA_MODES))
    for base, modes in sets:
        for i, mode in enumerate(modes):
            srv = Server(("127.0.0.1", base + i), handler(mode))
            threading.Thread(target=srv.serve_forever, daemon=True).start()
    print("ready", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
