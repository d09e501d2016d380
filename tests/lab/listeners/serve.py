#!/usr/bin/env python3
"""certexam lab: small protocol look-alikes, one process, several roles.

Usage: serve.py [--ready FILE] [--cert CERT --key KEY] ROLE:PORT ...
       [--addr 127.0.0.1]

Roles: telnet, ftp, smtp, smtps (implicit TLS, needs --cert/--key), pop3,
imap, postgres, mysql, redis, silent (accepts, never speaks), close
(accepts and closes at once).

Standard library only.  Every connection has a 10 s idle timeout and reads
are bounded; the process serves until it receives SIGTERM.  FILE is
written once every listening socket is bound (the lab script waits on it).
"""

import os
import signal
import socket
import ssl
import struct
import sys
import threading

IDLE = 10.0
MAXLINE = 4096

TELNET_NEGOTIATION = bytes([
    255, 253, 24,   # IAC DO TERMINAL-TYPE
    255, 253, 32,   # IAC DO TERMINAL-SPEED
    255, 253, 35,   # IAC DO X-DISPLAY-LOCATION
    255, 253, 39,   # IAC DO NEW-ENVIRON
    255, 251, 1,    # IAC WILL ECHO
    255, 251, 3,    # IAC WILL SUPPRESS-GO-AHEAD
])


def readline(conn, buf):
    """Return (line, rest) or (None, buf) on EOF/timeout; bounded."""
    while b"\n" not in buf:
        if len(buf) > MAXLINE:
            return None, b""
        try:
            chunk = conn.recv(1024)
        except (OSError, socket.timeout):
            return None, buf
        if not chunk:
            return None, buf
        buf += chunk
    line, _, rest = buf.partition(b"\n")
    return line.rstrip(b"\r"), rest


def recv_exact(conn, n):
    data = b""
    while len(data) < n:
        try:
            chunk = conn.recv(n - len(data))
        except (OSError, socket.timeout):
            return None
        if not chunk:
            return None
        data += chunk
    return data


def serve_telnet(conn):
    conn.sendall(TELNET_NEGOTIATION)
    conn.sendall(b"\r\nDebian GNU/Linux 12\r\nlab login: ")
    buf = b""
    while True:
        try:
            chunk = conn.recv(1024)
        except (OSError, socket.timeout):
            return
        if not chunk:
            return
        buf += chunk
        if b"\n" in buf or b"\r" in buf:
            conn.sendall(b"Password: ")
            buf = b""


def serve_ftp(conn):
    conn.sendall(b"220 (vsFTPd 3.0.3)\r\n")
    buf = b""
    while True:
        line, buf = readline(conn, buf)
        if line is None:
            return
        cmd = line.split(b" ", 1)[0].upper()
        if cmd in (b"FEAT", b"AUTH"):
            conn.sendall(b"500 Unknown command.\r\n")
        elif cmd == b"USER":
            conn.sendall(b"331 Please specify the password.\r\n")
        elif cmd == b"PASS":
            conn.sendall(b"530 Login incorrect.\r\n")
        elif cmd == b"SYST":
            conn.sendall(b"215 UNIX Type: L8\r\n")
        elif cmd == b"QUIT":
            conn.sendall(b"221 Goodbye.\r\n")
            return
        else:
            conn.sendall(b"530 Please login with USER and PASS.\r\n")


def smtp_session(conn, starttls):
    conn.sendall(b"220 lab.certexam.test ESMTP Postfix (Debian/GNU)\r\n")
    buf = b""
    while True:
        line, buf = readline(conn, buf)
        if line is None:
            return
        cmd = line.split(b" ", 1)[0].upper()
        if cmd == b"EHLO":
            lines = [b"250-lab.certexam.test", b"250-PIPELINING",
                     b"250-SIZE 10240000", b"250-VRFY", b"250-ETRN"]
            if starttls:
                lines.append(b"250-STARTTLS")
            lines += [b"250-ENHANCEDSTATUSCODES", b"250-8BITMIME",
                      b"250-DSN", b"250 CHUNKING"]
            conn.sendall(b"\r\n".join(lines) + b"\r\n")
        elif cmd == b"HELO":
            conn.sendall(b"250 lab.certexam.test\r\n")
        elif cmd == b"STARTTLS":
            conn.sendall(b"454 4.7.0 TLS not available due to local problem\r\n")
        elif cmd == b"QUIT":
            conn.sendall(b"221 2.0.0 Bye\r\n")
            return
        else:
            conn.sendall(b"502 5.5.2 Error: command not recognized\r\n")


