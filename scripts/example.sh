#!/usr/bin/env bash
# Install, build, start the lab (real servers inside a network namespace
# this script creates), examine the bundled example case, draft the act,
# stop the lab.  Prints where the act is.  Needs root (namespaces).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh"
"$top/scripts/build.sh" "$top/build" >/dev/null
bin="$top/build/certexam"
ns=cxlab-example
case_src="$top/examples/case"
work=$(mktemp -d /tmp/certexam-example.XXXXXX)
cp -r "$case_src" "$work/case"

cleanup() {
	"$top/tests/lab/lab.sh" stop --netns "$ns" >/dev/null 2>&1 || true
	rm -rf "/etc/netns/$ns"
}
trap cleanup EXIT
# Inside the namespace the example's host name resolves from its own
# hosts file (ip netns exec mounts /etc/netns/NAME/ over /etc/); no DNS.
mkdir -p "/etc/netns/$ns"
printf '127.0.0.1 localhost lab.certexam.test\n::1 localhost\n' > "/etc/netns/$ns/hosts"
printf 'nameserver 127.0.0.1\n' > "/etc/netns/$ns/resolv.conf"
"$top/tests/lab/lab.sh" start --netns "$ns" >/dev/null

"$bin" validate "$work/case" || echo "(validate reported the problems above; the example keeps some on purpose)" >&2
set +e
run=$(ip netns exec "$ns" timeout 300 "$bin" scan "$work/case" --ports all --no-progress | tail -n 1)
rc=$?
set -e
if [ -z "$run" ] || [ ! -f "$run/run.xml" ]; then
	echo "example: the scan failed (exit $rc)" >&2
	exit 3
fi
"$bin" act "$work/case" >/dev/null
"$bin" deadlines "$work/case" || true
echo "Run record: $run/run.xml"
echo "Draft acts: $work/case/acts/act-$(basename "$run").kk.html and .ru.html (also .xml .json .md)"
