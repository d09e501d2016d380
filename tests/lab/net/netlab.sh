#!/usr/bin/env bash
# certexam network lab: namespaces that look like a small network.
#
#   tests/lab/net/netlab.sh start [--delay MS] [--loss PCT]
#   tests/lab/net/netlab.sh stop
#   tests/lab/net/netlab.sh run COMMAND...   (inside the scanner namespace)
#
#   cxnet-scan  the scanner, 10.254.0.2/24, default route via the router
#   cxnet-rtr   the router: 10.254.0.1 toward the scanner, 10.254.1.1/24
#               on a bridge to the target /24; with --delay/--loss every
#               forwarded packet goes through delay_router.py (the kernel
#               here has no netem qdisc; the script checks netem first)
#   cxnet-h1..5 live hosts 10.254.1.11-15, TCP listeners on 22, 80, 443,
#               3306, 8080 and 24001-24005 (python)
#   cxnet-fw    10.254.1.20: a firewall dropping everything but 22 and 443
#   cxnet-dr    10.254.1.21: drops everything (ICMP too)
#   cxnet-ud    10.254.1.30: UDP services: Debian's snmpd (community
#               public), dnsmasq, chronyd (when installed), and the
#               look-alikes of udp_services.py
#
# Network safety: addresses only in 10.254.0.0/16, all inside namespaces
# this script creates; `stop` removes every namespace and process it
# started (the PIDs are kept in $STATE).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE=${CX_NETLAB_STATE:-/tmp/cxnet-lab}
HOSTS="h1 h2 h3 h4 h5 fw dr ud"
declare -A IP=([h1]=11 [h2]=12 [h3]=13 [h4]=14 [h5]=15 [fw]=20 [dr]=21 [ud]=30)
TCP_PORTS="22 80 443 3306 8080 24001 24002 24003 24004 24005"

bg() { # bg NAME NS CMD...: start CMD in NS in the background, keep its PID
	local name=$1 ns=$2
	shift 2
	ip netns exec "$ns" "$@" >"$STATE/$name.log" 2>&1 &
	echo $! >>"$STATE/pids"
}

stop() {
	local p ns
	if [ -f "$STATE/pids" ]; then
		while read -r p; do kill "$p" 2>/dev/null || true; done <"$STATE/pids"
		sleep 0.3
		while read -r p; do kill -9 "$p" 2>/dev/null || true; done <"$STATE/pids"
	fi
	for ns in cxnet-scan cxnet-rtr $(for h in $HOSTS; do echo cxnet-$h; done); do
		ip netns del "$ns" 2>/dev/null || true
	done
	rm -rf "$STATE"
}

listeners() { # listeners ADDR PORTS...: a python process with TCP listeners
	local addr=$1
	shift
	python3 -c '
import socket, sys, time, signal
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
ss = []
for p in sys.argv[2:]:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((sys.argv[1], int(p)))
    s.listen(128)
    ss.append(s)
while True:
    time.sleep(3600)
' "$addr" "$@"
}

