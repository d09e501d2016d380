#!/usr/bin/env bash
# Integration: the TCP SYN scan (scanner/net/synscan.c) in network
# namespaces of its own (cxnet-is scanner, cxnet-ih target, cxnet-id a
# host that drops everything), over a veth pair with IPv4 and IPv6:
#  - open / closed / filtered (DROP) / filtered (ICMP admin-prohibited)
#    as nmap -sS defines them, the same open ports as the connect scan;
#  - the run records the scan used and why; the pcap evidence is a pcap
#    file whose SHA-256 is the one in the run record;
#  - a host that drops everything, all 65,535 ports: every port filtered,
#    in well under 30 s;
#  - host discovery: ARP on the segment, ICMP echo for IPv6, hosts found
#    down recorded with the reason and not port-scanned;
#  - without CAP_NET_RAW the default falls back to the connect scan (and
#    says so), and --scan syn is refused with exit 2.
#
#   bash tests/integration/test_synscan.sh path/to/certexam
#
# Exit 77 (skipped) when not root, or namespaces / veth / iptables are
# unavailable.  Every namespace and process it started is removed on exit.
set -u

CERTEXAM=${1:?usage: $0 path/to/certexam}
case $CERTEXAM in /*) ;; *) CERTEXAM=$PWD/$CERTEXAM ;; esac
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
S=cxnet-is
H=cxnet-ih
D=cxnet-id
TMP=$(mktemp -d /tmp/cx-synscan-XXXXXX)
PIDS=()
FAILS=0

cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	ip netns del $S 2>/dev/null
	ip netns del $H 2>/dev/null
	ip netns del $D 2>/dev/null
	rm -rf "$TMP"
}
[ -n "${KEEP:-}" ] || trap cleanup EXIT
trap 'exit 3' INT TERM

skip() {
	echo "SKIP: $*"
	exit 77
}
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, raw sockets)"
for t in ip iptables ip6tables python3 setpriv; do
	command -v $t >/dev/null 2>&1 || skip "$t not installed"
done
ip netns add $S 2>/dev/null || skip "cannot create network namespaces"
ip netns add $H || skip "cannot create network namespaces"
ip netns add $D || skip "cannot create network namespaces"
ip link add cxnet-is0 netns $S type veth peer name cxnet-ih0 netns $H ||
	skip "cannot create veth pairs"
ip link add cxnet-is1 netns $S type veth peer name cxnet-id0 netns $D ||
	skip "cannot create veth pairs"
for ns in $S $H $D; do ip -n $ns link set lo up; done
ip -n $S addr add 10.252.1.1/24 dev cxnet-is0
ip -n $S addr add fd00:252:1::1/64 dev cxnet-is0 nodad
ip -n $S addr add 10.252.2.1/24 dev cxnet-is1
ip -n $H addr add 10.252.1.2/24 dev cxnet-ih0
ip -n $H addr add fd00:252:1::2/64 dev cxnet-ih0 nodad
ip -n $D addr add 10.252.2.2/24 dev cxnet-id0
ip -n $S link set cxnet-is0 up
ip -n $S link set cxnet-is1 up
ip -n $H link set cxnet-ih0 up
ip -n $D link set cxnet-id0 up
# IPv6 is usable once duplicate address detection of the link-local
# addresses is over (at most a few seconds).
for _ in $(seq 50); do
	[ -z "$(ip -n $S -6 addr show tentative)$(ip -n $H -6 addr show tentative)" ] && break
	sleep 0.1
done
ip netns exec $H iptables -A INPUT -p tcp --dport 24050:24059 -j DROP ||
	skip "iptables does not work here"
ip netns exec $H iptables -A INPUT -p tcp --dport 24060 \
	-j REJECT --reject-with icmp-admin-prohibited
ip netns exec $H ip6tables -A INPUT -p tcp --dport 24050:24059 -j DROP ||
	skip "ip6tables does not work here"
ip netns exec $D iptables -P INPUT DROP

# Listeners on both families: 22, 80, 24001, 24099 (and 24055: dropped).
ip netns exec $H python3 - "$TMP/ready" <<'EOF' &
import socket, sys, time
socks = []
for port in (22, 80, 24001, 24099, 24055):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::", port))
    s.listen(128)
    socks.append(s)
open(sys.argv[1], "w").close()
time.sleep(300)
EOF
PIDS+=($!)
for _ in $(seq 50); do [ -e "$TMP/ready" ] && break; sleep 0.1; done
[ -e "$TMP/ready" ] || {
	echo "FAIL: the listeners did not start"
	exit 1
}

fail() {
	echo "FAIL: $*"
	FAILS=$((FAILS + 1))
}

# scan OUTDIR ARGS...: run certexam in the scanner namespace; prints the
# run folder (the last line of stdout).
scan() {
	local out=$1
	shift
	ip netns exec $S "$CERTEXAM" scan --only ports --no-progress --udp-ports none \
		--out "$out" "$@" 2>"$TMP/stderr" | tail -1
}

# check RUN EXPECT: EXPECT is "addr=open1,open2;closed=N;filtered=N ..."
check() {
	python3 - "$1" "$2" <<'EOF'
import hashlib, os, sys
import xml.etree.ElementTree as ET
run, expect = sys.argv[1], sys.argv[2]
root = ET.parse(os.path.join(run, "run.xml")).getroot()
ns = root.tag[:root.tag.index("}") + 1] if root.tag.startswith("{") else ""
fails = 0
def bad(m):
    global fails
    fails += 1
    print("FAIL:", m)
opts = {o.get("name"): o.get("value") for o in root.iter(ns + "option")}
obs = {}
for o in root.iter(ns + "observation"):
    if o.get("kind") == "portscan":
        obs[o.get("asset")] = {p.get("name"): p.text for p in o.iter(ns + "prop")}
opened = {}
for p in root.iter(ns + "port"):
    opened.setdefault(p.get("addr"), []).append(int(p.get("port")))
for item in expect.split():
    k, v = item.split("=", 1)
    if k == "scan":
        if opts.get("scan") != v:
            bad("scan option %r, expected %r" % (opts.get("scan"), v))
        continue
    if k == "reason":
        # why that scan: a message id (scan.reason.*) and its raw
        # parameter (the OS error), never an English sentence
        why = "%s %s" % (opts.get("scan_reason_msg") or "",
                         opts.get("scan_reason_why") or "")
        if v not in why or "scan_reason" in opts:
            bad("scan reason %r lacks %r" % (why, v))
        continue
    if k == "up" or k == "down":
        # up=ADDR@how,ADDR@how / down=ADDR,ADDR...
        disc = {}
        for o in root.iter(ns + "observation"):
            if o.get("kind") == "discovery":
                disc[o.get("asset")] = {p.get("name"): p.text for p in o.iter(ns + "prop")}
        for x in v.split(","):
            a, _, how = x.partition("@")
            got = disc.get(a)
            if got is None or got.get("state") != k:
                bad("discovery: %s is %s, expected %s" % (a, got and got.get("state"), k))
            elif how and got.get("up_by") != how:
                bad("discovery: %s up by %s, expected %s" % (a, got.get("up_by"), how))
            elif k == "down" and (got.get("down_why") != "scan.host.down-arp"
                                  or got.get("tries") != "2"):
                # why down: a message id with its parameter, no English
                bad("discovery: %s down_why %r tries %r, expected "
                    "scan.host.down-arp with 2" % (a, got.get("down_why"), got.get("tries")))
        continue
    if k == "hosts":
        hosts = {h.get("addr"): h.get("up") for h in root.iter(ns + "host")}
        if len(hosts) != int(v):
            bad("%d hosts recorded, expected %s" % (len(hosts), v))
        continue
    if k == "pcap":
        eid = opts.get("scan_pcap")
        ev = {e.get("id"): e for e in root.iter(ns + "file")}
        if eid not in ev:
            bad("no pcap evidence recorded")
            continue
        data = open(os.path.join(run, ev[eid].get("path")), "rb").read()
        if data[:4] not in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4"):
            bad("the pcap evidence is not a pcap file")
        if hashlib.sha256(data).hexdigest() != ev[eid].get("sha256"):
            bad("the pcap evidence hash does not match the record")
        if len(data) <= 24 + 16 * int(v):
            bad("the pcap evidence holds fewer than %s packets" % v)
        continue
    addr, spec = k, v
    want = dict(x.split(":") for x in spec.split(";"))
    got = obs.get(addr)
    if got is None:
        bad("no portscan observation for %s" % addr)
        continue
    if "open" in want:
        w = sorted(int(x) for x in want["open"].split(",") if x)
        if sorted(opened.get(addr, [])) != w:
            bad("%s open %s, expected %s" % (addr, sorted(opened.get(addr, [])), w))
    for c in ("closed", "filtered"):
        if c in want and got.get(c) != want[c]:
            bad("%s %s=%s, expected %s" % (addr, c, got.get(c), want[c]))
    if "scan" in want and got.get("scan") != want["scan"]:
        bad("%s scanned by %s, expected %s" % (addr, got.get("scan"), want["scan"]))
sys.exit(1 if fails else 0)
EOF
}

PORTS=1-1024,24000-24100
# 1125 ports: 4 open; 24050-24059 dropped and 24060 rejected on IPv4.
run=$(scan "$TMP/runs" --scan syn --target 10.252.1.2 --target fd00:252:1::2 \
	--ports $PORTS --timeout 300)
if [ -z "$run" ]; then
	fail "the SYN scan failed: $(cat "$TMP/stderr")"
else
	check "$run" "scan=syn reason=asked 10.252.1.2=open:22,80,24001,24099;closed:1110;filtered:11;scan:syn fd00:252:1::2=open:22,80,24001,24099;closed:1111;filtered:10 pcap=8" ||
		fail "SYN scan results"
fi

run=$(scan "$TMP/runs" --scan connect --target 10.252.1.2 --ports $PORTS \
	--timeout 300)
[ -n "$run" ] && check "$run" "scan=connect 10.252.1.2=open:22,80,24001,24099;closed:1110;filtered:11;scan:connect" ||
	fail "connect scan results differ"

# A host that drops everything: all 65,535 ports filtered, quickly.
start=$(date +%s%N)
run=$(scan "$TMP/runs" --target 10.252.2.2 --ports all --no-discovery)
el=$((($(date +%s%N) - start) / 1000000))
if [ -z "$run" ]; then
	fail "the drop-all scan failed: $(cat "$TMP/stderr")"
else
	check "$run" "scan=syn reason=default 10.252.2.2=open:;closed:0;filtered:65535" ||
		fail "drop-all results"
	[ "$el" -lt 30000 ] || fail "drop-all scan took ${el} ms (limit 30000)"
	echo "drop-all host, 65535 ports: ${el} ms"
fi

# Host discovery: ARP on the segment (a firewall dropping all IP does not
# hide a host from ARP), ICMP echo on IPv6; the hosts found down are not
# port-scanned.
run=$(scan "$TMP/runs" --target 10.252.1.0/29 --target fd00:252:1::2 \
	--target 10.252.2.2 --ports 22,80)
if [ -z "$run" ]; then
	fail "the discovery scan failed: $(cat "$TMP/stderr")"
else
	check "$run" "hosts=10 up=10.252.1.1@local-address,10.252.1.2@arp-reply,10.252.2.2@arp-reply,fd00:252:1::2@echo-reply down=10.252.1.0,10.252.1.3,10.252.1.4,10.252.1.5,10.252.1.6,10.252.1.7 10.252.1.2=open:22,80 fd00:252:1::2=open:22,80" ||
		fail "discovery results"
	grep -q 'kind="portscan" asset="10.252.1.3"' "$run/run.xml" &&
		fail "a host found down was port-scanned"
fi

# Without CAP_NET_RAW: the connect scan, and --scan syn is refused.
run=$(ip netns exec $S setpriv --bounding-set=-net_raw --inh-caps=-net_raw \
	"$CERTEXAM" scan --only ports --no-progress --out "$TMP/runs" --udp-ports none \
	--target 10.252.1.2 --ports 22,80,81 2>/dev/null | tail -1)
[ -n "$run" ] && check "$run" "scan=connect reason=scan.reason.no-raw 10.252.1.2=open:22,80;closed:1" ||
	fail "no fallback to the connect scan without CAP_NET_RAW"
ip netns exec $S setpriv --bounding-set=-net_raw --inh-caps=-net_raw \
	"$CERTEXAM" scan --only ports --no-progress --out "$TMP/runs" --udp-ports none \
	--scan syn --target 10.252.1.2 --ports 22 >/dev/null 2>"$TMP/err"
rc=$?
[ $rc = 2 ] || fail "--scan syn without CAP_NET_RAW: exit $rc, expected 2"
grep -q "SYN scan cannot run" "$TMP/err" || fail "no message for --scan syn"
# the same refusal in the terminal's language (a message id, scan.syn.refused)
CERTEXAM_LANG=ru ip netns exec $S setpriv --bounding-set=-net_raw --inh-caps=-net_raw \
	"$CERTEXAM" scan --only ports --no-progress --out "$TMP/runs" --udp-ports none \
	--scan syn --target 10.252.1.2 --ports 22 >/dev/null 2>"$TMP/err.ru"
grep -q "сканирование TCP SYN здесь невозможно" "$TMP/err.ru" ||
	fail "--scan syn refusal not worded in Russian: $(cat "$TMP/err.ru")"
grep -q "SYN scan cannot run" "$TMP/err.ru" &&
	fail "--scan syn refusal in English under CERTEXAM_LANG=ru"

if [ $FAILS -gt 0 ]; then
	echo "test_synscan: $FAILS failure(s)"
	exit 1
fi
echo "test_synscan: ok"
