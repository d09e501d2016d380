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
# repeated CX_BENCH_REPEAT times, misses reported per run), rss (peak RSS
# of certexam over 10.254.0.0/16 x top 100, with host discovery and with
# --no-discovery, each stopped after CX_BENCH_RSS_MAX s, default 300; goal
# < 100 MB; then `certexam show` must read the run back).
#
# udp: certexam's UDP stage (time_udpscan_ms; its probes go to the
# profile's UDP ports, the ones it has payloads for) against nmap -sU
# --top-ports 100's "UDP Scan" time; every port nmap finds open must be
# open in certexam's run (printed: missed ports, or none).
#
# Like with like.  certexam runs --only ports --udp-ports none (except
# udp); its command always includes service detection, so every row gives
#   scan   = certexam's discovery + port-scan stages (time_discovery_ms +
#            time_portscan_ms of the run) vs nmap -sS's own "Ping Scan" +
#            "SYN Stealth Scan" times (nmap -v);
#   wall   = the whole certexam command (scan + service detection + the
#            record) vs the whole nmap -sS command (no detection);
#   -sV    = (one, three) the whole certexam command vs nmap -sS -sV,
#            both identify services (stopped after CX_BENCH_SV_MAX s,
#            default 120).
# one and three run CX_BENCH_RUNS times (default 3) and print medians.
# nmap runs -n -T4 (-Pn where certexam runs --no-discovery) and is stopped
# after CX_BENCH_NMAP_MAX seconds (default 300).  Needs root and nmap
# (scripts/deps.sh --bench).  CX_SYN_SEND_THREAD=0 in the environment
# measures certexam with one sending thread (scanner/net/syn_send.c);
# CX_NETLAB_PREFIX=cxnet-… runs the lab under other names.
set -u

