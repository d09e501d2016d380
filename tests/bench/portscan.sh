#!/bin/bash
# certexam — port scan benchmark: certexam vs nmap -sT / -sS, full range.
#
# Usage: bash tests/bench/portscan.sh [path/to/certexam]
#
# Lab hosts, in one run:
#   ns        a target namespace (10.254.50.2) behind a veth pair from an
#             examiner namespace (10.254.50.1), both created here, with
#             listeners on real port numbers;
#   loopback  127.0.0.1 with listeners in the engine's range 20000-20999.
# For each: `certexam scan --target T --ports all --only ports`,
# `nmap -sT -p- -n -Pn T` and `nmap -sS -p- -n -Pn T` (each under
# `timeout 300`): wall seconds, the ratio and the open ports each found.
# Then the peak memory of `certexam scan` over 127.0.0.0/24 x top:1000
# (goal < 50 MB).  Only 127.0.0.0/8 and the namespaces made here are
# contacted; everything started here is stopped on exit.
set -u

CERTEXAM=${1:-$(dirname "$0")/../../build/certexam}
CERTEXAM=$(readlink -f "$CERTEXAM")
if [ ! -x "$CERTEXAM" ]; then
	echo "portscan.sh: no certexam at $CERTEXAM" >&2
	exit 2
fi
TMP=$(mktemp -d /tmp/cxeng-bench-XXXXXX)
NS_A=cxeng-bench-$$-a
NS_B=cxeng-bench-$$-b
PIDS=()
NS_MADE=0

cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	if [ "$NS_MADE" = 1 ]; then
		ip netns del "$NS_A" 2>/dev/null
		ip netns del "$NS_B" 2>/dev/null
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# listeners.py ADDR PORT...: listen (accepting and closing) for 600 s.
cat >"$TMP/listeners.py" <<'EOF'
import selectors, socket, sys, time
addr = sys.argv[1]
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
sel = selectors.DefaultSelector()
for p in sys.argv[2:]:
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, int(p)))
    s.listen(1024)
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ)
print("ready", flush=True)
end = time.time() + 600
while time.time() < end:
    for key, _ in sel.select(1.0):
        try:
            c, _ = key.fileobj.accept()
            c.close()
        except OSError:
            pass
EOF

start_listeners() { # netns-or-"" addr ports...
	local ns=$1 addr=$2 out i
	shift 2
	out="$TMP/listeners.${ns:-lo}.out"
	if [ -n "$ns" ]; then
		ip netns exec "$ns" python3 "$TMP/listeners.py" "$addr" "$@" \
			>"$out" 2>&1 &
	else
		python3 "$TMP/listeners.py" "$addr" "$@" >"$out" 2>&1 &
	fi
	PIDS+=($!)
	for i in $(seq 50); do
		grep -q ready "$out" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "portscan.sh: listeners did not start: $(head -c 300 "$out")" >&2
	return 1
}

now() { date +%s.%N; }

# The engine alone (no service detection, no record): the hand-built
# driver tests/bench/bench_portscan.c, when the library is beside certexam.
DRIVER=""
LIB=$(dirname "$CERTEXAM")/libcxengine.a
SRC=$(dirname "$0")/../..
if [ -f "$LIB" ] && cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L \
	-D_DEFAULT_SOURCE -I"$SRC/include" -I"$SRC/scanner" \
	"$SRC/tests/bench/bench_portscan.c" "$LIB" \
	$(pkg-config --libs libxml-2.0 libcurl openssl) -lm \
	-o "$TMP/bench_portscan" 2>"$TMP/driver.err"; then
	DRIVER=$TMP/bench_portscan
fi

# run_driver PREFIX TARGET: prints "seconds open-ports"
run_driver() {
	local pre=$1 target=$2 t0 t1
	t0=$(now)
	$pre timeout 300 "$DRIVER" -p all "$target" >"$TMP/drv.out" 2>&1
	t1=$(now)
	echo "$(echo "$t1 - $t0" | bc) $(awk '$1 == "open" { print $3 }' "$TMP/drv.out" | sort -n | paste -sd, -)"
}

# median3 FUNCTION ARGS...: run three times; "median-seconds open-ports"
# (the open ports of the last run, marked when the runs disagreed).
median3() {
	local r1 r2 r3 t
	r1=$("$@")
	r2=$("$@")
	r3=$("$@")
	t=$(printf '%s\n%s\n%s\n' "${r1%% *}" "${r2%% *}" "${r3%% *}" | sort -g | sed -n 2p)
	if [ "${r1#* }" = "${r2#* }" ] && [ "${r2#* }" = "${r3#* }" ]; then
		echo "$t ${r3#* }"
	else
		echo "$t ${r3#* } [runs disagreed: ${r1#* } | ${r2#* }]"
	fi
}

