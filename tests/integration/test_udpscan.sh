#!/usr/bin/env bash
# Integration: the UDP scan (scanner/net/udpscan.c) and the udp check in
# network namespaces of its own (cxnet-us scanner, cxnet-uh target) over
# veth: every UDP look-alike of tests/lab/net/udp_services.py and, when
# installed, Debian's snmpd with community public, identified from its
# reply with the bytes as evidence; a port without a listener closed (ICMP
# port unreachable); a dropped port open|filtered; SNMP public, NetBIOS
# and memcached as findings; NTP mode 7 monlist answered by the
# look-alike (440 bytes for 8: NET-07) beside its client reply, and
# snmpd's community private beside public; the same results without root
# privileges.
#
#   bash tests/integration/test_udpscan.sh path/to/certexam
#
# Exit 77 when not root or namespaces / veth / iptables are unavailable.
set -u

CERTEXAM=${1:?usage: $0 path/to/certexam}
case $CERTEXAM in /*) ;; *) CERTEXAM=$PWD/$CERTEXAM ;; esac
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
S=cxnet-us
H=cxnet-uh
TMP=$(mktemp -d /tmp/cx-udpscan-XXXXXX)
PIDS=()
FAILS=0

cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	ip netns del $S 2>/dev/null
	ip netns del $H 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 3' INT TERM
skip() {
	echo "SKIP: $*"
	exit 77
}
fail() {
	echo "FAIL: $*"
	FAILS=$((FAILS + 1))
}
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
for t in ip iptables python3 setpriv; do
	command -v $t >/dev/null 2>&1 || skip "$t not installed"
done
ip netns add $S 2>/dev/null || skip "cannot create network namespaces"
ip netns add $H || skip "cannot create network namespaces"
ip link add cxnet-us0 netns $S type veth peer name cxnet-uh0 netns $H ||
	skip "cannot create veth pairs"
ip -n $S addr add 10.253.1.1/24 dev cxnet-us0
ip -n $H addr add 10.253.1.2/24 dev cxnet-uh0
for ns in $S $H; do ip -n $ns link set lo up; done
ip -n $S link set cxnet-us0 up
ip -n $H link set cxnet-uh0 up
ip netns exec $H iptables -A INPUT -p udp --dport 24700 -j DROP ||
	skip "iptables does not work here"

ip netns exec $H python3 "$ROOT/tests/lab/net/udp_services.py" \
	--addr 10.253.1.2 --ready "$TMP/ready" echo chargen dns-open tftp ntp \
	netbios cldap ipmi ssdp mdns memcached &
PIDS+=($!)
snmp=0
if [ -x /usr/sbin/snmpd ]; then
	cat >"$TMP/snmpd.conf" <<CONF
agentAddress udp:10.253.1.2:161
rocommunity public
rocommunity private
sysDescr certexam lab snmpd
CONF
	ip netns exec $H /usr/sbin/snmpd -f -Lf "$TMP/snmpd.log" -C \
		-c "$TMP/snmpd.conf" -I -ifTable,ipAddressTable &
	PIDS+=($!)
	snmp=1
fi
for _ in $(seq 50); do [ -e "$TMP/ready" ] && break; sleep 0.1; done
sleep 0.3

# 12 services (+ snmpd), 24601 closed, 24700 dropped.
PORTS=7,19,53,69,123,137,161,389,623,1900,5353,11211,24601,24700
check() {
	python3 - "$1" "$snmp" <<'PY'
import hashlib, os, sys
import xml.etree.ElementTree as ET
run, snmp = sys.argv[1], sys.argv[2] == "1"
root = ET.parse(os.path.join(run, "run.xml")).getroot()
ns = root.tag[:root.tag.index("}") + 1] if root.tag.startswith("{") else ""
fails = 0
def bad(m):
    global fails
    fails += 1
    print("FAIL:", m)
want = {7: "echo", 19: "chargen", 53: "dns", 69: "tftp", 123: "ntp",
        137: "netbios-ns", 389: "cldap", 623: "ipmi", 1900: "ssdp",
        5353: "mdns", 11211: "memcached"}
if snmp:
    want[161] = "snmp"
ev = {e.get("id"): e for e in root.iter(ns + "file")}
got = {}
for p in root.iter(ns + "port"):
    if p.get("proto") == "udp":
        got[int(p.get("port"))] = p
for port, svc in want.items():
    p = got.get(port)
    if p is None:
        bad("%d/udp not found open" % port)
        continue
    if p.get("service") != svc:
        bad("%d/udp identified as %s, expected %s" % (port, p.get("service"), svc))
    e = ev.get(p.get("evidence"))
    if e is None:
        bad("%d/udp has no reply evidence" % port)
        continue
    data = open(os.path.join(run, e.get("path")), "rb").read()
    if hashlib.sha256(data).hexdigest() != e.get("sha256") or not data:
        bad("%d/udp evidence hash or size wrong" % port)
extra = set(got) - set(want)
if extra:
    bad("unexpected open UDP ports %s" % sorted(extra))
obs = {}
for o in root.iter(ns + "observation"):
    if o.get("kind") == "udpscan":
        obs = {p.get("name"): p.text for p in o.iter(ns + "prop")}
if obs.get("closed") != ("1" if snmp else "2"):
    bad("closed=%s (24601%s expected closed)" % (obs.get("closed"), "" if snmp else " and 161"))
if obs.get("open_filtered") != "1":
    bad("open_filtered=%s, expected 1 (24700 dropped)" % obs.get("open_filtered"))
keys = {f.get("key") for f in root.iter(ns + "finding")}
need = ["udp|NET-04|10.253.1.2:137/udp|netbios-ns",
        "udp|NET-03|10.253.1.2:11211/udp|memcached",
        # the look-alike answers mode 7 monlist: 440 bytes for 8
        "udp|NET-07|10.253.1.2:123/udp|ntp-monlist"]
if snmp:
    need += ["udp|NET-04|10.253.1.2:161/udp|snmp-public",
             "udp|NET-04|10.253.1.2:161/udp|snmp-private",
             "udp|NET-07|10.253.1.2:161/udp|snmp-v2c-private"]
svc_obs = {}
for o in root.iter(ns + "observation"):
    if o.get("kind") == "udp-service":
        pr = {p.get("name"): p.text for p in o.iter(ns + "prop")}
        svc_obs.setdefault(o.get("asset"), []).append(pr)
mon = [pr for pr in svc_obs.get("10.253.1.2:123/udp", [])
       if pr.get("identified-by") == "ntp-monlist"]
if len(mon) != 1 or mon[0].get("reply-bytes") != "440" or \
        mon[0].get("ntp-mode7-entries") != "6":
    bad("monlist reply not recorded as 6 entries in 440 bytes: %s" % mon)
if len(svc_obs.get("10.253.1.2:123/udp", [])) != 2:
    bad("123/udp: client and monlist replies expected, got %s" %
        svc_obs.get("10.253.1.2:123/udp"))
for k in need:
    if k not in keys:
        bad("no finding %s" % k)
sys.exit(1 if fails else 0)
PY
}

start=$(date +%s%N)
run=$(ip netns exec $S "$CERTEXAM" scan --only ports,udp --no-progress \
	--out "$TMP/runs" --target 10.253.1.2 --ports 22 --udp-ports $PORTS \
	2>"$TMP/err" | tail -1)
el=$((($(date +%s%N) - start) / 1000000))
if [ -z "$run" ]; then
	fail "scan failed: $(cat "$TMP/err")"
else
	check "$run" || fail "UDP results (root)"
	echo "UDP scan, $(echo $PORTS | tr ',' '\n' | wc -l) ports: ${el} ms"
fi
run=$(ip netns exec $S setpriv --bounding-set=-net_raw --inh-caps=-net_raw \
	"$CERTEXAM" scan --only ports,udp --no-progress --out "$TMP/runs" \
	--target 10.253.1.2 --ports 22 --udp-ports $PORTS 2>"$TMP/err" | tail -1)
if [ -z "$run" ]; then
	fail "unprivileged scan failed: $(cat "$TMP/err")"
else
	check "$run" || fail "UDP results (without CAP_NET_RAW)"
fi
if [ $FAILS -gt 0 ]; then
	echo "test_udpscan: $FAILS failure(s)"
	exit 1
fi
echo "test_udpscan: ok"
