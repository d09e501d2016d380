# Shared by the integration tests that examine the bundled example: the
# lab in a network namespace of the test's own, the case copied into a
# scratch folder, check() counting results.  Source it after setting
# ns (namespace name) and top (the source tree); sets work and in_ns.
# shellcheck shell=bash
work=$(mktemp -d /tmp/cx-example.XXXXXX)
cleanup() {
	"$top/tests/lab/lab.sh" stop --netns "$ns" >/dev/null 2>&1
	rm -rf "/etc/netns/$ns" "$work"
}
trap cleanup EXIT
fails=0 passes=0
check() { # description, then a command that must succeed
	local what=$1; shift
	if "$@" >/dev/null 2>&1; then passes=$((passes + 1)); else echo "FAIL: $what" >&2; fails=$((fails + 1)); fi
}
mkdir -p "/etc/netns/$ns"
printf '127.0.0.1 localhost lab.certexam.test\n::1 localhost\n' > "/etc/netns/$ns/hosts"
printf 'nameserver 127.0.0.1\n' > "/etc/netns/$ns/resolv.conf"
"$top/tests/lab/lab.sh" start --netns "$ns" >/dev/null || { echo "FAIL: lab did not start" >&2; exit 1; }
cp -r "$top/examples/case" "$work/case"
in_ns() { ip netns exec "$ns" timeout 300 "$@"; }
