#!/usr/bin/env bash
# Integration (issue 12, items 2 and 6): a stored run is used only as it
# was recorded.  The newest run unreadable -> act and rescan refuse, naming
# it, instead of silently taking an older one; evidence altered, moved out
# of the run folder or replaced by a link -> act and rescan refuse with
# exit 2, naming the file.  Only 127.0.0.1 is contacted.
set -u
# The English lines asserted below (the terminal follows the case's
# <languages> otherwise; test_cli tests the languages).
export CERTEXAM_LANG=en
bin=${1:?usage: test_records.sh path/to/certexam}
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/cx-rec.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
expect_rc() { # expected-rc description command...
	local want=$1 what=$2; shift 2
	"$@" >"$work/out" 2>"$work/err"
	local rc=$?
	if [ "$rc" = "$want" ]; then ok; else bad "$what: exit $rc, expected $want"; sed 's/^/  | /' "$work/err" >&2; fi
}
names() { # what text: stderr must contain text
	grep -qF -- "$2" "$work/err" && ok || { bad "$1: stderr does not name '$2'"; sed 's/^/  | /' "$work/err" >&2; }
}

port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
python3 -c "
import socket,time
s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)
s.bind(('127.0.0.1',$port));s.listen(64)
end=time.time()+90
s.settimeout(1)
while time.time()<end:
    try:
        c,_=s.accept();c.sendall(b'220 hello\r\n');c.close()
    except OSError: pass
" & pids+=($!)
sleep 0.5

c=$work/case
cp -r "$top/examples/case" "$c"
rm -rf "$c/runs" "$c/acts"
# No host names: resolving one would send a DNS query off the machine.
sed -i "/lab.certexam.test/d" "$c/object.xml"
scan() { timeout 60 "$bin" "$@" --ports "$port" --only ports --no-progress >"$work/out" 2>"$work/err"; }
scan scan "$c"; [ -f "$c/runs/0001/run.xml" ] && ok || { bad "first scan wrote no run"; cat "$work/err" >&2; }
scan scan "$c"; [ -f "$c/runs/0002/run.xml" ] && ok || bad "second scan wrote no run"

# 2: the newest run unreadable (truncated) -> refused, named, exit 2.
cp "$c/runs/0002/run.xml" "$work/run2.xml"
head -c 300 "$work/run2.xml" > "$c/runs/0002/run.xml"
expect_rc 2 "act with the newest run truncated" "$bin" act "$c" --date 2026-11-21
names "act, newest run truncated" "0002"
ls "$c/acts" 2>/dev/null | grep -q act- && bad "act drafted from the older run while the newest is unreadable"
expect_rc 2 "rescan with the newest run truncated" "$bin" rescan "$c" --ports "$port" --only ports --no-progress
names "rescan, newest run truncated" "0002"
[ -d "$c/runs/0003" ] && bad "rescan made a run against an older baseline"
rm -f "$c/runs/0002/run.xml"
expect_rc 2 "act with the newest run folder empty" "$bin" act "$c" --date 2026-11-21
names "act, newest run missing run.xml" "0002"
rm -rf "$c/runs/0002"
expect_rc 0 "act once the broken run is removed" "$bin" act "$c" --date 2026-11-21 -o "$work/acts"

# 6: evidence altered -> refused, named, exit 2 (act and rescan).
r1=$c/runs/0001
ev=$(ls "$r1/evidence/" | grep case-object-xml | head -n 1)
[ -n "$ev" ] && ok || bad "no case-object-xml evidence in the run"
cp "$r1/evidence/$ev" "$work/ev.orig"
printf '<!-- altered -->' >> "$r1/evidence/$ev"
expect_rc 2 "act with altered evidence" "$bin" act "$c" --date 2026-11-21 -o "$work/acts-x"
names "act, altered evidence" "$ev"
[ -e "$work/acts-x" ] && bad "an act was written from altered evidence"
expect_rc 2 "rescan with altered evidence in the baseline" "$bin" rescan "$c" --ports "$port" --only ports --no-progress
names "rescan, altered evidence" "$ev"
# same size, one byte changed
cp "$work/ev.orig" "$r1/evidence/$ev"
python3 - "$r1/evidence/$ev" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read()); b[-2] ^= 1; open(p, 'wb').write(b)
PY
expect_rc 2 "act with one byte of evidence changed" "$bin" act "$r1" --date 2026-11-21 -o "$work/acts-y"
names "act, one byte changed" "SHA-256"
cp "$work/ev.orig" "$r1/evidence/$ev"
# a path that leaves the run folder
cp "$r1/run.xml" "$work/run1.xml"
cp "$work/ev.orig" "$work/elsewhere.xml"
sed -i "s|path=\"evidence/$ev\"|path=\"../../../elsewhere.xml\"|" "$r1/run.xml"
grep -q 'elsewhere.xml' "$r1/run.xml" && ok || bad "could not rewrite the evidence path"
expect_rc 2 "act with an evidence path outside the run" "$bin" act "$r1" --date 2026-11-21 -o "$work/acts-z"
names "act, path outside the run" "elsewhere.xml"
cp "$work/run1.xml" "$r1/run.xml"
# a link out of the run folder
mv "$r1/evidence/$ev" "$work/ev.moved"
ln -s "$work/ev.moved" "$r1/evidence/$ev"
expect_rc 2 "act with evidence replaced by a link" "$bin" act "$r1" --date 2026-11-21 -o "$work/acts-l"
names "act, evidence is a link" "$ev"
rm -f "$r1/evidence/$ev"
mv "$work/ev.moved" "$r1/evidence/$ev"
expect_rc 0 "act from the restored run" "$bin" act "$r1" --date 2026-11-21 -o "$work/acts-ok"
scan rescan "$c"
[ -f "$c/runs/0002/run.xml" ] && ok || bad "rescan wrote no run"

# 4: a line feed or a bidi override inside a stored field cannot forge a
# line of 'show'; nor can one in a path named in an error message.
cp -r "$r1" "$work/inj"
python3 - "$work/inj/run.xml" <<'PY'
import re, sys
p = sys.argv[1]; t = open(p, encoding='utf-8').read()
t = re.sub(r'<observed>', '<observed>x&#10;findings: 0 pass, 0 fail&#10;&#x202E;&#x9B;2J', t, count=1)
open(p, 'w', encoding='utf-8').write(t)
PY
grep -q 'findings: 0 pass' "$work/inj/run.xml" && ok || bad "could not plant the payload"
expect_rc 0 "show the planted run" "$bin" show "$work/inj"
[ "$(grep -c '^findings:' "$work/out")" = 1 ] && ok || { bad "show printed a forged findings line"; cat "$work/out" >&2; }
LC_ALL=C grep -q $'\xe2\x80\xae\|\xc2\x9b' "$work/out" && bad "show passed a bidi override or a C1 CSI through" || ok
grep -qF '\x0Afindings: 0 pass' "$work/out" && ok || bad "the line feed is not shown as \x0A"
expect_rc 2 "act on a path with a line feed" "$bin" act "$work/no$(printf '\nfindings: 9 pass')"
grep -q '^findings:' "$work/err" && bad "an error message printed a forged line" || ok

echo "test_records: $passes passed, $fails failed"
[ "$fails" = 0 ]
