#!/usr/bin/env python3
"""certexam TLS lab: a scripted responder for what Debian's OpenSSL cannot
speak.  It answers ClientHellos like an ancient server would: SSLv2
(SERVER-HELLO with RC4/3DES/export cipher specs), SSLv3 and TLS 1.0 with
RC4, 3DES, DES, export and 512-bit DHE suites in its own preference order,
DEFLATE compression when offered, no RFC 5746 renegotiation_info, no
TLS_FALLBACK_SCSV support, and a heartbeat extension whose responses "leak"
(16 KiB of zeros: a simulator, no real memory), and with --key-text a
Bleichenbacher padding oracle: the alert after ClientKeyExchange depends on
whether the PKCS #1 padding was valid (ROBOT).  An early ChangeCipherSpec
gets an unexpected_message alert.  It never completes a handshake: it only
sends the server's first flight.  python3 standard library only.

With --smtp-port M it also speaks SMTP on M and switches to the same TLS
behaviour after STARTTLS.

--imap-port, --pop3-port and --ftp-port do the same after IMAP STARTTLS,
POP3 STLS and FTP AUTH TLS.

Usage: responder.py --port N --cert leaf.der [--key-text F] [--smtp-port M]
       [--imap-port M] [--pop3-port M] [--ftp-port M] [--host 127.0.0.1]
"""
import argparse
import os
import socket
import socketserver
import struct
import threading

MAX_VERSION = 0x0301
# server preference order
SUITES = [0x0005, 0x0004, 0x000A, 0x0016, 0x0009, 0x0003, 0x0008, 0x002F]
DHE = {0x0016}
SSL2_SPECS = [0x010080, 0x0700C0, 0x020080]
CERT = b""
RSA_KEY = None  # (n, d) when --key-text is given: ROBOT oracle


def rec(ctype, version, body):
    return struct.pack("!BHH", ctype, version, len(body)) + body


def hs(htype, body):
    return struct.pack("!B", htype) + len(body).to_bytes(3, "big") + body


def alert(version, desc):
    return rec(21, version, bytes([2, desc]))


def read_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return buf


def parse_client_hello(body):
    """Return (version, suites, compressions, extension types) or None."""
    try:
        off = 0
        ver = struct.unpack_from("!H", body, off)[0]
        off += 2 + 32
        sid = body[off]
        off += 1 + sid
        n = struct.unpack_from("!H", body, off)[0]
        off += 2
        suites = [struct.unpack_from("!H", body, off + i)[0] for i in range(0, n, 2)]
        off += n
        nc = body[off]
        comps = list(body[off + 1:off + 1 + nc])
        off += 1 + nc
        exts = set()
        if off + 2 <= len(body):
            el = struct.unpack_from("!H", body, off)[0]
            off += 2
            end = off + el
            while off + 4 <= end:
                t, l = struct.unpack_from("!HH", body, off)
                exts.add(t)
                off += 4 + l
        return ver, suites, comps, exts
    except (IndexError, struct.error):
        return None


def sslv2(sock, first):
    length = ((first[0] & 0x7F) << 8) | first[1]
    body = first[2:] + read_exact(sock, length - (len(first) - 2))
    if body[0] != 1:
        return
    spec_len, sid_len, chal_len = struct.unpack_from("!HHH", body, 3)
    specs = body[9:9 + spec_len]
    offered = {int.from_bytes(specs[i:i + 3], "big") for i in range(0, spec_len, 3)}
    chosen = [s for s in SSL2_SPECS if s in offered]
    if not chosen:
        sock.sendall(bytes([0x80, 3, 0, 0, 1]))  # ERROR: no cipher
        return
    spec_bytes = b"".join(s.to_bytes(3, "big") for s in chosen)
    conn_id = os.urandom(16)
    msg = struct.pack("!BBBHHHH", 4, 0, 1, 0x0002, len(CERT), len(spec_bytes), len(conn_id))
    msg += CERT + spec_bytes + conn_id
    sock.sendall(struct.pack("!H", 0x8000 | len(msg)) + msg)