def serve_smtp(conn):
    smtp_session(conn, True)


def serve_pop3(conn):
    conn.sendall(b"+OK Dovecot (Debian) ready.\r\n")
    buf = b""
    while True:
        line, buf = readline(conn, buf)
        if line is None:
            return
        cmd = line.split(b" ", 1)[0].upper()
        if cmd == b"CAPA":
            conn.sendall(b"+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\n"
                         b"PIPELINING\r\nAUTH-RESP-CODE\r\nSTLS\r\n"
                         b"USER\r\nSASL PLAIN\r\n.\r\n")
        elif cmd == b"QUIT":
            conn.sendall(b"+OK Logging out\r\n")
            return
        else:
            conn.sendall(b"-ERR Unknown command.\r\n")


def serve_imap(conn):
    conn.sendall(b"* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID "
                 b"ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] "
                 b"Dovecot (Debian) ready.\r\n")
    buf = b""
    while True:
        line, buf = readline(conn, buf)
        if line is None:
            return
        parts = line.split(b" ")
        tag = parts[0] if parts else b"*"
        cmd = parts[1].upper() if len(parts) > 1 else b""
        if cmd == b"LOGOUT":
            conn.sendall(b"* BYE Logging out\r\n" + tag +
                         b" OK Logout completed.\r\n")
            return
        if cmd == b"CAPABILITY":
            conn.sendall(b"* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN\r\n" +
                         tag + b" OK Pre-login capabilities listed.\r\n")
        else:
            conn.sendall(tag + b" BAD Error in IMAP command received by "
                         b"server.\r\n")


def pg_error(msg, code=b"28000", where=b"Fauth.c\x00L543\x00"
             b"RClientAuthenticationError\x00"):
    fields = (b"SFATAL\x00VFATAL\x00C" + code + b"\x00M" + msg + b"\x00" +
              where + b"\x00")
    return b"E" + struct.pack("!I", len(fields) + 4) + fields


def serve_postgres(conn):
    while True:
        head = recv_exact(conn, 4)
        if head is None:
            return
        (length,) = struct.unpack("!I", head)
        if length < 8 or length > 10000:
            conn.sendall(pg_error(b"invalid length of startup packet", b"08P01",
                                  b"Fpostmaster.c\x00L2079\x00"
                                  b"RProcessStartupPacket\x00"))
            return
        body = recv_exact(conn, length - 4)
        if body is None:
            return
        (code,) = struct.unpack("!I", body[:4])
        if code in (80877103, 80877104):    # SSLRequest, GSSENCRequest
            conn.sendall(b"N")
            continue
        if code == 196608:                  # protocol 3.0 startup
            user = b"unknown"
            kv = body[4:].split(b"\x00")
            for i in range(0, len(kv) - 1, 2):
                if kv[i] == b"user":
                    user = kv[i + 1][:64]
            conn.sendall(pg_error(b'no pg_hba.conf entry for host '
                                  b'"127.0.0.1", user "' + user +
                                  b'", database "postgres", no encryption'))
            return
        conn.sendall(pg_error(b"unsupported frontend protocol", b"0A000",
                                  b"Fpostmaster.c\x00L2152\x00"
                                  b"RProcessStartupPacket\x00"))
        return


def serve_mysql(conn):
    version = b"10.11.6-MariaDB-0+deb12u1"
    payload = (b"\x0a" + version + b"\x00" + struct.pack("<I", 37) +
               b"Ab3dE5g7\x00" + struct.pack("<H", 0xf7fe) + b"\x2d" +
               struct.pack("<H", 0x0002) + struct.pack("<H", 0x81bf) +
               b"\x15" + b"\x00" * 6 + struct.pack("<I", 0x1d) +
               b"hIjKlMnOpQrS\x00" + b"mysql_native_password\x00")
    conn.sendall(struct.pack("<I", len(payload))[:3] + b"\x00" + payload)
    recv_exact(conn, 4)


