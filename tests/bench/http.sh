#!/usr/bin/env bash
# certexam — benchmark of the http check against Mozilla's HTTP Observatory
# on the HTTP lab (tests/lab/http-lab.sh), one run.
#
#   bash tests/bench/http.sh path/to/certexam [REPORT.md]
#
# For each lab site (good, mediocre, bad, soft404):
#   - certexam: `certexam scan --target 127.0.0.1 --ports <site ports>
#     --only ports,http` (wall time of the whole scan: port scan, service
#     detection and the http review) and the http review time of the
#     site's resource from the run record;
#   - Observatory: @mdn/mdn-http-observatory from npm, run offline through
#     tests/bench/http-observatory.mjs (its CLI takes only a host name on
#     ports 80/443; the helper calls its retriever with the lab ports).
# Then the ten Observatory tests side by side, the scores and grades, and
# the soft-404 check (no WEB-11 failure on the soft-404 server).
#
# Installing the Observatory: `npm install --ignore-scripts` into a
# temporary folder (its postinstall scripts download the HSTS preload list,
# a TLD list and a CA bundle from the Internet, which the lab does not
# need); conf/hsts-preload.json is then written as "{}".  The lab CA is
# given to node with NODE_EXTRA_CA_CERTS so that the Observatory verifies
# the lab certificate (IP SAN 127.0.0.1).  It has no private-address filter
# in its retriever (only its web API refuses such hosts), so 127.0.0.1 is
# reached directly.  CX_OBSERVATORY_DIR=DIR reuses an installed copy.
# Everything runs on 127.0.0.1 and stops itself (timeouts, trap EXIT).
# The lab's ports are fixed (test_http uses the same): run it while no test
# suite runs, or in a network namespace of its own (see tests/bench/tls.sh).
set -u

BIN=${1:?usage: http.sh path/to/certexam [REPORT.md]}
REPORT=${2:-}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LAB="$ROOT/tests/lab/http-lab.sh"

WORK=$(mktemp -d /tmp/cxhttp-bench.XXXXXX)
chmod 755 "$WORK"
cleanup() {
	bash "$LAB" stop "$WORK/lab" >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 3' INT TERM

bash "$LAB" start "$WORK/lab" >"$WORK/lab.out" 2>&1 || {
	cat "$WORK/lab.out"
	exit 1
}
# shellcheck disable=SC1091
. "$WORK/lab/ports.env"
CLOSED=22099 # nothing listens there: "no https" for the Observatory

# site name, http port, https port (or CLOSED), asset judged by certexam
SITES="good $GOOD_HTTP $GOOD_HTTPS https://127.0.0.1:$GOOD_HTTPS/
mediocre $MED_HTTP $MED_HTTPS https://127.0.0.1:$MED_HTTPS/
bad $BAD_HTTP $CLOSED http://127.0.0.1:$BAD_HTTP/
soft404 $SOFT_HTTP $CLOSED http://127.0.0.1:$SOFT_HTTP/"

# The Observatory.
OBS=${CX_OBSERVATORY_DIR:-}
if [ -z "$OBS" ] && command -v npm >/dev/null 2>&1; then
	mkdir -p "$WORK/obs"
	if (cd "$WORK/obs" && timeout 300 npm install --no-audit --no-fund \
		--ignore-scripts @mdn/mdn-http-observatory >npm.log 2>&1); then
		OBS="$WORK/obs"
	else
		echo "note: npm install of @mdn/mdn-http-observatory failed" >&2
	fi
fi
PKG=""
if [ -n "$OBS" ] && [ -d "$OBS/node_modules/@mdn/mdn-http-observatory" ]; then
	PKG="$OBS/node_modules/@mdn/mdn-http-observatory"
	[ -f "$PKG/conf/hsts-preload.json" ] ||
		echo '{}' >"$PKG/conf/hsts-preload.json"
	OBS_VERSION=$(jq -r .version "$PKG/package.json")
fi

out() { # print to stdout and to the report
	echo "$*"
	[ -n "$REPORT" ] && echo "$*" >>"$REPORT"
}
[ -n "$REPORT" ] && : >"$REPORT"

TESTS="content-security-policy cookies cross-origin-resource-sharing
redirection referrer-policy strict-transport-security subresource-integrity
x-content-type-options x-frame-options cross-origin-resource-policy"
obs_fn() { # our test name -> the Observatory's function name
	case $1 in
	content-security-policy) echo contentSecurityPolicyTest ;;
	cookies) echo cookiesTest ;;
	cross-origin-resource-sharing) echo crossOriginResourceSharingTest ;;
	redirection) echo redirectionTest ;;
	referrer-policy) echo referrerPolicyTest ;;
	strict-transport-security) echo strictTransportSecurityTest ;;
	subresource-integrity) echo subresourceIntegrityTest ;;
	x-content-type-options) echo xContentTypeOptionsTest ;;
	x-frame-options) echo xFrameOptionsTest ;;
	cross-origin-resource-policy) echo crossOriginResourcePolicyTest ;;
	esac
}