# run_certexam PREFIX TARGET: prints "seconds open-ports"
run_certexam() {
	local pre=$1 target=$2 t0 t1 dir
	rm -rf "$TMP/runs"
	t0=$(now)
	$pre timeout 300 "$CERTEXAM" scan --target "$target" --ports all \
		--only ports --out "$TMP/runs" --no-progress >"$TMP/cx.out" 2>"$TMP/cx.err"
	t1=$(now)
	dir=$(tail -n 1 "$TMP/cx.out")
	if [ ! -f "$dir/run.xml" ]; then
		echo "$(echo "$t1 - $t0" | bc) ERROR"
		return
	fi
	"$CERTEXAM" show "$dir" --format json >"$TMP/cx.json" 2>/dev/null
	echo "$(echo "$t1 - $t0" | bc) $(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
ps = sorted(p["port"] for p in d["ports"] if p["state"] == "open")
deg = " (degraded: %s)" % d.get("degraded_reason") if d.get("degraded") else ""
print(",".join(map(str, ps)) + deg)' "$TMP/cx.json")"
}

# run_nmap PREFIX TYPE TARGET: prints "seconds open-ports"
run_nmap() {
	local pre=$1 type=$2 target=$3 t0 t1
	t0=$(now)
	$pre timeout 300 nmap "$type" -p- -n -Pn -oG "$TMP/nmap.gnmap" \
		"$target" >/dev/null 2>"$TMP/nmap.err"
	local rc=$?
	t1=$(now)
	if [ $rc -ne 0 ]; then
		echo "$(echo "$t1 - $t0" | bc) ERROR(rc=$rc: $(head -c 200 "$TMP/nmap.err" | tr '\n' ' '))"
		return
	fi
	echo "$(echo "$t1 - $t0" | bc) $(python3 -c '
import re, sys
ps = []
for line in open(sys.argv[1]):
    m = re.search(r"Ports: (.*?)(\t|$)", line)
    if m:
        for item in m.group(1).split(", "):
            f = item.split("/")
            if len(f) > 1 and f[1] == "open":
                ps.append(int(f[0]))
print(",".join(map(str, sorted(ps))))' "$TMP/nmap.gnmap")"
}

bench_host() { # label prefix target
	local label=$1 pre=$2 target=$3 cx nt ns dr
	echo "== $label: $target, all 65535 ports (median of 3 runs)"
	cx=$(median3 run_certexam "$pre" "$target")
	nt=$(median3 run_nmap "$pre" -sT "$target")
	ns=$(median3 run_nmap "$pre" -sS "$target")
	printf '%-22s %8.2f s  open: %s\n' "certexam scan" "${cx%% *}" "${cx#* }"
	if [ -n "$DRIVER" ]; then
		dr=$(median3 run_driver "$pre" "$target")
		printf '%-22s %8.2f s  open: %s\n' "  engine only" "${dr%% *}" "${dr#* }"
	fi
	printf '%-22s %8.2f s  open: %s\n' "nmap -sT -p-" "${nt%% *}" "${nt#* }"
	printf '%-22s %8.2f s  open: %s\n' "nmap -sS -p-" "${ns%% *}" "${ns#* }"
	printf 'ratio nmap -sT / certexam: %s   nmap -sS / certexam: %s\n' \
		"$(echo "scale=1; ${nt%% *} / ${cx%% *}" | bc)" \
		"$(echo "scale=1; ${ns%% *} / ${cx%% *}" | bc)"
	if [ "${cx#* }" = "${nt#* }" ]; then
		echo "open ports: certexam = nmap -sT"
	else
		echo "open ports DIFFER between certexam and nmap -sT"
	fi
}

# 1. A lab host in a namespace, real port numbers.
NS_PORTS="21 22 23 25 80 443 3306 5432 6379 8080 8443 20001 50000 65535"
if ip netns add "$NS_A" 2>/dev/null && ip netns add "$NS_B" 2>/dev/null; then
	NS_MADE=1
	ip -n "$NS_A" link add va type veth peer name vb netns "$NS_B" &&
		ip -n "$NS_A" addr add 10.254.50.1/24 dev va &&
		ip -n "$NS_B" addr add 10.254.50.2/24 dev vb &&
		ip -n "$NS_A" link set lo up && ip -n "$NS_B" link set lo up &&
		ip -n "$NS_A" link set va up && ip -n "$NS_B" link set vb up
	start_listeners "$NS_B" 10.254.50.2 $NS_PORTS
	echo "listening in $NS_B: $(echo $NS_PORTS | tr ' ' ',')"
	bench_host "namespace lab host" "ip netns exec $NS_A" 10.254.50.2
else
	echo "== namespace lab host: network namespaces unavailable, skipped"
fi
echo

# 2. Loopback, our port range.
LO_PORTS="20010 20020 20080 20443 20999"
start_listeners "" 127.0.0.1 $LO_PORTS
echo "listening on 127.0.0.1: $(echo $LO_PORTS | tr ' ' ',') (plus whatever else runs here)"
bench_host "loopback" "" 127.0.0.1
echo

# 3. Peak memory: 127.0.0.0/24 x 1000 ports.
echo "== memory: 127.0.0.0/24 x top:1000"
rm -rf "$TMP/runs"
/usr/bin/time -v timeout 300 "$CERTEXAM" scan --target 127.0.0.0/24 \
	--ports top:1000 --only ports --out "$TMP/runs" --no-progress \
	>"$TMP/mem.out" 2>"$TMP/mem.err"
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$TMP/mem.err")
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$TMP/mem.err")
echo "peak RSS ${rss:-?} kB ($(echo "scale=1; ${rss:-0} / 1024" | bc) MB), wall $wall, goal < 50 MB"
