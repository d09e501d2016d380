#!/usr/bin/env bash
# Integration: the udp check's verdicts (checks/udp.c; issue 11 item 3,
# issue 9 item 1) against the UDP look-alikes of tests/lab/net/
# (udp_services.py) and, when installed, Debian's snmpd with community
# public.  Exact findings: NET-07 for the open resolver and every
# amplification-prone service that answered (chargen, NetBIOS-NS, CLDAP,
# SSDP, mDNS, memcached, SNMP) and for the look-alike's answer to the NTP
# mode 7 monlist request (440 bytes for 8), none for echo (reply =
# request), NTP in client mode (48 bytes for 48), TFTP, IPMI; NET-04 for NetBIOS-NS and
# SNMP public, NET-03 for memcached over UDP; every one with its message
# id and port argument, rendered in Kazakh and Russian.
# Two namespaces of its own (cxports-us scanner, cxports-uh target,
# 10.252.25.0/24 over veth); nothing leaves them.  Needs root.
#   bash tests/integration/test_udpcheck.sh path/to/certexam
set -u
CERTEXAM=${1:?usage: test_udpcheck.sh path/to/certexam}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
S=cxports-us
H=cxports-uh
A=10.252.25.2
TMP=$(mktemp -d /tmp/cx-udpcheck-XXXXXX)
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
for t in ip python3 jq; do
	command -v $t >/dev/null 2>&1 || skip "$t not installed"
done
ip netns del $S 2>/dev/null
ip netns del $H 2>/dev/null
ip netns add $S 2>/dev/null || skip "cannot create network namespaces"
ip netns add $H || skip "cannot create network namespaces"
ip link add cxports-us0 netns $S type veth peer name cxports-uh0 netns $H ||
	skip "cannot create veth pairs"
ip -n $S addr add 10.252.25.1/24 dev cxports-us0
ip -n $H addr add $A/24 dev cxports-uh0
for ns in $S $H; do ip -n $ns link set lo up; done
ip -n $S link set cxports-us0 up
ip -n $H link set cxports-uh0 up

ip netns exec $H python3 "$ROOT/tests/lab/net/udp_services.py" \
	--addr $A --ready "$TMP/ready" echo chargen dns-open tftp ntp \
	netbios cldap ipmi ssdp mdns memcached &
PIDS+=($!)
snmp=0
if [ -x /usr/sbin/snmpd ]; then
	cat >"$TMP/snmpd.conf" <<CONF
agentAddress udp:$A:161
rocommunity public
sysDescr certexam lab snmpd
CONF
	ip netns exec $H /usr/sbin/snmpd -f -Lf "$TMP/snmpd.log" -C \
		-c "$TMP/snmpd.conf" -I -ifTable,ipAddressTable &
	PIDS+=($!)
	snmp=1
fi
for _ in $(seq 50); do [ -e "$TMP/ready" ] && break; sleep 0.1; done
sleep 0.3
[ -e "$TMP/ready" ] || { fail "the UDP look-alikes did not start"; exit 1; }

PORTS=7,19,53,69,123,137,161,389,623,1900,5353,11211
run=$(timeout 60 ip netns exec $S "$CERTEXAM" scan --only ports,udp \
	--no-progress --out "$TMP/runs" --target $A --ports 22 \
	--udp-ports $PORTS 2>"$TMP/err" | tail -1)
[ -n "$run" ] && [ -f "$run/run.xml" ] || { fail "scan failed: $(cat "$TMP/err")"; exit 1; }
"$CERTEXAM" show "$run" --format json >"$TMP/run.json" || fail "show failed"

# The udp check's findings, exactly: key -> status msg port
want="udp|NET-03|$A:11211/udp|memcached fail net.udp.memcached 11211
udp|NET-04|$A:137/udp|netbios-ns fail net.udp.netbios-ns 137
udp|NET-07|$A:11211/udp|memcached fail net.udp.amplifier 11211
udp|NET-07|$A:137/udp|netbios-ns fail net.udp.amplifier 137
udp|NET-07|$A:1900/udp|ssdp fail net.udp.amplifier 1900
udp|NET-07|$A:19/udp|chargen fail net.udp.amplifier 19
udp|NET-07|$A:389/udp|cldap fail net.udp.amplifier 389
udp|NET-07|$A:53/udp|dns-recursion fail net.udp.open-resolver 53
udp|NET-07|$A:5353/udp|mdns fail net.udp.amplifier 5353
udp|NET-07|$A:123/udp|ntp-monlist fail net.udp.amplifier 123"
if [ $snmp = 1 ]; then
	want="$want
udp|NET-04|$A:161/udp|snmp-public fail net.udp.snmp-community 161
udp|NET-07|$A:161/udp|snmp fail net.udp.amplifier 161"
fi
got=$(jq -r '.findings[] | select(.check == "udp") |
	"\(.key) \(.status) \(.msg) \(.args.port // "")"' \
	"$TMP/run.json" 2>/dev/null | LC_ALL=C sort)
want=$(echo "$want" | LC_ALL=C sort)
if [ "$got" != "$want" ]; then
	fail "udp findings differ from the expected verdicts"
	diff <(echo "$want") <(echo "$got") | sed 's/^/  /'
fi
# The amplifier findings carry both sizes (the chargen reply is larger).
jq -e '.findings[] | select(.key == "udp|NET-07|'"$A"':19/udp|chargen") |
	.args | (.request | tonumber) > 0 and (.reply | tonumber) > (.request | tonumber)' \
	"$TMP/run.json" >/dev/null || fail "chargen: request/reply sizes missing or not an amplification"
# Findings point at the reply bytes as evidence.
jq -e '[.findings[] | select(.check == "udp") | (.evidence | length)] | all(. > 0)' \
	"$TMP/run.json" >/dev/null || fail "a udp finding without its reply as evidence"

# The words come from the catalogs: the act in Kazakh and Russian.
"$CERTEXAM" act "$run" --format md --lang kk,ru -o "$TMP/acts" >/dev/null 2>"$TMP/act.err" ||
	fail "act failed: $(cat "$TMP/act.err")"
ru=$(cat "$TMP"/acts/*.ru.md 2>/dev/null)
kk=$(cat "$TMP"/acts/*.kk.md 2>/dev/null)
case "$ru" in *"открытый рекурсивный резолвер"*) ;; *) fail "ru act: no open resolver sentence" ;; esac
case "$kk" in *"ашық рекурсивті резолвер"*) ;; *) fail "kk act: no open resolver sentence" ;; esac
case "$ru$kk" in *"net.udp."*) fail "a message id printed instead of its text" ;; esac

if [ $FAILS -gt 0 ]; then
	echo "test_udpcheck: $FAILS failure(s)"
	exit 1
fi
echo "test_udpcheck: ok ($(echo "$want" | wc -l) udp findings, snmpd=$snmp)"