def tls(sock, first):
    hdr = first + read_exact(sock, 5 - len(first))
    ctype, rver, rlen = struct.unpack("!BHH", hdr)
    if ctype != 22 or rlen > 18432:
        return
    body = read_exact(sock, rlen)
    if body[0] != 1:
        return
    hlen = int.from_bytes(body[1:4], "big")
    while len(body) < 4 + hlen:  # hello split over records
        h2 = read_exact(sock, 5)
        body += read_exact(sock, struct.unpack("!H", h2[3:5])[0])
    parsed = parse_client_hello(body[4:4 + hlen])
    if parsed is None:
        sock.sendall(alert(0x0301, 50))
        return
    cver, suites, comps, exts = parsed
    ver = min(cver, MAX_VERSION)
    if ver < 0x0300:
        sock.sendall(alert(0x0300, 70))
        return
    chosen = next((s for s in SUITES if s in suites), None)
    if chosen is None:
        sock.sendall(alert(ver, 40))
        return
    comp = 1 if 1 in comps else 0
    ext = b""
    heartbeat = 15 in exts
    if heartbeat:
        ext += struct.pack("!HHB", 15, 1, 1)
    sh = struct.pack("!H", ver) + os.urandom(32) + b"\x00" + struct.pack("!HB", chosen, comp)
    if ext:
        sh += struct.pack("!H", len(ext)) + ext
    flight = hs(2, sh)
    certs = len(CERT).to_bytes(3, "big") + CERT
    flight += hs(11, len(certs).to_bytes(3, "big") + certs)
    if chosen in DHE:
        p = b"\xff" + os.urandom(62) + b"\xfb"  # 512-bit "prime" (simulated)
        ske = struct.pack("!H", len(p)) + p + b"\x00\x01\x02"
        ske += struct.pack("!H", 64) + os.urandom(64)
        ske += struct.pack("!H", 128) + os.urandom(128)
        flight += hs(12, ske)
    flight += hs(14, b"")
    sock.sendall(rec(22, ver, flight))
    # what the client does next
    padding_ok = None
    while True:
        h = read_exact(sock, 5)
        ctype, _, rlen = struct.unpack("!BHH", h)
        payload = read_exact(sock, rlen)
        if ctype == 24 and heartbeat and payload[:1] == b"\x01":
            claimed = struct.unpack("!H", payload[1:3])[0]
            leak = bytes(min(claimed, 16384))
            resp = b"\x02" + struct.pack("!H", claimed) + leak + bytes(16)
            sock.sendall(rec(24, ver, resp))
        elif ctype == 22 and payload[:1] == b"\x10" and RSA_KEY and padding_ok is None:
            # ClientKeyExchange: a Bleichenbacher oracle (ROBOT), simulated
            padding_ok = rsa_padding_ok(payload[6:] if ver >= 0x0301 else payload[4:])
        elif ctype == 20 and padding_ok is not None:
            continue  # ChangeCipherSpec after ClientKeyExchange
        elif ctype == 20:
            sock.sendall(alert(ver, 10))
            return
        elif ctype == 22 and padding_ok is not None:
            # the (undecryptable) Finished: the answer depends on the padding
            sock.sendall(alert(ver, 20 if padding_ok else 40))
            return
        else:
            return


def rsa_padding_ok(ct):
    n, d = RSA_KEY
    k = (n.bit_length() + 7) // 8
    m = pow(int.from_bytes(ct, "big"), d, n).to_bytes(k, "big")
    if m[:2] != b"\x00\x02":
        return False
    sep = m.find(b"\x00", 2)
    return sep >= 10 and k - sep - 1 == 48


def load_key_text(path):
    """n and d from `openssl pkey -noout -text` output."""
    fields, cur = {}, None
    for line in open(path):
        if not line.startswith(" ") and ":" in line:
            cur = line.split(":")[0].strip()
            fields[cur] = ""
            rest = line.split(":", 1)[1].strip()
            if rest and cur == "publicExponent":
                fields[cur] = rest
            continue
        if cur:
            fields[cur] += line.strip().replace(":", "")
    return int(fields["modulus"], 16), int(fields["privateExponent"], 16)


def serve_tls(sock):
    first = sock.recv(3)
    if len(first) < 2:
        return
    if first[0] & 0x80:
        if len(first) < 3:
            first += read_exact(sock, 1)
        sslv2(sock, first)
        return
    tls(sock, first)


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        sock = self.request
        sock.settimeout(5)
        try:
            serve_tls(sock)
        except (EOFError, OSError):
            pass


def read_line(sock):
    line = b""
    while not line.endswith(b"\n"):
        c = sock.recv(1)
        if not c:
            raise EOFError
        line += c
        if len(line) > 1000:
            raise EOFError
    return line


