#!/usr/bin/env bash
# Benchmark (issue 12): the all-open host end to end.  A host answering on
# all 65,535 TCP ports (the hostile lab's 10.254.12.4, every port DNAT-ed
# to one banner) examined as a case: scan --ports all, show, act, rescan,
# act --additional, and the act of a 131,000-finding run; wall time and
# peak RSS of each (GNU time).  Target:
# each under 60 s and 300 MB.  Needs root (the lab's namespaces); not part
# of the test suite.  It takes the ctest lock (ALLOPEN_NO_LOCK=1: not) and
# its own namespaces (cxports-bs, cxports-bt).  Every step is bounded
# (ALLOPEN_STEP_MAX seconds, 600 by default: then it is killed and counted
# as over the target), so the benchmark always ends by itself.
#   tests/bench/allopen.sh [path/to/certexam]
# ALLOPEN_KEEP=DIR: copy the case (with its runs and acts) to DIR at the end.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$top/build/certexam}
work=$(mktemp -d /tmp/cx-allopen.XXXXXX)
export HOSTILE_STATE=$work/lab
lab=$top/tests/lab/hostile/hostile-lab.sh
keep=${ALLOPEN_KEEP:-}
trap '"$lab" stop; if [ -n "$keep" ] && [ -d "$work/case" ]; then rm -rf "$keep"; cp -a "$work/case" "$keep"; fi; rm -rf "$work"' EXIT
export HOSTILE_NS=${HOSTILE_NS:-cxports-b} # not test_hostile's namespaces
stepmax=${ALLOPEN_STEP_MAX:-600}
if [ -z "${ALLOPEN_NO_LOCK:-}" ]; then
	exec 9>/tmp/certexam-ctest.lock
	flock 9
fi
"$lab" start || exit 1
c=$work/case
cp -r "$top/examples/case" "$c"
rm -rf "$c/runs" "$c/acts"
sed -i -e '/lab.certexam.test/d' -e 's|<entry>127.0.0.1</entry>|<entry>10.254.12.4</entry>|' \
	-e 's|host="127.0.0.1"|host="10.254.12.4"|g' "$c/object.xml"
fail=0
step() { # NAME COMMAND...
	local name=$1; shift
	/usr/bin/time -f "%e %M" -o "$work/time" timeout -k 5 "$stepmax" "$@" >"$work/$name.out" 2>"$work/$name.err"
	local rc=$? s kb
	# GNU time puts "Command exited with non-zero status N" first
	read -r s kb < <(tail -n 1 "$work/time") || { s=0; kb=0; }
	printf '%-14s exit %-3s %8s s  %6d MB peak RSS\n' "$name" "$rc" "$s" $((kb / 1024))
	if [ "$rc" -ge 2 ] && [ "$name" != scan ] && [ "$name" != rescan ]; then fail=1; tail -n 3 "$work/$name.err"; fi
	if [ "$rc" -ge 4 ]; then fail=1; tail -n 3 "$work/$name.err"; fi
	awk -v s="$s" -v kb="$kb" 'BEGIN { exit !(s + 0 < 60 && kb < 300 * 1024) }' || { echo "  over the target (60 s, 300 MB)"; fail=1; }
}
NS="ip netns exec ${HOSTILE_NS}s"
step scan $NS "$bin" scan "$c" --ports all --no-progress
grep -v '^$' "$work/scan.err" | tail -n 3 | sed 's/^/  | /'
cp "$work/scan.err" /tmp/cx-allopen-scan.err 2>/dev/null
run=$c/runs/0001
"$bin" show "$run" --format json >"$work/show.json" 2>/dev/null
echo "  open ports: $(jq '[.ports[] | select(.state == "open")] | length' "$work/show.json");" \
	"findings: $(jq '.findings | length' "$work/show.json");" \
	"run.xml $(stat -c %s "$run/run.xml") bytes"
rm -f "$work/show.json"
step show "$bin" show "$run" --format json
step act "$bin" act "$c" --date 2026-11-21
# The act of a huge run: a finding per open port and requirement, as the
# ports check wrote them before the all-open host was recognised (~131,000
# findings, a 150 MB run.xml; tests/bench/act_inflate.py), in 2 languages
# x 4 formats (about 1 GB of acts).
if python3 "$top/tests/bench/act_inflate.py" "$run" "$work/big/0001" | sed 's/^/  /'; then
	step act-131k "$bin" act "$work/big/0001" --date 2026-11-21 -o "$work/big-acts"
	du -sh "$work/big-acts" | awk '{print "  acts: " $1}'
fi
rm -rf "$work/big" "$work/big-acts"
step rescan $NS "$bin" rescan "$c" --ports all --no-progress
echo "  rescan findings: $("$bin" show "$c/runs/0002" --format json 2>/dev/null | jq '.findings | length');" \
	"run.xml $(stat -c %s "$c/runs/0002/run.xml" 2>/dev/null) bytes"
step act-additional "$bin" act "$c" --additional --date 2026-11-21
exit $fail