CERTEXAM=${1:?usage: $0 path/to/certexam [SCENARIO...]}
shift
HERE=$(cd "$(dirname "$0")" && pwd)
LAB=$HERE/../lab/net/netlab.sh
NMAP_MAX=${CX_BENCH_NMAP_MAX:-300}
SV_MAX=${CX_BENCH_SV_MAX:-120}
RSS_MAX=${CX_BENCH_RSS_MAX:-300}
REPEAT=${CX_BENCH_REPEAT:-5}
RUNS=${CX_BENCH_RUNS:-3}
TMP=$(mktemp -d /tmp/cx-bench-net-XXXXXX)
trap '"$LAB" stop >/dev/null 2>&1; rm -rf "$TMP"' EXIT
command -v nmap >/dev/null || { echo "nmap not installed (scripts/deps.sh --bench)"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
scen=${*:-one three lan firewall dropall udp rtt rss}

now() { date +%s.%N; }
opt() { # opt RUN NAME: a run option's value
	grep -o "name=\"$2\" value=\"[0-9]*" "$1/run.xml" 2>/dev/null | grep -o '[0-9]*$'
}
# cx ARGS: time certexam; prints "wall open scan_s services_s run"
cx() {
	local t0 t1 run d p v
	t0=$(now)
	run=$("$LAB" run "$CERTEXAM" scan --only ports --no-progress --out "$TMP/runs" "$@" 2>/dev/null | tail -1)
	t1=$(now)
	d=$(opt "$run" time_discovery_ms)
	p=$(opt "$run" time_portscan_ms)
	v=$(opt "$run" time_services_ms)
	echo "$(echo "$t1 - $t0" | bc) $(grep -c 'state="open"' "$run/run.xml" 2>/dev/null)" \
		"$(echo "scale=3; (${d:-0} + ${p:-0}) / 1000" | bc) $(echo "scale=3; ${v:-0} / 1000" | bc) $run"
}
# nm MAX ARGS: time nmap -v; prints "wall open scan_s" (wall ">MAX" when stopped)
nm() {
	local t0 t1 rc max=$1 st
	shift
	t0=$(now)
	timeout "$max" "$LAB" run nmap -v -n -T4 "$@" -oG "$TMP/nmap.gnmap" >"$TMP/nmap.out" 2>&1
	rc=$?
	t1=$(now)
	if [ $rc = 124 ]; then
		echo ">$max 0 -"
		return
	fi
	# "Completed Ping Scan at 04:05, 0.01s elapsed", "Completed SYN Stealth Scan ..."
	st=$(grep -E 'Completed (Ping|SYN Stealth|Parallel DNS|ARP Ping) Scan' "$TMP/nmap.out" |
		grep -o '[0-9.]*s elapsed' | tr -d 's elapsd' | paste -sd+ | bc)
	echo "$(echo "$t1 - $t0" | bc) $(grep -o '[0-9]*/open/' "$TMP/nmap.gnmap" | wc -l) ${st:--}"
}
ratio() { # ratio A B: A / B ("< x" when B is ">MAX", "-" when unknown)
	case $2 in
	'>'*) echo "< $(echo "scale=3; $1 / ${2#>}" | bc)" ;;
	-|'') echo - ;;
	*) echo "scale=3; $1 / $2" | bc ;;
	esac
}
median() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
row() { # row NAME CX_RESULT NMAP_RESULT
	local cw co cs cv nw no ns
	read -r cw co cs cv _ <<<"$2"
	read -r nw no ns <<<"$3"
	printf '%-34s certexam wall %6.2f s (scan %s s + services %s s; %s open)  nmap -sS wall %6s s (scan %s s; %s open)  ratio scan %s, wall %s\n' \
		"$1" "$cw" "$cs" "$cv" "$co" "$nw" "$ns" "$no" "$(ratio "$cs" "$ns")" "$(ratio "$cw" "$nw")"
}
# full NAME TARGET: RUNS x (certexam, nmap -sS), medians, then nmap -sS -sV once
full() {
	local i c n cw cs cv co nw ns no sv
	: >"$TMP/m.cx"
	: >"$TMP/m.nm"
	for i in $(seq "$RUNS"); do
		c=$(cx --target "$2" --ports all --udp-ports none)
		n=$(nm "$NMAP_MAX" -sS -p- "$2")
		echo "$c" | cut -d' ' -f1-4 >>"$TMP/m.cx"
		echo "$n" >>"$TMP/m.nm"
		echo "  $1 run $i: certexam $(echo "$c" | cut -d' ' -f1-4)  nmap $n"
	done
	cw=$(cut -d' ' -f1 "$TMP/m.cx" | median)
	co=$(cut -d' ' -f2 "$TMP/m.cx" | median)
	cs=$(cut -d' ' -f3 "$TMP/m.cx" | median)
	cv=$(cut -d' ' -f4 "$TMP/m.cx" | median)
	nw=$(cut -d' ' -f1 "$TMP/m.nm" | median)
	no=$(cut -d' ' -f2 "$TMP/m.nm" | median)
	ns=$(cut -d' ' -f3 "$TMP/m.nm" | median)
	rm -f "$TMP/m.cx" "$TMP/m.nm"
	row "$1 (median of $RUNS)" "$cw $co $cs $cv" "$nw $no $ns"
	sv=$(nm "$SV_MAX" -sS -sV -p- "$2")
	printf '%-34s certexam wall %6.2f s (with detection)  nmap -sS -sV wall %6s s (%s open)  ratio %s\n' \
		"$1, with services" "$cw" "${sv%% *}" "$(echo "$sv" | cut -d' ' -f2)" "$(ratio "$cw" "${sv%% *}")"
}

