#!/usr/bin/env python3
"""certexam network lab: delay and loss in user space, where the kernel
has no netem qdisc (`tc qdisc add ... netem` fails with "Specified qdisc
kind is unknown" on this kernel).

Usage: delay_router.py --in TUN_IN --out TUN_OUT --delay MS [--loss PCT]
       [--ready FILE] [--seed N]

The lab's router sends every forwarded packet into TUN_IN (policy
routing); this program holds each one for MS milliseconds, drops PCT %
of them at random, and writes the rest into TUN_OUT, from where the
router forwards them on by its main routing table.  Standard library
only; a bounded queue (100,000 packets, the rest dropped); serves until
SIGTERM.
"""

import fcntl
import heapq
import os
import random
import select
import signal
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
QUEUE_MAX = 100000


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    ifr = struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI)
    fcntl.ioctl(fd, TUNSETIFF, ifr)
    return fd


def main():
    args = sys.argv[1:]
    opts = {"--loss": "0", "--ready": None, "--seed": None}
    while args:
        k = args.pop(0)
        opts[k] = args.pop(0)
    delay = float(opts["--delay"]) / 1000.0
    loss = float(opts["--loss"]) / 100.0
    rnd = random.Random(int(opts["--seed"]) if opts["--seed"] else None)
    tin = open_tun(opts["--in"])
    tout = open_tun(opts["--out"])
    if opts["--ready"]:
        open(opts["--ready"], "w").close()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    q = []
    seq = 0
    while True:
        now = time.monotonic()
        timeout = max(0.0, q[0][0] - now) if q else 1.0
        r, _, _ = select.select([tin], [], [], timeout)
        if r:
            for _ in range(4096):
                try:
                    pkt = os.read(tin, 65535)
                except BlockingIOError:
                    break
                if loss > 0 and rnd.random() < loss:
                    continue
                if len(q) >= QUEUE_MAX:
                    continue
                seq += 1
                heapq.heappush(q, (now + delay, seq, pkt))
        now = time.monotonic()
        while q and q[0][0] <= now:
            _, _, pkt = heapq.heappop(q)
            try:
                os.write(tout, pkt)
            except OSError:
                pass


if __name__ == "__main__":
    main()