class SmtpHandler(socketserver.BaseRequestHandler):
    """SMTP with STARTTLS (RFC 3207), then the same ancient TLS server."""

    def handle(self):
        sock = self.request
        sock.settimeout(5)
        try:
            sock.sendall(b"220 lab.example ESMTP certexam-lab\r\n")
            while True:
                cmd = read_line(sock).strip().upper()
                if cmd.startswith(b"EHLO") or cmd.startswith(b"HELO"):
                    sock.sendall(b"250-lab.example\r\n250-PIPELINING\r\n250 STARTTLS\r\n")
                elif cmd == b"STARTTLS":
                    sock.sendall(b"220 2.0.0 Ready to start TLS\r\n")
                    serve_tls(sock)
                    return
                elif cmd == b"QUIT":
                    sock.sendall(b"221 2.0.0 Bye\r\n")
                    return
                else:
                    sock.sendall(b"502 5.5.2 Error: command not recognized\r\n")
        except (EOFError, OSError):
            pass


class TextStartTLSHandler(socketserver.BaseRequestHandler):
    """IMAP (RFC 2595 STARTTLS), POP3 (STLS) or FTP (AUTH TLS, RFC 4217),
    then the same ancient TLS server.  The protocol is the server's."""

    def handle(self):
        sock = self.request
        sock.settimeout(5)
        proto = self.server.proto
        try:
            sock.sendall({"imap": b"* OK [CAPABILITY IMAP4rev1 STARTTLS] certexam-lab IMAP ready\r\n",
                          "pop3": b"+OK certexam-lab POP3 ready\r\n",
                          "ftp": b"220 certexam-lab FTP server ready\r\n",
                          "ftpignore": b"220 certexam-lab FTP server ready\r\n"}[proto])
            while True:
                line = read_line(sock).strip()
                word = line.split(b" ")
                if proto == "imap" and len(word) >= 2 and word[1].upper() == b"STARTTLS":
                    sock.sendall(word[0] + b" OK Begin TLS negotiation now\r\n")
                    break
                if proto == "pop3" and line.upper() == b"STLS":
                    sock.sendall(b"+OK Begin TLS negotiation\r\n")
                    break
                if proto == "ftp" and line.upper() == b"AUTH TLS":
                    sock.sendall(b"234 AUTH TLS successful\r\n")
                    break
                if proto == "ftpignore" and line.upper().startswith(b"AUTH"):
                    continue  # ignored: no reply at all
                if line.upper() in (b"QUIT", b"A1 LOGOUT"):
                    return
                sock.sendall({"imap": word[0] + b" BAD unknown command\r\n",
                              "pop3": b"-ERR unknown command\r\n",
                              "ftp": b"500 unknown command\r\n",
                              "ftpignore": b"500 unknown command\r\n"}[proto])
            serve_tls(sock)
        except (EOFError, OSError):
            pass


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 128


def main():
    global CERT, RSA_KEY
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key-text", help="openssl pkey -text output of the "
                    "certificate's key: answer ClientKeyExchange like a "
                    "server with a Bleichenbacher padding oracle (ROBOT)")
    ap.add_argument("--smtp-port", type=int, default=0,
                    help="also serve SMTP with STARTTLS on this port")
    ap.add_argument("--imap-port", type=int, default=0)
    ap.add_argument("--pop3-port", type=int, default=0)
    ap.add_argument("--ftp-port", type=int, default=0)
    ap.add_argument("--ftp-ignore-port", type=int, default=0,
                    help="an FTP server that never answers AUTH TLS")
    a = ap.parse_args()
    if not a.host.startswith("127.") and a.host != "::1":
        raise SystemExit("responder: loopback only")
    with open(a.cert, "rb") as f:
        CERT = f.read()
    if a.key_text:
        RSA_KEY = load_key_text(a.key_text)
    if a.smtp_port:
        smtp = Server((a.host, a.smtp_port), SmtpHandler)
        threading.Thread(target=smtp.serve_forever, daemon=True).start()
    for proto, port in (("imap", a.imap_port), ("pop3", a.pop3_port), ("ftp", a.ftp_port),
                        ("ftpignore", a.ftp_ignore_port)):
        if port:
            srv = Server((a.host, port), TextStartTLSHandler)
            srv.proto = proto
            threading.Thread(target=srv.serve_forever, daemon=True).start()
    with Server((a.host, a.port), Handler) as srv:
        srv.serve_forever()


if __name__ == "__main__":
    main()