"$LAB" start >/dev/null
for s in $scen; do
	case $s in
	one) full "one host, all ports" 10.254.1.11 ;;
	three) full "3 hosts, all ports" 10.254.1.11-13 ;;
	lan)
		row "/24 (8 up), top 1000, discovery" "$(cx --target 10.254.1.0/24 --ports top:1000 --udp-ports none)" \
			"$(nm "$NMAP_MAX" -sS --top-ports 1000 10.254.1.0/24)" ;;
	firewall)
		row "firewall host, all ports" "$(cx --target 10.254.1.20 --ports all --udp-ports none)" \
			"$(nm "$NMAP_MAX" -sS -p- 10.254.1.20)" ;;
	dropall)
		row "drop-all host, all ports" "$(cx --target 10.254.1.21 --ports all --udp-ports none --no-discovery)" \
			"$(nm "$NMAP_MAX" -sS -Pn -p- 10.254.1.21)" ;;
	udp)
		c=$(cx --target 10.254.1.30 --ports 22 --only ports,udp)
		n=$(nm "$NMAP_MAX" -sU --top-ports 100 10.254.1.30)
		cu=$(opt "${c##* }" time_udpscan_ms)
		nu=$(grep -o 'Completed UDP Scan at [^,]*, [0-9.]*s elapsed' "$TMP/nmap.out" |
			grep -o '[0-9.]*s elapsed' | tr -d 's elapsd' | paste -sd+ | bc)
		nopen=$(grep -o '[0-9]*/open/udp' "$TMP/nmap.gnmap" | cut -d/ -f1 | sort -n | tr '\n' ' ')
		copen=$(grep 'proto="udp"' "${c##* }/run.xml" | grep -o ' port="[0-9]*"' | tr -dc '0-9\n' | sort -n | tr '\n' ' ')
		missed=""
		for p in $nopen; do
			case " $copen " in *" $p "*) ;; *) missed="$missed $p" ;; esac
		done
		printf '%-34s certexam UDP stage %s s (wall %.2f s)  nmap -sU --top-ports 100 UDP scan %s s (wall %s s)  ratio %s\n' \
			"UDP host" "$(echo "scale=3; ${cu:-0} / 1000" | bc)" "${c%% *}" "${nu:--}" "${n%% *}" \
			"$(ratio "$(echo "scale=3; ${cu:-0} / 1000" | bc)" "${nu:--}")"
		echo "  nmap open UDP: $nopen"
		echo "  nmap open|filtered: $(grep -o '[0-9]*/open|filtered/udp' "$TMP/nmap.gnmap" | wc -l)"
		echo "  certexam open UDP: $copen"
		echo "  open in nmap, not in certexam: ${missed:-none}"
		;;
	rss)
		for d in "" --no-discovery; do
			rm -rf "$TMP/runs"
			t0=$(now)
			"$LAB" run /usr/bin/time -v -o "$TMP/rss.time" timeout "$RSS_MAX" \
				"$CERTEXAM" scan --only ports --no-progress --out "$TMP/runs" \
				--target 10.254.0.0/16 --ports top:100 --udp-ports none $d \
				>"$TMP/rss.out" 2>"$TMP/rss.err"
			rc=$?
			t1=$(now)
			run=$(tail -1 "$TMP/rss.out")
			kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$TMP/rss.time")
			up=$(grep -c '<host addr="[^"]*" up="true"' "$run/run.xml" 2>/dev/null)
			"$CERTEXAM" show "$run" >"$TMP/show.out" 2>&1
			src=$?
			printf '%-34s exit %s, wall %.1f s, peak RSS %s MB (goal < 100), run.xml %s MB, %s hosts up; certexam show: exit %s, %s lines\n' \
				"/16 x top 100 ${d:-(discovery)}" "$rc" "$(echo "$t1 - $t0" | bc)" \
				"$(echo "scale=1; ${kb:-0} / 1024" | bc)" \
				"$(echo "scale=1; $(stat -c %s "$run/run.xml" 2>/dev/null || echo 0) / 1048576" | bc)" \
				"${up:-0}" "$src" "$(wc -l <"$TMP/show.out")"
		done
		;;
	rtt)
		"$LAB" start --delay 25 --loss 1 | tail -1
		miss=0
		for i in $(seq "$REPEAT"); do
			c=$(cx --target 10.254.1.11 --ports all --udp-ports none)
			o=$(echo "$c" | cut -d' ' -f2)
			[ "$o" -lt 10 ] && miss=$((miss + 10 - o))
			echo "  rtt try $i: certexam ${c%% *} s (scan $(echo "$c" | cut -d' ' -f3) s), $o of 10 open, missed $((10 - o)); peak rate $(opt "${c##* }" syn_peak_rate)/s"
		done
		row "50 ms RTT, ~2% loss, all ports" "$c" "$(nm "$NMAP_MAX" -sS -p- 10.254.1.11)"
		echo "  certexam missed $miss open port(s) over $REPEAT runs"
		"$LAB" start >/dev/null ;;
	esac
done