start() {
	local delay=0 loss=0 h ns a
	while [ $# -gt 0 ]; do
		case $1 in
		--delay) delay=$2; shift 2 ;;
		--loss) loss=$2; shift 2 ;;
		*) echo "netlab: unknown option $1" >&2; exit 2 ;;
		esac
	done
	[ "$(id -u)" = 0 ] || { echo "netlab: needs root" >&2; exit 77; }
	stop
	mkdir -p "$STATE"
	: >"$STATE/pids"
	ip netns add cxnet-scan
	ip netns add cxnet-rtr
	for ns in cxnet-scan cxnet-rtr; do ip -n $ns link set lo up; done
	ip link add cxnet-s0 netns cxnet-scan type veth peer name cxnet-r0 netns cxnet-rtr
	ip -n cxnet-scan addr add 10.254.0.2/24 dev cxnet-s0
	ip -n cxnet-rtr addr add 10.254.0.1/24 dev cxnet-r0
	ip -n cxnet-scan link set cxnet-s0 up
	ip -n cxnet-rtr link set cxnet-r0 up
	ip -n cxnet-scan route add default via 10.254.0.1
	ip -n cxnet-rtr link add cxnet-br type bridge
	ip -n cxnet-rtr addr add 10.254.1.1/24 dev cxnet-br
	ip -n cxnet-rtr link set cxnet-br up
	# A switch, not a firewall: where br_netfilter is loaded on this
	# machine, bridged frames skip iptables in the lab (both tools gain).
	ip netns exec cxnet-rtr sysctl -qw net.bridge.bridge-nf-call-iptables=0 \
		net.bridge.bridge-nf-call-ip6tables=0 \
		net.bridge.bridge-nf-call-arptables=0 2>/dev/null || true
	ip netns exec cxnet-rtr sysctl -qw net.ipv4.ip_forward=1
	# The router's ICMP errors are not rate limited in the lab.
	ip netns exec cxnet-rtr sysctl -qw net.ipv4.icmp_ratelimit=0
	for h in $HOSTS; do
		ns=cxnet-$h
		a=10.254.1.${IP[$h]}
		ip netns add $ns
		ip -n $ns link set lo up
		ip link add cxnet-$h-b netns cxnet-rtr type veth peer name eth0 netns $ns
		ip -n cxnet-rtr link set cxnet-$h-b master cxnet-br up
		ip -n $ns addr add $a/24 dev eth0
		ip -n $ns link set eth0 up
		ip -n $ns route add default via 10.254.1.1
	done
	for h in h1 h2 h3 h4 h5; do
		# shellcheck disable=SC2086
		bg listen-$h cxnet-$h bash -c "$(declare -f listeners); listeners 10.254.1.${IP[$h]} $TCP_PORTS"
	done
	bg listen-fw cxnet-fw bash -c "$(declare -f listeners); listeners 10.254.1.20 22 443"
	ip netns exec cxnet-fw iptables -A INPUT -i lo -j ACCEPT
	ip netns exec cxnet-fw iptables -A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT
	ip netns exec cxnet-fw iptables -A INPUT -p tcp -m multiport --dports 22,443 -j ACCEPT
	ip netns exec cxnet-fw iptables -P INPUT DROP
	ip netns exec cxnet-dr iptables -P INPUT DROP
	# UDP services
	a=10.254.1.30
	bg udp-lookalikes cxnet-ud python3 "$HERE/udp_services.py" --addr $a \
		echo chargen tftp ntp:1123 netbios cldap ipmi ssdp mdns memcached
	if [ -x /usr/sbin/snmpd ]; then
		printf 'agentAddress udp:%s:161\nrocommunity public\nsysDescr certexam netlab snmpd\n' $a >"$STATE/snmpd.conf"
		bg snmpd cxnet-ud /usr/sbin/snmpd -f -Lf "$STATE/snmpd.log" -C -c "$STATE/snmpd.conf" -I -ifTable,ipAddressTable
	fi
	if [ -x /usr/sbin/dnsmasq ]; then
		bg dnsmasq cxnet-ud /usr/sbin/dnsmasq -k --no-resolv --no-hosts \
			--listen-address=$a --bind-interfaces --port 53 \
			--address=/example.lab/10.254.1.30 --pid-file="$STATE/dnsmasq.pid" \
			--user=root
	fi
	if [ -x /usr/sbin/chronyd ]; then
		printf 'allow all\nbindaddress %s\nlocal stratum 8\nport 123\ncmdport 0\npidfile %s/chrony.pid\ndriftfile %s/chrony.drift\n' \
			$a "$STATE" "$STATE" >"$STATE/chrony.conf"
		bg chronyd cxnet-ud /usr/sbin/chronyd -d -x -f "$STATE/chrony.conf"
	fi
	if [ "$delay" != 0 ] || [ "$loss" != 0 ]; then
		if ip netns exec cxnet-rtr tc qdisc add dev cxnet-r0 root netem \
			delay "${delay}ms" loss "${loss}%" 2>/dev/null; then
			# netem halves: the same delay on the way back.
			ip netns exec cxnet-rtr tc qdisc add dev cxnet-br root netem \
				delay "${delay}ms" loss "${loss}%"
			echo "netlab: netem ${delay} ms / ${loss} % each way"
		else
			user_delay "$delay" "$loss"
		fi
	fi
	sleep 0.5
	echo "netlab: started (state in $STATE)"
}

# Delay and loss in user space: forwarded packets are policy-routed into
# tun cxnet-ti, delay_router.py holds them and writes them into
# cxnet-to, and the main table forwards them on (one pass each way:
# the delay applies once per direction, so the RTT is 2 x MS).
user_delay() {
	local delay=$1 loss=$2 i
	ip -n cxnet-rtr tuntap add dev cxnet-ti mode tun
	ip -n cxnet-rtr tuntap add dev cxnet-to mode tun
	ip -n cxnet-rtr link set cxnet-ti up
	ip -n cxnet-rtr link set cxnet-to up
	for i in all default cxnet-to cxnet-ti cxnet-r0 cxnet-br; do
		ip netns exec cxnet-rtr sysctl -qw net.ipv4.conf.$i.rp_filter=0
	done
	ip -n cxnet-rtr route add 10.254.1.0/24 dev cxnet-ti table 101
	ip -n cxnet-rtr route add 10.254.0.0/24 dev cxnet-ti table 101
	ip -n cxnet-rtr rule add iif cxnet-r0 lookup 101
	ip -n cxnet-rtr rule add iif cxnet-br lookup 101
	rm -f "$STATE/delay.ready"
	bg delay cxnet-rtr python3 "$HERE/delay_router.py" --in cxnet-ti \
		--out cxnet-to --delay "$delay" --loss "$loss" --ready "$STATE/delay.ready"
	for i in $(seq 50); do [ -e "$STATE/delay.ready" ] && break; sleep 0.1; done
	echo "netlab: no netem qdisc here; user-space delay ${delay} ms and loss ${loss} % each way"
}

case ${1:-} in
start) shift; start "$@" ;;
stop) stop ;;
run) shift; exec ip netns exec cxnet-scan "$@" ;;
*) echo "usage: $0 start [--delay MS] [--loss PCT] | stop | run CMD..." >&2; exit 2 ;;
esac