REDIS_INFO = (
    "# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:00000000\r\n"
    "redis_git_dirty:0\r\nredis_build_id:c2d4f3a0b1e9d8f7\r\n"
    "redis_mode:standalone\r\nos:Linux 6.1.0-28-amd64 x86_64\r\n"
    "arch_bits:64\r\ntcp_port:6379\r\n")


def serve_redis(conn):
    buf = b""
    while True:
        line, buf = readline(conn, buf)
        if line is None:
            return
        if line.startswith(b"*"):
            # RESP array: read the bulk strings
            try:
                n = int(line[1:])
            except ValueError:
                conn.sendall(b"-ERR Protocol error\r\n")
                return
            args = []
            for _ in range(max(0, min(n, 16))):
                hdr, buf = readline(conn, buf)
                if hdr is None:
                    return
                arg, buf = readline(conn, buf)
                if arg is None:
                    return
                args.append(arg)
        else:
            args = line.split()
        if not args:
            continue
        cmd = args[0].upper()
        if cmd == b"PING":
            conn.sendall(b"+PONG\r\n")
        elif cmd == b"INFO":
            data = REDIS_INFO.encode()
            conn.sendall(b"$%d\r\n%s\r\n" % (len(data), data))
        elif cmd == b"QUIT":
            conn.sendall(b"+OK\r\n")
            return
        else:
            conn.sendall(b"-ERR unknown command '%s', with args beginning "
                         b"with: \r\n" % cmd[:64])


def serve_silent(conn):
    while True:
        try:
            if not conn.recv(1024):
                return
        except (OSError, socket.timeout):
            return


ROLES = {
    "telnet": serve_telnet,
    "ftp": serve_ftp,
    "smtp": serve_smtp,
    "smtps": lambda c: smtp_session(c, False),
    "pop3": serve_pop3,
    "imap": serve_imap,
    "postgres": serve_postgres,
    "mysql": serve_mysql,
    "redis": serve_redis,
    "silent": serve_silent,
}


def handle(conn, role, tls_ctx):
    try:
        conn.settimeout(IDLE)
        if role == "close":
            return
        if role == "smtps":
            conn = tls_ctx.wrap_socket(conn, server_side=True)
        ROLES[role](conn)
    except (OSError, ssl.SSLError, socket.timeout):
        pass
    finally:
        try:
            conn.close()
        except OSError:
            pass


def accept_loop(sock, role, tls_ctx):
    while True:
        try:
            conn, _ = sock.accept()
        except OSError:
            continue
        if role == "close":
            # accept and close at once, with a reset-free FIN
            conn.close()
            continue
        threading.Thread(target=handle, args=(conn, role, tls_ctx),
                         daemon=True).start()


def main(argv):
    addr = "127.0.0.1"
    ready = None
    cert = key = None
    specs = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--addr", "--ready", "--cert", "--key") and i + 1 < len(argv):
            val = argv[i + 1]
            if a == "--addr":
                addr = val
            elif a == "--ready":
                ready = val
            elif a == "--cert":
                cert = val
            else:
                key = val
            i += 2
            continue
        role, _, port = a.partition(":")
        if role not in ROLES and role != "close":
            sys.exit("serve.py: unknown role %r" % role)
        specs.append((role, int(port)))
        i += 1
    tls_ctx = None
    if any(r == "smtps" for r, _ in specs):
        if not cert or not key:
            sys.exit("serve.py: smtps needs --cert and --key")
        tls_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls_ctx.load_cert_chain(cert, key)
    socks = []
    for role, port in specs:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, port))
        s.listen(64)
        socks.append((s, role))
    for s, role in socks:
        threading.Thread(target=accept_loop, args=(s, role, tls_ctx),
                         daemon=True).start()
    if ready:
        with open(ready + ".tmp", "w") as f:
            f.write("%d\n" % os.getpid())
        os.rename(ready + ".tmp", ready)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    while True:
        signal.pause()


if __name__ == "__main__":
    main(sys.argv[1:])
