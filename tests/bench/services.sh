#!/usr/bin/env bash
# Benchmark: service detection of the lab's open ports, certexam vs nmap -sV.
#
#   bash tests/bench/services.sh path/to/certexam [--loopback]
#
# Starts the lab (tests/lab/lab.sh) in its own network namespace (root) on
# the real port numbers, or on loopback high ports with --loopback or when
# not root; runs
#   certexam scan --target 127.0.0.1 --ports <lab ports> --only ports
#   nmap -sV -p <lab ports> -n -Pn 127.0.0.1
# on the same ports, and prints the wall seconds, the ratio, and what each
# identified (service, product, version) per port.  Both commands include
# their connect scan of those ports.  Bounded: nmap gets at most 600 s,
# certexam 120 s; the lab is stopped on every exit.
set -u

CERTEXAM=${1:?usage: $0 path/to/certexam [--loopback]}
case $CERTEXAM in /*) ;; *) CERTEXAM=$PWD/$CERTEXAM ;; esac
MODE=netns
[ "${2:-}" = --loopback ] && MODE=loopback
[ "$(id -u)" != 0 ] && MODE=loopback
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB=$HERE/../lab/lab.sh
NS=cxlab-bench
TMP=$(mktemp -d /tmp/cx-bench-svc-XXXXXX)
STARTED=0

cleanup() {
	if [ $STARTED = 1 ]; then
		if [ $MODE = netns ]; then
			"$LAB" stop --netns "$NS" >/dev/null 2>&1
		else
			"$LAB" stop >/dev/null 2>&1
		fi
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 3' INT TERM

command -v nmap >/dev/null || { echo "nmap not installed"; exit 77; }

if [ $MODE = netns ]; then
	LABARGS=(--netns "$NS")
	RUNIN=(ip netns exec "$NS")
else
	LABARGS=()
	RUNIN=()
fi
timeout 60 "$LAB" start ${LABARGS[@]+"${LABARGS[@]}"} >"$TMP/lab.log" 2>&1 ||
	{ cat "$TMP/lab.log"; exit 1; }
STARTED=1
"$LAB" ports ${LABARGS[@]+"${LABARGS[@]}"} >"$TMP/ports"
PORTS=$(awk '{printf "%s%s", s, $2; s=","}' "$TMP/ports")

now() { date +%s.%N; }

t0=$(now)
timeout 120 ${RUNIN[@]+"${RUNIN[@]}"} "$CERTEXAM" scan --target 127.0.0.1 \
	--ports "$PORTS" --only ports --profile internet-resource \
	--out "$TMP/runs" --no-progress >"$TMP/cx.log" 2>&1
cx_rc=$?
t1=$(now)
timeout 600 ${RUNIN[@]+"${RUNIN[@]}"} nmap -sV -p "$PORTS" -n -Pn \
	-oX "$TMP/nmap.xml" 127.0.0.1 >"$TMP/nmap.log" 2>&1
nm_rc=$?
t2=$(now)

RUN=$(ls -d "$TMP"/runs/*/ 2>/dev/null | head -n 1)
python3 - "$RUN/run.xml" "$TMP/nmap.xml" "$TMP/ports" "$t0" "$t1" "$t2" \
	"$cx_rc" "$nm_rc" "$MODE" <<'EOF'
import sys
import xml.etree.ElementTree as ET

run_xml, nmap_xml, portfile = sys.argv[1:4]
t0, t1, t2 = (float(x) for x in sys.argv[4:7])
cx_rc, nm_rc, mode = sys.argv[7], sys.argv[8], sys.argv[9]
roles = {int(p): r for r, p in (l.split() for l in open(portfile) if l.strip())}

cx = {}
try:
    for p in ET.parse(run_xml).getroot().iter():
        if p.tag.split("}")[-1] != "port" or p.get("port") is None:
            continue
        svc = p.get("service")
        cx[int(p.get("port"))] = (svc, p.get("product"), p.get("version"))
except (OSError, ET.ParseError) as e:
    print("certexam run.xml unreadable:", e)
nm = {}
guess = {}
try:
    for p in ET.parse(nmap_xml).getroot().iter("port"):
        s = p.find("service")
        if s is None:
            nm[int(p.get("portid"))] = (None, None, None)
            continue
        name = s.get("name")
        if s.get("method") == "table":
            # nmap's guess from its port table, not an identification
            nm[int(p.get("portid"))] = (None, None, None)
            guess[int(p.get("portid"))] = name + "?"
            continue
        if s.get("tunnel") == "ssl" and name:
            name = "ssl/" + name
        if name in ("unknown", "tcpwrapped"):
            name = None
        nm[int(p.get("portid"))] = (name, s.get("product"), s.get("version"))
except (OSError, ET.ParseError) as e:
    print("nmap XML unreadable:", e)

def fmt(t):
    return " ".join(x for x in t if x) or "-"

print("mode: %s, ports: %s" % (mode, ",".join(str(p) for p in sorted(roles))))
print("%-6s %-9s | %-42s | %s" % ("port", "lab role", "certexam", "nmap -sV"))
for port in sorted(roles):
    c = cx.get(port, (None, None, None))
    n = nm.get(port, (None, None, None))
    print("%-6d %-9s | %-42s | %s" % (port, roles[port], fmt(c)[:42],
                                      guess.get(port) or fmt(n)))

def counts(d):
    svc = sum(1 for v in d.values() if v[0])
    prod = sum(1 for v in d.values() if v[1])
    ver = sum(1 for v in d.values() if v[2])
    return svc, prod, ver
cs, cp, cv = counts(cx)
ns_, np_, nv = counts(nm)
tc, tn = t1 - t0, t2 - t1
print()
print("certexam: %.2f s (exit %s): %d services, %d products, %d versions"
      % (tc, cx_rc, cs, cp, cv))
print("nmap -sV: %.2f s (exit %s): %d services, %d products, %d versions"
      % (tn, nm_rc, ns_, np_, nv))
print("ratio nmap/certexam: %.1fx" % (tn / tc if tc > 0 else 0))
# where nmap knows more than certexam
for port in sorted(roles):
    c = cx.get(port, (None, None, None))
    n = nm.get(port, (None, None, None))
    if (n[0] and not c[0]) or (n[1] and not c[1]) or (n[2] and not c[2]):
        print("nmap found more on %d: %s vs %s" % (port, fmt(n), fmt(c)))
EOF