out "## certexam vs HTTP Observatory ${OBS_VERSION:-(not installed)} on the HTTP lab ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
out ""
out "| site | certexam scan (s) | scan, --service-wait 50 (s) | certexam http review (s) | requests | Observatory (s) | certexam score | Observatory score | tests agreeing |"
out "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |"
: >"$WORK/disagree.txt"
soft_fp=-1
while read -r site hp sp asset; do
	ports=$hp
	[ "$sp" != "$CLOSED" ] && ports="$hp,$sp"
	t0=$(date +%s%N)
	timeout 60 "$BIN" scan --target 127.0.0.1 --ports "$ports" \
		--only ports,http --out "$WORK/runs-$site" --no-progress \
		--profiles "$ROOT/profiles" >"$WORK/$site.out" 2>"$WORK/$site.err"
	t1=$(date +%s%N)
	run=$(tail -n 1 "$WORK/$site.out")
	# the same scan with a short banner wait (the engine's default wait
	# of 300 ms for a server-first banner dominates on loopback)
	t2=$(date +%s%N)
	timeout 60 "$BIN" scan --target 127.0.0.1 --ports "$ports" \
		--only ports,http --service-wait 50 --out "$WORK/runs2-$site" \
		--no-progress --profiles "$ROOT/profiles" >/dev/null 2>&1
	t3=$(date +%s%N)
	fast_s=$(awk -v a="$t2" -v b="$t3" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	"$BIN" show "$run" --format json >"$WORK/$site.json" 2>/dev/null
	ours_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	prop() {
		jq -r --arg a "$asset" --arg p "$1" '.observations[] |
			select(.kind == "http-resource" and .asset == $a) |
			.props[] | select(.[0] == $p) | .[1]' "$WORK/$site.json"
	}
	review=$(prop seconds)
	reqs=$(prop requests)
	oscore="$(prop score) $(prop grade)"
	if [ "$site" = soft404 ]; then
		soft_fp=$(jq --arg a "$asset" '[.findings[] | select(.asset == $a
			and .requirement == "WEB-11" and .status == "fail")] |
			length' "$WORK/$site.json")
	fi
	mscore="-"
	msec="-"
	agree="-"
	if [ -n "$PKG" ]; then
		NODE_EXTRA_CA_CERTS="$WORK/lab/ca.pem" timeout 60 node \
			"$HERE/http-observatory.mjs" "$PKG" "$site" "$hp" "$sp" \
			>"$WORK/$site.obs.json" 2>"$WORK/$site.obs.err"
		msec=$(jq -r '.seconds | . * 1000 | round / 1000' "$WORK/$site.obs.json")
		mscore="$(jq -r '"\(.score) \(.grade)"' "$WORK/$site.obs.json")"
		n=0
		same=0
		for t in $TESTS; do
			n=$((n + 1))
			mine=$(prop "test.$t" | sed 's/ (.*//')
			theirs=$(jq -r --arg f "$(obs_fn "$t")" '.tests[$f] // "-"' \
				"$WORK/$site.obs.json")
			if [ "$mine" = "$theirs" ]; then
				same=$((same + 1))
			else
				echo "| $site | $t | $mine | $theirs |" >>"$WORK/disagree.txt"
			fi
		done
		agree="$same/$n"
	fi
	out "| $site | $ours_s | $fast_s | $review | $reqs | $msec | $oscore | $mscore | $agree |"
done <<<"$SITES"
out ""
out "Soft-404 server: $soft_fp WEB-11 (exposure) failures (goal: 0)."
if [ -s "$WORK/disagree.txt" ]; then
	out ""
	out "| site | test | certexam | Observatory |"
	out "| --- | --- | --- | --- |"
	while read -r line; do out "$line"; done <"$WORK/disagree.txt"
fi
[ "$soft_fp" -eq 0 ]
