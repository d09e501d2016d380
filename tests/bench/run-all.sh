#!/usr/bin/env bash
# Run every benchmark in one go (root; installs the anchor tools first):
# port scan vs nmap -sT/-sS, service detection vs nmap -sV, TLS vs
# testssl.sh and sslscan, HTTP vs the HTTP Observatory.  Each benchmark
# bounds its own time and stops what it started; this wrapper bounds each
# one again.  Output: one section per benchmark, figures and ratios.
#   tests/bench/run-all.sh [path/to/certexam]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$top/build/certexam}
"$top/scripts/deps.sh" --bench
[ -x "$bin" ] || "$top/scripts/build.sh" "$top/build" >/dev/null
rc=0
for b in portscan services tls http; do
	echo "=================== $b"
	timeout 1800 bash "$top/tests/bench/$b.sh" "$bin" || { echo "($b: exit $?)"; rc=1; }
done
exit $rc
