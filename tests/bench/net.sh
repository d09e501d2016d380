#!/usr/bin/env bash
# certexam — the engine against nmap on a lab that looks like a network
# (tests/lab/net/netlab.sh), both tools in the same run, ratios printed.
#
#   tests/bench/net.sh path/to/certexam [SCENARIO...]
#
# Scenarios (default: all): one (one host, all 65,535 ports), three (3
# hosts, all ports), lan (the /24 with 5 live hosts + router + firewall +
# UDP host, top 1000, host discovery on), firewall (a host dropping all but
# 22/443, all ports), dropall (a host dropping everything, all ports,
# no discovery), udp (the UDP host: certexam's UDP probes vs nmap -sU
# --top-ports 100), rtt (one host, all ports, 50 ms RTT and ~2 % loss,
# repeated CX_BENCH_REPEAT times, misses reported).
# nmap runs -n -T4 (-Pn where certexam runs --no-discovery) and is
# stopped after CX_BENCH_NMAP_MAX seconds (default 300).  certexam runs
# --only ports --udp-ports none (except udp), service detection included
# in its time.  Needs root and nmap (scripts/deps.sh --bench).
set -u

CERTEXAM=${1:?usage: $0 path/to/certexam [SCENARIO...]}
shift
HERE=$(cd "$(dirname "$0")" && pwd)
LAB=$HERE/../lab/net/netlab.sh
NMAP_MAX=${CX_BENCH_NMAP_MAX:-300}
REPEAT=${CX_BENCH_REPEAT:-5}
TMP=$(mktemp -d /tmp/cx-bench-net-XXXXXX)
trap '"$LAB" stop >/dev/null 2>&1; rm -rf "$TMP"' EXIT
command -v nmap >/dev/null || { echo "nmap not installed (scripts/deps.sh --bench)"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
scen=${*:-one three lan firewall dropall udp rtt}

now() { date +%s.%N; }
# cx OUT ARGS: time certexam; prints "seconds open-port-count"
cx() {
	local t0 t1 run
	t0=$(now)
	run=$("$LAB" run "$CERTEXAM" scan --only ports --no-progress --out "$TMP/runs" "$@" 2>/dev/null | tail -1)
	t1=$(now)
	echo "$(echo "$t1 - $t0" | bc) $(grep -c 'state="open"' "$run/run.xml" 2>/dev/null) $(grep -o 'time_portscan_ms" value="[0-9]*' "$run/run.xml" | grep -o '[0-9]*$') $run"
}
# nm ARGS: time nmap; prints "seconds open-port-count" (or >MAX)
nm() {
	local t0 t1 rc
	t0=$(now)
	timeout "$NMAP_MAX" "$LAB" run nmap -n -T4 "$@" -oG "$TMP/nmap.gnmap" >/dev/null 2>&1
	rc=$?
	t1=$(now)
	if [ $rc = 124 ]; then
		echo ">$NMAP_MAX 0"
		return
	fi
	echo "$(echo "$t1 - $t0" | bc) $(grep -o '[0-9]*/open/' "$TMP/nmap.gnmap" | wc -l)"
}
row() { # row NAME CX_RESULT NMAP_RESULT
	local c n ratio ps
	c=${2%% *}
	n=${3%% *}
	case $n in
	'>'*) ratio="< $(echo "scale=3; $c / ${n#>}" | bc)" ;;
	*) ratio=$(echo "scale=3; $c / $n" | bc) ;;
	esac
	ps=$(echo "$2" | cut -d' ' -f3)
	printf '%-34s certexam %6.2f s (port scan %s ms; %s open)  nmap %6s s (%s open)  ratio %s\n' \
		"$1" "$c" "$ps" "$(echo "$2" | cut -d' ' -f2)" "$n" "$(echo "$3" | cut -d' ' -f2)" "$ratio"
}

"$LAB" start >/dev/null
for s in $scen; do
	case $s in
	one)
		row "one host, all ports" "$(cx --target 10.254.1.11 --ports all --udp-ports none)" \
			"$(nm -sS -p- 10.254.1.11)" ;;
	three)
		row "3 hosts, all ports" "$(cx --target 10.254.1.11-13 --ports all --udp-ports none)" \
			"$(nm -sS -p- 10.254.1.11-13)" ;;
	lan)
		row "/24 (8 up), top 1000, discovery" "$(cx --target 10.254.1.0/24 --ports top:1000 --udp-ports none)" \
			"$(nm -sS --top-ports 1000 10.254.1.0/24)" ;;
	firewall)
		row "firewall host, all ports" "$(cx --target 10.254.1.20 --ports all --udp-ports none)" \
			"$(nm -sS -p- 10.254.1.20)" ;;
	dropall)
		row "drop-all host, all ports" "$(cx --target 10.254.1.21 --ports all --udp-ports none --no-discovery)" \
			"$(nm -sS -Pn -p- 10.254.1.21)" ;;
	udp)
		c=$(cx --target 10.254.1.30 --ports 22 --only ports,udp)
		n=$(nm -sU --top-ports 100 10.254.1.30)
		row "UDP host (cx probes vs top 100)" "$c" "$n"
		echo "  nmap open UDP: $(grep -o '[0-9]*/open/udp' "$TMP/nmap.gnmap" | cut -d/ -f1 | tr '\n' ' ')"
		echo "  nmap open|filtered: $(grep -o '[0-9]*/open|filtered/udp' "$TMP/nmap.gnmap" | wc -l)"
		echo "  certexam open UDP: $(grep 'proto="udp"' "${c##* }/run.xml" | grep -o ' port="[0-9]*"' | tr -dc '0-9 \n' | tr '\n' ' ')"
		echo "  certexam UDP stage: $(grep -o 'time_udpscan_ms" value="[0-9]*' "${c##* }/run.xml" | grep -o '[0-9]*$') ms"
		;;
	rtt)
		"$LAB" start --delay 25 --loss 1 | tail -1
		miss=0
		for i in $(seq "$REPEAT"); do
			c=$(cx --target 10.254.1.11 --ports all --udp-ports none)
			o=$(echo "$c" | cut -d' ' -f2)
			[ "$o" -lt 10 ] && miss=$((miss + 10 - o))
			echo "  rtt try $i: certexam ${c%% *} s, $o of 10 open"
		done
		row "50 ms RTT, ~2% loss, all ports" "$c" "$(nm -sS -p- 10.254.1.11)"
		echo "  certexam missed $miss open port(s) over $REPEAT runs"
		"$LAB" start >/dev/null ;;
	esac
done
