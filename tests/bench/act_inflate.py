#!/usr/bin/env python3
"""Benchmark helper (issue 12): a run of the all-open host with a finding
per open port and requirement, as the ports check wrote it before the
all-open host was recognised (~131,000 findings for 65,535 ports).

    act_inflate.py SRC_RUN DST_RUN

Copies SRC_RUN (a run folder of tests/bench/allopen.sh) to DST_RUN and
repeats each of its "ports" findings on port 21 for every other open
port of the record, so that `certexam act` has a realistic large run to
draft.  The evidence files are copied unchanged (their hashes hold)."""
import re
import shutil
import sys

src, dst = sys.argv[1], sys.argv[2]
shutil.rmtree(dst, ignore_errors=True)
shutil.copytree(src, dst)
path = dst + "/run.xml"
with open(path, encoding="utf-8") as f:
    text = f.read()
ports = sorted({int(p) for p in re.findall(r'<port [^>]*port="(\d+)"[^>]*state="open"', text)})
findings = re.findall(r'    <finding [^>]*check="ports"[^>]*>.*?</finding>\n', text, re.S)
templates = [f for f in findings if ':21/tcp' in f]
have = set(re.findall(r'<finding key="([^"]+)"', text))
if not templates or not ports:
    sys.exit("act_inflate.py: no ports finding on port 21 or no open port in " + src)
out = []
for p in ports:
    for t in templates:
        g = t.replace(':21/tcp', ':%d/tcp' % p).replace('<arg name="port">21</arg>', '<arg name="port">%d</arg>' % p)
        key = re.search(r'<finding key="([^"]+)"', g).group(1)
        if key in have:
            continue
        have.add(key)
        out.append(g)
text = text.replace('  </findings>\n', ''.join(out) + '  </findings>\n', 1)
with open(path, "w", encoding="utf-8") as f:
    f.write(text)
print("act_inflate.py: %d findings in %s (%d bytes)" % (len(have), path, len(text.encode())))
