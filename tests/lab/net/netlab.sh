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
# started and fails if one of those processes is still there.
#
# Processes: each one started in a namespace writes its own PID and start
# time into $STATE/pids just before it execs the command (so the PID is
# the listener's, not a wrapper's), with every inherited descriptor above
# 2 closed (a ctest lock held by the caller is not kept by the lab).
# `stop` ends exactly those PIDs (checked against their start time, so a
# reused PID is never touched), then checks that none of them and no
# process inside the lab's namespaces remains.
#
# CX_NETLAB_PREFIX (default cxnet) names the namespaces and links, and
# CX_NETLAB_STATE (default /tmp/$CX_NETLAB_PREFIX-lab) the state folder:
# tests/integration/test_netlab.sh runs a lab of its own beside this one.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
P=${CX_NETLAB_PREFIX:-cxnet}
STATE=${CX_NETLAB_STATE:-/tmp/$P-lab}
HOSTS="h1 h2 h3 h4 h5 fw dr ud"
declare -A IP=([h1]=11 [h2]=12 [h3]=13 [h4]=14 [h5]=15 [fw]=20 [dr]=21 [ud]=30)
TCP_PORTS="22 80 443 3306 8080 24001 24002 24003 24004 24005"

# Run by bash inside the namespace: close fds > 2, record "PID starttime"
# of this very process, then exec the command (same PID).
# shellcheck disable=SC2016
LAUNCH='for f in /proc/$$/fd/*; do n=${f##*/}; [ "$n" -gt 2 ] 2>/dev/null && exec {n}>&-; done 2>/dev/null
s=$(</proc/$$/stat); read -r -a st <<<"${s##*) }"
echo "$$ ${st[19]}" >>"$0"
exec "$@"'

bg() { # bg NAME NS CMD...: start CMD in NS in the background, record its PID
	local name=$1 ns=$2
	shift 2
	ip netns exec "$ns" bash -c "$LAUNCH" "$STATE/pids" "$@" \
		</dev/null >"$STATE/$name.log" 2>&1 &
}

# 1 if PID is alive and still the process that recorded start time ST.
# (field 22 of /proc/PID/stat, counted after the command name).
same_proc() {
	local s st
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	read -r -a st <<<"${s##*) }"
	[ "${st[19]:-}" = "$2" ]
}

lab_namespaces() {
	local h
	echo "$P-scan $P-rtr"
	for h in $HOSTS; do echo "$P-$h"; done
}

stop() {
	local p t ns left="" i
	if [ -f "$STATE/pids" ]; then
		while read -r p t; do
			same_proc "$p" "$t" && kill "$p" 2>/dev/null || true
		done <"$STATE/pids"
		for i in $(seq 20); do
			left=""
			while read -r p t; do
				same_proc "$p" "$t" && left="$left $p"
			done <"$STATE/pids"
			[ -z "$left" ] && break
			sleep 0.1
		done
		while read -r p t; do
			same_proc "$p" "$t" && kill -9 "$p" 2>/dev/null || true
		done <"$STATE/pids"
	fi
	sleep 0.1
	left=""
	if [ -f "$STATE/pids" ]; then
		while read -r p t; do
			same_proc "$p" "$t" && left="$left $p"
		done <"$STATE/pids"
	fi
	for ns in $(lab_namespaces); do
		if ip netns list 2>/dev/null | grep -qx "$ns\( .*\)\?"; then
			for p in $(ip netns pids "$ns" 2>/dev/null); do
				left="$left $p($ns)"
			done
		fi
		ip netns del "$ns" 2>/dev/null || true
	done
	rm -rf "$STATE"
	if [ -n "$left" ]; then
		echo "netlab: processes of the lab still running:$left" >&2
		return 1
	fi
}

