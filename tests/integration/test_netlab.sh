#!/usr/bin/env bash
# Integration: the network lab itself (tests/lab/net/netlab.sh) under a
# prefix of its own (namespaces cxsvc-nl-*, state in a temporary folder),
# so it never touches a lab someone else runs.  Checks that
#  - the PIDs the lab records are the listeners' own (python3, snmpd, ...),
#    not wrappers, one per process it starts;
#  - no process of the lab keeps a descriptor it inherited (a marker file
#    held open while the lab starts stands for the ctest lock);
#  - the lab answers: a TCP connect from the scanner namespace to a host's
#    listener (traffic only inside the lab's namespaces);
#  - `stop` ends exactly those processes, exits 0, and leaves no recorded
#    PID and no namespace of the lab behind.
#
#   bash tests/integration/test_netlab.sh path/to/certexam   (unused)
#
# Exit 77 when not root or namespaces / veth are unavailable.
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB=$HERE/../lab/net/netlab.sh
TMP=$(mktemp -d /tmp/cx-netlab-XXXXXX)
export CX_NETLAB_PREFIX=cxsvc-nl
export CX_NETLAB_STATE=$TMP/state
FAILS=0

cleanup() {
	bash "$LAB" stop >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 3' INT TERM
ok() { :; }
bad() {
	echo "FAIL: $*"
	FAILS=$((FAILS + 1))
}

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
ip netns add cxsvc-nl-probe 2>/dev/null || { echo "SKIP: no network namespaces"; exit 77; }
ip netns del cxsvc-nl-probe

# Start with a descriptor open that the lab must not keep.
marker=$TMP/marker
: >"$marker"
exec 9<"$marker"
bash "$LAB" start >"$TMP/start.log" 2>&1
rc=$?
exec 9<&-
[ "$rc" = 0 ] || { cat "$TMP/start.log"; bad "start exit $rc"; exit 1; }
cp "$CX_NETLAB_STATE/pids" "$TMP/pids"

# Every recorded PID: alive, and the command itself (no bash wrapper).
n=0
while read -r p t; do
	n=$((n + 1))
	comm=$(cat "/proc/$p/comm" 2>/dev/null)
	# A service records its PID just before it execs (LAUNCH in netlab.sh):
	# on a loaded machine start can return in that instant, so give the
	# exec up to 2 s before calling the PID a wrapper.
	for _ in $(seq 20); do
		[ "$comm" = bash ] || break
		sleep 0.1
		comm=$(cat "/proc/$p/comm" 2>/dev/null)
	done
	case $comm in
	python3 | snmpd | dnsmasq | chronyd) ok ;;
	"") bad "recorded PID $p is not running" ;;
	*) bad "recorded PID $p is '$comm', not a lab service" ;;
	esac
	[ -n "$t" ] || bad "PID $p recorded without its start time"
done <"$TMP/pids"
# 5 hosts + firewall + UDP look-alikes, then the Debian services present
want=7
for d in snmpd dnsmasq chronyd; do [ -x /usr/sbin/$d ] && want=$((want + 1)); done
[ "$n" = "$want" ] || bad "$n PIDs recorded, expected $want"

# No process of the lab holds the marker (an inherited descriptor).
for ns in $(ip netns list | awk '/^cxsvc-nl-/ {print $1}'); do
	for p in $(ip netns pids "$ns"); do
		for f in /proc/"$p"/fd/*; do
			[ "$(readlink "$f" 2>/dev/null)" = "$marker" ] &&
				bad "PID $p ($ns) kept the inherited descriptor ${f##*/}"
		done
	done
done

# The lab answers inside its own namespaces.
ip netns exec cxsvc-nl-scan timeout 5 bash -c 'exec 3<>/dev/tcp/10.254.1.11/22' ||
	bad "no TCP connect from the scanner namespace to 10.254.1.11:22"

# stop: exit 0, nothing left.
bash "$LAB" stop >"$TMP/stop.log" 2>&1 || { cat "$TMP/stop.log"; bad "stop exit $?"; }
while read -r p t; do
	s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
	read -r -a st <<<"${s##*) }"
	[ "${st[19]}" = "$t" ] && bad "PID $p ($(cat /proc/"$p"/comm)) still running after stop"
done <"$TMP/pids"
ip netns list | grep -q '^cxsvc-nl-' && bad "namespaces left: $(ip netns list | grep '^cxsvc-nl-' | tr '\n' ' ')"
[ -e "$CX_NETLAB_STATE" ] && bad "state folder left"

if [ "$FAILS" -gt 0 ]; then
	echo "test_netlab: $FAILS failure(s)"
	exit 1
fi
echo "test_netlab: ok ($n processes, all ended by stop)"
