#!/usr/bin/env bash
# Bench: the whole `certexam scan` of the bundled example case (examples/
# case) against the example lab (tests/lab/lab.sh in a namespace of its
# own), for one or more certexam binaries in the same run, alternating,
# CX_BENCH_RUNS times each (default 5); prints per binary the median wall
# time, the stage times of the run record and what service detection
# recorded, and whether every binary recorded the same services (asset,
# service, product, version).  Compare a build before and after a change:
#
#   flock /tmp/certexam-ctest.lock tests/bench/example_scan.sh OLD/certexam NEW/certexam
#
# The lab's servers listen on 127.0.0.1 inside namespace cxsvc-ex only.
# Needs root (namespaces); exit 77 otherwise.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 CERTEXAM..." >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
top=$(cd "$(dirname "$0")/../.." && pwd)
ns=cxsvc-ex
RUNS=${CX_BENCH_RUNS:-5}
TMP=$(mktemp -d /tmp/cx-bench-example-XXXXXX)
cleanup() {
	"$top/tests/lab/lab.sh" stop --netns "$ns" >/dev/null 2>&1 || true
	rm -rf "/etc/netns/$ns" "$TMP"
}
trap cleanup EXIT
mkdir -p "/etc/netns/$ns"
printf '127.0.0.1 localhost lab.certexam.test\n::1 localhost\n' >"/etc/netns/$ns/hosts"
printf 'nameserver 127.0.0.1\n' >"/etc/netns/$ns/resolv.conf"
"$top/tests/lab/lab.sh" start --netns "$ns" >/dev/null

opt() { grep -o "name=\"$2\" value=\"[0-9]*" "$1/run.xml" | grep -o '[0-9]*$' || echo -; }
# The services recorded, one "asset service product version" a line.
services() {
	python3 - "$1/run.xml" <<-'EOF'
		import sys, xml.etree.ElementTree as ET
		tag = lambda e: e.tag.rsplit("}", 1)[-1]  # the record has a namespace
		for o in ET.parse(sys.argv[1]).getroot().iter():
		    if tag(o) != "observation" or o.get("kind") != "service":
		        continue
		    p = {q.get("name"): (q.text or "") for q in o if tag(q) == "prop"}
		    print(o.get("asset"), p.get("service"), p.get("product", "-"), p.get("version", "-"))
	EOF
}
median() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

i=0
for b in "$@"; do
	i=$((i + 1))
	: >"$TMP/wall.$i"
done
for r in $(seq "$RUNS"); do
	i=0
	for b in "$@"; do
		i=$((i + 1))
		rm -rf "$TMP/case.$i"
		cp -r "$top/examples/case" "$TMP/case.$i"
		t0=$(date +%s.%N)
		run=$(ip netns exec "$ns" timeout 300 "$b" scan "$TMP/case.$i" --ports all --no-progress 2>/dev/null | tail -n 1) || true
		t1=$(date +%s.%N)
		[ -f "$run/run.xml" ] || { echo "$b: the scan failed" >&2; exit 1; }
		w=$(echo "$t1 - $t0" | bc)
		echo "$w" >>"$TMP/wall.$i"
		services "$run" | sort >"$TMP/svc.$i.$r"
		echo "run $r  binary $i: wall $w s, discovery $(opt "$run" time_discovery_ms) ms," \
			"port scan $(opt "$run" time_portscan_ms) ms, services after it $(opt "$run" time_services_ms) ms," \
			"checks to end $(echo "$w * 1000 / 1" | bc) ms total;" \
			"$(grep -c . "$TMP/svc.$i.$r") ports, $(grep -vc ' unknown ' "$TMP/svc.$i.$r") identified"
	done
done
i=0
for b in "$@"; do
	i=$((i + 1))
	echo "binary $i ($b): median wall $(median <"$TMP/wall.$i") s of $RUNS"
done
same=yes
for f in "$TMP"/svc.*; do cmp -s "$f" "$TMP/svc.1.1" || same=no; done
echo "same services recorded by every binary in every run: $same"
[ "$same" = yes ] || for f in "$TMP"/svc.*; do echo "== $f"; diff "$TMP/svc.1.1" "$f" || true; done
