#!/usr/bin/env python3
"""certexam network lab: UDP service look-alikes, one process, one thread
per socket, standard library only.

Usage: udp_services.py --addr ADDR [--ready FILE] ROLE[:PORT] ...

Roles (default ports): echo (7), chargen (19), dns-open (53: an open
recursive resolver: answers the root NS query with RA set), tftp (69),
ntp (123), netbios (137), cldap (389), ipmi (623), ssdp (1900), mdns
(5353), memcached (11211).  Each answers the way the real service does to
the probe certexam sends; replies are bounded.  Serves until SIGTERM.
"""

import signal
import socket
import struct
import sys
import threading


def dns_open(q):
    if len(q) < 12:
        return None
    qid = q[:2]
    # QR, RD, RA, NOERROR; one question, one answer: . NS a.root-servers.net
    hdr = qid + b"\x81\x80" + b"\x00\x01\x00\x01\x00\x00\x00\x00"
    question = b"\x00\x00\x02\x00\x01"
    rdata = b"\x01a\x0croot-servers\x03net\x00"
    answer = b"\x00\x00\x02\x00\x01" + struct.pack("!IH", 518400, len(rdata)) + rdata
    return hdr + question + answer


def ntp(q):
    # an old ntpd: mode 7 MON_GETLIST_1 (monlist) answered with 6 entries
    # of 72 bytes (a 440-byte reply to an 8-byte request), "more" set
    if len(q) >= 8 and q[0] & 7 == 7 and q[2] == 3 and q[3] == 42:
        return (bytes([0x80 | 0x40 | (2 << 3) | 7, 0, 3, 42, 0, 6, 0, 72]) +
                b"\x00" * (6 * 72))
    if len(q) < 48:
        return None
    r = bytearray(48)
    r[0] = (0 << 6) | (4 << 3) | 4  # LI 0, VN 4, mode 4 (server)
    r[1] = 2                         # stratum 2
    r[12:16] = b"LOCL"
    r[24:32] = q[40:48]              # originate = client's transmit
    return bytes(r)


def tftp(q):
    # ERROR 1 (file not found)
    return b"\x00\x05\x00\x01File not found\x00"


def netbios(q):
    if len(q) < 12:
        return None
    name = b"CXLAB-HOST".ljust(15) + b"\x00" + b"\x04\x00"
    rdata = b"\x01" + name + b"\x00" * 46
    return (q[:2] + b"\x84\x00\x00\x00\x00\x01\x00\x00\x00\x00" +
            b"\x20" + b"CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" + b"\x00" +
            b"\x00\x21\x00\x01" + struct.pack("!IH", 0, len(rdata)) + rdata)


def cldap(q):
    # searchResEntry for "" with one attribute, then searchResDone
    attr = b"\x04\x0bobjectClass" + b"\x31\x05\x04\x03top"
    entry = b"\x64" + bytes([2 + 2 + len(attr)]) + b"\x04\x00" + b"\x30" + bytes([len(attr)]) + attr
    msg = b"\x02\x01\x01" + entry
    return b"\x30" + bytes([len(msg)]) + msg


def ipmi(q):
    # RMCP (IPMI class), session header, Get Channel Auth Caps response
    body = bytes([0x81, 0x1c, 0x63, 0x20, 0x00, 0x38, 0x00, 0x01, 0x97,
                  0x04, 0x03, 0x00, 0x00, 0x00, 0x00, 0x09])
    return b"\x06\x00\xff\x07" + b"\x00" + b"\x00" * 8 + bytes([len(body)]) + body


def ssdp(q):
    if not q.startswith(b"M-SEARCH"):
        return None
    return (b"HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\n"
            b"ST: upnp:rootdevice\r\nUSN: uuid:cx-lab::upnp:rootdevice\r\n"
            b"SERVER: Linux/5.10 UPnP/1.0 CXLab/1.0\r\n"
            b"LOCATION: http://192.0.2.1:49152/desc.xml\r\n\r\n")


def mdns(q):
    if len(q) < 12:
        return None
    return q[:2] + b"\x84\x00" + q[4:6] + b"\x00\x00\x00\x00\x00\x00" + q[12:]


def memcached(q):
    if len(q) < 8 or b"stats" not in q[8:]:
        return None
    body = b"STAT pid 1\r\nSTAT version 1.6.18\r\nSTAT uptime 10\r\nEND\r\n"
    return q[:2] + b"\x00\x00\x00\x01\x00\x00" + body


def echo(q):
    return q[:2048]


def chargen(q):
    line = bytes(range(33, 33 + 72)) + b"\r\n"
    return line * 6


ROLES = {
    "echo": (7, echo), "chargen": (19, chargen), "dns-open": (53, dns_open),
    "tftp": (69, tftp), "ntp": (123, ntp), "netbios": (137, netbios),
    "cldap": (389, cldap), "ipmi": (623, ipmi), "ssdp": (1900, ssdp),
    "mdns": (5353, mdns), "memcached": (11211, memcached),
}


def serve(sock, fn):
    while True:
        try:
            data, peer = sock.recvfrom(4096)
        except OSError:
            return
        try:
            r = fn(data)
        except Exception:  # a malformed probe gets no answer
            r = None
        if r:
            try:
                sock.sendto(r, peer)
            except OSError:
                pass


def main():
    args = sys.argv[1:]
    addr, ready = "127.0.0.1", None
    roles = []
    while args:
        a = args.pop(0)
        if a == "--addr":
            addr = args.pop(0)
        elif a == "--ready":
            ready = args.pop(0)
        else:
            roles.append(a)
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    threads = []
    for r in roles:
        name, _, port = r.partition(":")
        dport, fn = ROLES[name]
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.bind((addr, int(port) if port else dport))
        t = threading.Thread(target=serve, args=(s, fn), daemon=True)
        t.start()
        threads.append(t)
    if ready:
        open(ready, "w").close()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.pause()


if __name__ == "__main__":
    main()
