#!/usr/bin/env bash
# Integration: several processes, one examination.  TCP listeners of its
# own on loopback (127.0.0.1-127.0.0.3, ports 28500-28503); a case whose
# scope is 127.0.0.1-127.0.0.6 scanned as 3 shards by 3 concurrent processes
# (--shard i/3, --vantage lab-I), merged with 'certexam merge', and
# compared with one full scan: the same open ports and the same findings
# (key, status, severity; the documents and inventory
# checks run by the merge on the whole scope); every port and finding of the merged run names its
# vantage; evidence copied and verified.  Then the refusals: an
# incomplete run without --allow-incomplete, a run of another profile, a
# run whose evidence was altered.  As root, the same three shards with the
# SYN scan, at once, in a namespace of the test (cxsvc-merge).  Bounded:
# about 25 s.
#
#   bash tests/integration/test_merge.sh path/to/certexam
set -u

CERTEXAM=${1:?usage: $0 path/to/certexam}
case $CERTEXAM in /*) ;; *) CERTEXAM=$PWD/$CERTEXAM ;; esac
TMP=$(mktemp -d /tmp/cx-merge-XXXXXX)
PIDS=()
FAILS=0

cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	[ -n "${NSM:-}" ] && ip netns del "$NSM" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 3' INT TERM
fail() {
	echo "FAIL: $*"
	FAILS=$((FAILS + 1))
}
command -v python3 >/dev/null || { echo "SKIP: python3"; exit 77; }

# Listeners: a banner service on each, so service detection has work.
cat >"$TMP/listen.py" <<'EOF'
import socket, sys, threading, time
socks = []
for spec in sys.argv[1:]:
    a, p = spec.rsplit(":", 1)
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a, int(p)))
    s.listen(64)
    socks.append(s)
def serve(s):
    while True:
        c, _ = s.accept()
        try:
            c.sendall(b"SSH-2.0-OpenSSH_7.4\r\n")
            time.sleep(0.2)
        except OSError:
            pass
        c.close()
for s in socks:
    threading.Thread(target=serve, args=(s,), daemon=True).start()
print("ready", flush=True)
time.sleep(120)
EOF
python3 "$TMP/listen.py" 127.0.0.1:28500 127.0.0.2:28501 127.0.0.3:28502 \
	127.0.0.3:28503 >"$TMP/listen.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do grep -qs ready "$TMP/listen.out" && break; sleep 0.1; done
grep -q ready "$TMP/listen.out" || { echo "SKIP: listeners"; exit 77; }

# A case whose scope is 127.0.0.1-127.0.0.6 (every check runs, the
# documents and inventory after the merge, on the whole scope).
CASE=$TMP/case
"$CERTEXAM" init "$CASE" >/dev/null 2>&1 || fail "certexam init"
python3 - "$CASE/object.xml" <<'EOF2'
import re, sys
p = sys.argv[1]
s = open(p).read()
s = re.sub(r'<scope>.*?</scope>',
           '<scope><entry>127.0.0.1-127.0.0.6</entry></scope>', s, flags=re.S)
s = re.sub(r'<services>.*?</services>', '<services><service '
           'host="127.0.0.1" port="28500" proto="tcp" name="ssh"/>'
           '</services>', s, flags=re.S)
open(p, 'w').write(s)
EOF2
cp -r "$CASE" "$TMP/case-syn" # for the SYN shards below, before any run
COMMON=("$CASE" --ports 28500-28505 --scan connect --udp-ports none
	--timeout 300 --service-wait 100 --no-progress)

# Three shards, three processes at once.
for i in 0 1 2; do
	timeout 50 "$CERTEXAM" scan "${COMMON[@]}" --shard $i/3 \
		--vantage lab-$i >"$TMP/shard$i.out" 2>"$TMP/shard$i.err" &
	SP[$i]=$!
done
for i in 0 1 2; do
	wait "${SP[$i]}"
	rc=$?
	[ $rc -le 1 ] || fail "shard $i exited $rc: $(cat "$TMP/shard$i.err")"
done
RUNS=$(cat "$TMP"/shard?.out | xargs -n1 basename | sort)
[ "$(echo "$RUNS" | wc -l)" = 3 ] || fail "three shard runs: $RUNS"

timeout 50 "$CERTEXAM" scan "${COMMON[@]}" >"$TMP/full.out" 2>"$TMP/full.err"
[ $? -le 1 ] || fail "full scan: $(cat "$TMP/full.err")"
FULL=$(cat "$TMP/full.out")

MERGED=$("$CERTEXAM" merge "$CASE" $RUNS 2>"$TMP/merge.err")
[ $? = 0 ] || fail "merge: $(cat "$TMP/merge.err")"
[ -f "$MERGED/run.xml" ] || fail "no merged run ($MERGED)"
for c in documents inventory; do
	grep -q "<check id=\"$c\" state=\"done\"" "$MERGED/run.xml" ||
		fail "$c not run on the merged run"
	grep -q "<check id=\"$c\" state=\"skipped-shard\" msg=\"scan.state.skipped-shard\"" \
		"$CASE/runs/$(echo "$RUNS" | head -1)/run.xml" ||
		fail "$c not skipped in a shard"
done

summary() { # open ports, then finding key + status, one per line
	"$CERTEXAM" show --format json "$1" | python3 -c '
import json, sys
r = json.load(sys.stdin)
for p in sorted(r["ports"], key=lambda p: (p["addr"], p["port"])):
    if p["state"] == "open":
        print("port", p["addr"], p["port"], p.get("service"))
for f in sorted(r["findings"], key=lambda f: f["key"]):
    print("finding", f["key"], f["status"], f["severity"])
'
}
summary "$FULL" >"$TMP/full.sum"
summary "$MERGED" >"$TMP/merged.sum"
grep -c '^port' "$TMP/full.sum" | grep -qx 4 || fail "full scan: 4 open ports expected: $(cat "$TMP/full.sum")"
diff "$TMP/full.sum" "$TMP/merged.sum" >"$TMP/diff" ||
	fail "merged run differs from the full scan: $(cat "$TMP/diff")"

# The same three shards with the SYN scan (root only): three processes at
# once, each with its raw socket and packet capture on the same loopback,
# so each capture sees the others' answers and must keep only its own
# (probe cookies, source ports); inside a namespace of this test with the
# same listeners, merged, and compared with the full connect scan.
syn="skipped (not root or no namespaces)"
if [ "$(id -u)" = 0 ] && ip netns add cxsvc-merge 2>/dev/null; then
	NSM=cxsvc-merge
	ip -n $NSM link set lo up
	ip netns exec $NSM python3 "$TMP/listen.py" 127.0.0.1:28500 \
		127.0.0.2:28501 127.0.0.3:28502 127.0.0.3:28503 \
		>"$TMP/listen-syn.out" 2>&1 &
	PIDS+=($!)
	for _ in $(seq 50); do grep -qs ready "$TMP/listen-syn.out" && break; sleep 0.1; done
	SYNC=("$TMP/case-syn" --ports 28500-28505 --scan syn --udp-ports none
		--timeout 300 --service-wait 100 --no-progress)
	for i in 0 1 2; do
		ip netns exec $NSM timeout 50 "$CERTEXAM" scan "${SYNC[@]}" \
			--shard $i/3 --vantage lab-$i >"$TMP/syn$i.out" \
			2>"$TMP/syn$i.err" &
		SP[$i]=$!
	done
	for i in 0 1 2; do
		wait "${SP[$i]}"
		rc=$?
		[ $rc -le 1 ] || fail "SYN shard $i exited $rc: $(cat "$TMP/syn$i.err")"
		grep -q 'name="scan" value="syn"' "$(cat "$TMP/syn$i.out")/run.xml" 2>/dev/null ||
			fail "SYN shard $i did not use the SYN scan"
	done
	SRUNS=$(cat "$TMP"/syn?.out | xargs -n1 basename | sort)
	SMERGED=$("$CERTEXAM" merge "$TMP/case-syn" $SRUNS 2>"$TMP/smerge.err") ||
		fail "merge of the SYN shards: $(cat "$TMP/smerge.err")"
	summary "$SMERGED" >"$TMP/syn.sum"
	diff "$TMP/full.sum" "$TMP/syn.sum" >"$TMP/sdiff" ||
		fail "SYN shards merged differ from the full scan: $(cat "$TMP/sdiff")"
	syn="3 SYN shards at once merged = the full scan"
fi

# Every port and finding names its vantage; the shards' are disjoint.
# (Findings on the whole scope, documents and inventory, are the merge's.)
"$CERTEXAM" show --format json "$MERGED" | python3 -c '
import json, sys
r = json.load(sys.stdin)
bad = [p for p in r["ports"] if not p.get("vantage", "").startswith("lab-")]
bad += [f["key"] for f in r["findings"] if not f.get("vantage")
        and f["check"] not in ("documents", "inventory", "parts")]
assert not bad, bad
v = {p["addr"]: p["vantage"] for p in r["ports"] if p["state"] == "open"}
assert len(set(v.values())) >= 2, v
opts = [o for o in r["options"]]
' || fail "vantages missing in the merged run"
grep -q 'vantage="lab-' "$MERGED/run.xml" || fail "no vantage attribute in run.xml"
n_ev=$(ls "$MERGED/evidence" | wc -l)
[ "$n_ev" -ge 4 ] || fail "evidence not copied ($n_ev files)"

# An incomplete run: refused, then merged with --allow-incomplete.
first=$(echo "$RUNS" | head -1)
cp -r "$CASE/runs/$first" "$TMP/inc"
sed -i 's/complete="true"/complete="false"/' "$TMP/inc/run.xml"
"$CERTEXAM" merge "$CASE" "$TMP/inc" >/dev/null 2>"$TMP/inc.err" &&
	fail "an incomplete run was merged"
grep -q 'allow-incomplete' "$TMP/inc.err" || fail "no clear error: $(cat "$TMP/inc.err")"
M2=$("$CERTEXAM" merge "$CASE" "$TMP/inc" --allow-incomplete 2>/dev/null) ||
	fail "--allow-incomplete refused"
grep -q 'complete="false"' "$M2/run.xml" 2>/dev/null ||
	fail "merged with --allow-incomplete but not marked incomplete"

# Another profile: refused.
cp -r "$CASE/runs/$first" "$TMP/prof"
sed -i 's/<profile id="[^"]*"/<profile id="other-profile"/' "$TMP/prof/run.xml"
# (the terminal in English: the case's first language is kk, where the
# refusal is worded from pkg.merge.differ)
CERTEXAM_LANG=en "$CERTEXAM" merge "$CASE" "$CASE/runs/$first" "$TMP/prof" >/dev/null \
	2>"$TMP/prof.err" && fail "runs of different profiles were merged"
grep -q 'different profiles' "$TMP/prof.err" || fail "no clear error: $(cat "$TMP/prof.err")"

# Altered evidence: refused by the verification.
cp -r "$CASE/runs/$first" "$TMP/ev"
f=$(ls "$TMP/ev/evidence" | head -1)
if [ -n "$f" ]; then
	printf 'X' >>"$TMP/ev/evidence/$f"
	"$CERTEXAM" merge "$CASE" "$TMP/ev" >/dev/null 2>"$TMP/ev.err" &&
		fail "altered evidence was merged"
	grep -qi 'evidence\|sha' "$TMP/ev.err" || fail "no clear error: $(cat "$TMP/ev.err")"
fi
before=$(ls "$CASE/runs" | wc -l)

[ $FAILS = 0 ] || exit 1
echo "PASS: 3 shards merged = the full scan ($(grep -c '^finding' "$TMP/full.sum") findings, 4 open ports); $syn; refusals clear ($before runs)"
