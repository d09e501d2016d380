#!/usr/bin/env bash
# certexam hostile-target lab (issue 12): servers that misbehave at every
# protocol stage, a host answering on every port, off-scope redirects and
# injection payloads, in network namespaces this script creates.
#
#   tests/lab/hostile/hostile-lab.sh start   create the namespaces, start
#                                            the servers and the capture
#   tests/lab/hostile/hostile-lab.sh stop    stop exactly what start started
#   tests/lab/hostile/hostile-lab.sh offscope  the number of packets seen on
#                                            the target side that went to an
#                                            address outside the scope
#
# Two namespaces over one veth pair (IPv6 off, so nothing but what the
# scanner sends crosses it):
#   cxports-hs  the examiner: 10.254.12.1; run the scanner here
#             (ip netns exec cxports-hs certexam ...); its resolv.conf points
#             at the decoy, so a DNS query would be counted as off-scope.
#   cxports-ht  the target: 10.254.12.2 (the hostile servers, hostile.py),
#             10.254.12.4 (every TCP port redirected by iptables to one
#             banner: the all-open host), 10.254.12.5 (the silent host:
#             answers ARP, drops every packet), 10.254.12.3 (a decoy
#             outside every scope: a redirect target; it must never see a
#             packet); 10.254.12.128/25 is owned by no one (a silent range
#             for host discovery).
# tcpdump runs in cxports-ht and records every IPv4 packet from the
# examiner to any address but .2, .4, .5 and .128/25 (state/offscope.pcap).
# Needs root, iproute2, iptables, tcpdump, python3.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE=${HOSTILE_STATE:-$HERE/.run}
# HOSTILE_NS (default cxports-h) names the pair: ${HOSTILE_NS}s, ${HOSTILE_NS}t
NS_S=${HOSTILE_NS:-cxports-h}s
NS_T=${HOSTILE_NS:-cxports-h}t

stop() {
	if [ -f "$STATE/pids" ]; then
		while read -r pid; do kill "$pid" 2>/dev/null; done < "$STATE/pids"
		sleep 0.3
		while read -r pid; do kill -9 "$pid" 2>/dev/null; done < "$STATE/pids"
	fi
	ip netns del "$NS_S" 2>/dev/null
	ip netns del "$NS_T" 2>/dev/null
	rm -rf "/etc/netns/$NS_S"
	rm -rf "$STATE"
}

start() {
	stop
	mkdir -p "$STATE"
	ip netns add "$NS_S" && ip netns add "$NS_T" || { echo "hostile-lab: cannot create namespaces" >&2; return 1; }
	ip -n "$NS_S" link add vs type veth peer name vt netns "$NS_T" || return 1
	for ns in "$NS_S" "$NS_T"; do
		ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
		ip -n "$ns" link set lo up
	done
	ip -n "$NS_S" addr add 10.254.12.1/24 dev vs
	ip -n "$NS_T" addr add 10.254.12.2/24 dev vt
	ip -n "$NS_T" addr add 10.254.12.3/24 dev vt
	ip -n "$NS_T" addr add 10.254.12.4/24 dev vt
	ip -n "$NS_T" addr add 10.254.12.5/24 dev vt
	ip netns exec "$NS_S" sysctl -q -w net.ipv6.conf.vs.disable_ipv6=1
	ip netns exec "$NS_T" sysctl -q -w net.ipv6.conf.vt.disable_ipv6=1
	# The target answers every UDP probe of a closed port at once: without
	# this the kernel sends one ICMP port unreachable a second, and the UDP
	# stage of every scan waits ~5 s for answers the rate limit swallowed.
	# (Per namespace; where a kernel keeps msgs_per_sec/burst global they do
	# not exist here and the write fails harmlessly.)
	ip netns exec "$NS_T" sysctl -q -w net.ipv4.icmp_ratelimit=0
	ip netns exec "$NS_T" sysctl -q -w net.ipv4.icmp_msgs_per_sec=10000 net.ipv4.icmp_msgs_burst=1000 2>/dev/null
	ip -n "$NS_S" link set vs up
	ip -n "$NS_T" link set vt up
	# the all-open host: every TCP port of .4 lands on the banner at :9
	ip netns exec "$NS_T" iptables -t nat -A PREROUTING -d 10.254.12.4 -p tcp -j DNAT --to-destination 10.254.12.2:9 || return 1
	# the silent host: .5 answers ARP and drops everything else (a port
	# scan of it waits on every probe)
	ip netns exec "$NS_T" iptables -A INPUT -d 10.254.12.5 -j DROP || return 1
	# the examiner's resolver is the decoy: any DNS query is off-scope
	mkdir -p "/etc/netns/$NS_S"
	echo "nameserver 10.254.12.3" > "/etc/netns/$NS_S/resolv.conf"
	printf '127.0.0.1 localhost\n' > "/etc/netns/$NS_S/hosts"
	ip netns exec "$NS_T" tcpdump -i vt -n -U -w "$STATE/offscope.pcap" \
		"ip and src host 10.254.12.1 and not dst host 10.254.12.2 and not dst host 10.254.12.4 and not dst host 10.254.12.5 and not dst net 10.254.12.128/25" \
		>"$STATE/tcpdump.log" 2>&1 &
	echo $! >> "$STATE/pids"
	ip netns exec "$NS_T" python3 "$HERE/hostile.py" 10.254.12.2 "$STATE" >"$STATE/hostile.log" 2>&1 &
	echo $! >> "$STATE/pids"
	for _ in $(seq 1 100); do
		[ -f "$STATE/ready" ] && grep -q "listening on" "$STATE/tcpdump.log" 2>/dev/null && break
		sleep 0.1
	done
	[ -f "$STATE/ready" ] || { echo "hostile-lab: servers did not start" >&2; cat "$STATE/hostile.log" >&2; return 1; }
	# warm the neighbours both ways (the tests measure the scanner, not ARP)
	ip netns exec "$NS_S" ping -c 1 -W 1 10.254.12.2 >/dev/null 2>&1
	ip netns exec "$NS_S" ping -c 1 -W 1 10.254.12.4 >/dev/null 2>&1
	echo "hostile-lab: up ($(wc -l < "$STATE/ready") servers; scanner namespace $NS_S)" >&2
}

offscope() {
	# flush tcpdump's buffer: -U writes each packet as it comes
	sleep 0.3
	tcpdump -n -r "$STATE/offscope.pcap" 2>/dev/null | wc -l
}

case "${1:-}" in
start) start ;;
stop) stop ;;
offscope) offscope ;;
*) echo "usage: hostile-lab.sh start|stop|offscope" >&2; exit 2 ;;
esac