# python3 -c "$LISTENERS" ADDR PORTS...: TCP listeners that never answer.
LISTENERS='
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
'

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
	stop || { echo "netlab: the previous lab left processes; not started" >&2; exit 1; }
	mkdir -p "$STATE"
	: >"$STATE/pids"
	ip netns add $P-scan
	ip netns add $P-rtr
	for ns in $P-scan $P-rtr; do ip -n $ns link set lo up; done
	ip link add $P-s0 netns $P-scan type veth peer name $P-r0 netns $P-rtr
	ip -n $P-scan addr add 10.254.0.2/24 dev $P-s0
	ip -n $P-rtr addr add 10.254.0.1/24 dev $P-r0
	ip -n $P-scan link set $P-s0 up
	ip -n $P-rtr link set $P-r0 up
	ip -n $P-scan route add default via 10.254.0.1
	ip -n $P-rtr link add $P-br type bridge
	ip -n $P-rtr addr add 10.254.1.1/24 dev $P-br
	ip -n $P-rtr link set $P-br up
	# A switch, not a firewall: where br_netfilter is loaded on this
	# machine, bridged frames skip iptables in the lab (both tools gain).
	ip netns exec $P-rtr sysctl -qw net.bridge.bridge-nf-call-iptables=0 \
		net.bridge.bridge-nf-call-ip6tables=0 \
		net.bridge.bridge-nf-call-arptables=0 2>/dev/null || true
	ip netns exec $P-rtr sysctl -qw net.ipv4.ip_forward=1
	# The router's ICMP errors are not rate limited in the lab.
	ip netns exec $P-rtr sysctl -qw net.ipv4.icmp_ratelimit=0
	for h in $HOSTS; do
		ns=$P-$h
		a=10.254.1.${IP[$h]}
		ip netns add $ns
		ip -n $ns link set lo up
		ip link add $P-$h-b netns $P-rtr type veth peer name eth0 netns $ns
		ip -n $P-rtr link set $P-$h-b master $P-br up
		ip -n $ns addr add $a/24 dev eth0
		ip -n $ns link set eth0 up
		ip -n $ns route add default via 10.254.1.1
	done
	for h in h1 h2 h3 h4 h5; do
		# shellcheck disable=SC2086
		bg listen-$h $P-$h python3 -c "$LISTENERS" 10.254.1.${IP[$h]} $TCP_PORTS
	done
	bg listen-fw $P-fw python3 -c "$LISTENERS" 10.254.1.20 22 443
	ip netns exec $P-fw iptables -A INPUT -i lo -j ACCEPT
	ip netns exec $P-fw iptables -A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT
	ip netns exec $P-fw iptables -A INPUT -p tcp -m multiport --dports 22,443 -j ACCEPT
	ip netns exec $P-fw iptables -P INPUT DROP
	ip netns exec $P-dr iptables -P INPUT DROP
	# UDP services
	a=10.254.1.30
	bg udp-lookalikes $P-ud python3 "$HERE/udp_services.py" --addr $a \
		echo chargen tftp ntp:1123 netbios cldap ipmi ssdp mdns memcached
	if [ -x /usr/sbin/snmpd ]; then
		printf 'agentAddress udp:%s:161\nrocommunity public\nsysDescr certexam netlab snmpd\n' $a >"$STATE/snmpd.conf"
		bg snmpd $P-ud /usr/sbin/snmpd -f -Lf "$STATE/snmpd.log" -C -c "$STATE/snmpd.conf" -I -ifTable,ipAddressTable
	fi
	if [ -x /usr/sbin/dnsmasq ]; then
		bg dnsmasq $P-ud /usr/sbin/dnsmasq -k --no-resolv --no-hosts \
			--listen-address=$a --bind-interfaces --port 53 \
			--address=/example.lab/10.254.1.30 --pid-file="$STATE/dnsmasq.pid" \
			--user=root
	fi
	if [ -x /usr/sbin/chronyd ]; then
		printf 'allow all\nbindaddress %s\nlocal stratum 8\nport 123\ncmdport 0\npidfile %s/chrony.pid\ndriftfile %s/chrony.drift\n' \
			$a "$STATE" "$STATE" >"$STATE/chrony.conf"
		bg chronyd $P-ud /usr/sbin/chronyd -d -x -f "$STATE/chrony.conf"
	fi
	if [ "$delay" != 0 ] || [ "$loss" != 0 ]; then
		if ip netns exec $P-rtr tc qdisc add dev $P-r0 root netem \
			delay "${delay}ms" loss "${loss}%" 2>/dev/null; then
			# netem halves: the same delay on the way back.
			ip netns exec $P-rtr tc qdisc add dev $P-br root netem \
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
	ip -n $P-rtr tuntap add dev $P-ti mode tun
	ip -n $P-rtr tuntap add dev $P-to mode tun
	ip -n $P-rtr link set $P-ti up
	ip -n $P-rtr link set $P-to up
	for i in all default $P-to $P-ti $P-r0 $P-br; do
		ip netns exec $P-rtr sysctl -qw net.ipv4.conf.$i.rp_filter=0
	done
	ip -n $P-rtr route add 10.254.1.0/24 dev $P-ti table 101
	ip -n $P-rtr route add 10.254.0.0/24 dev $P-ti table 101
	ip -n $P-rtr rule add iif $P-r0 lookup 101
	ip -n $P-rtr rule add iif $P-br lookup 101
	rm -f "$STATE/delay.ready"
	bg delay $P-rtr python3 "$HERE/delay_router.py" --in $P-ti \
		--out $P-to --delay "$delay" --loss "$loss" --ready "$STATE/delay.ready"
	for i in $(seq 50); do [ -e "$STATE/delay.ready" ] && break; sleep 0.1; done
	echo "netlab: no netem qdisc here; user-space delay ${delay} ms and loss ${loss} % each way"
}

case ${1:-} in
start) shift; start "$@" ;;
stop) stop ;;
run) shift; exec ip netns exec $P-scan "$@" ;;
*) echo "usage: $0 start [--delay MS] [--loss PCT] | stop | run CMD..." >&2; exit 2 ;;
esac
